import { restartPolicyText } from '../container-facts.js';
import type { DockerFault } from './docker-fault.js';
import { startsWhatStaysDown } from './start-containers.js';

/** `docker kill`: the engine records a manual stop, so no restart policy brings it back. */
export const killContainers: DockerFault<'kill'> = {
  ...startsWhatStaysDown,
  async inject(fault, { docker }) {
    const policies: string[] = [];
    for (const name of fault.subjects) {
      const container = docker.getContainer(name);
      policies.push(restartPolicyText((await container.inspect()).HostConfig.RestartPolicy));
      await container.kill();
    }
    return {
      undo: startsWhatStaysDown.planUndo(fault),
      note: `docker kill is a manual stop: Docker's restart policy (${[...new Set(policies)].join(', ')}) does not apply`,
      facts: { restartPolicy: { applies: false, reason: '`docker kill` is a manual stop' } },
    };
  },
};
