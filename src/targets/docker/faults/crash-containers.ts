import { EnvironmentError } from '../../../common/errors.js';
import { restartPolicyText } from '../container-facts.js';
import { engineIsLocal } from '../docker-client.js';
import type { DockerFault } from './docker-fault.js';
import { startsWhatStaysDown } from './start-containers.js';

// A crash is a SIGKILL of the container's main process from the host, not `docker kill`: moby's
// daemon/kill.go sets HasBeenManuallyStopped on any kill through the API, and the restart manager
// skips manually stopped containers, so only a signal from outside lets the restart policy apply.
export const crashContainers: DockerFault<'crash'> = {
  ...startsWhatStaysDown,
  async inject(fault, { docker }) {
    if (!engineIsLocal()) {
      throw new EnvironmentError(`crash needs the Docker engine on this machine (DOCKER_HOST=${process.env.DOCKER_HOST}) to signal the container's process`, {
        hint: 'run rebound on the Docker host, or use the kill fault (a manual stop)',
      });
    }
    const policies: string[] = [];
    for (const name of fault.subjects) {
      const info = await docker.getContainer(name).inspect();
      if (!info.State.Running || info.State.Pid <= 0) throw new Error(`${name} is not running: nothing to crash`);
      try {
        process.kill(info.State.Pid, 'SIGKILL');
      } catch (error) {
        throw new EnvironmentError(`cannot SIGKILL PID ${info.State.Pid} of ${name}: ${(error as NodeJS.ErrnoException).code}`, { hint: 'crash needs to run as root (or the same user as the container process)', cause: error });
      }
      const policy = restartPolicyText(info.HostConfig.RestartPolicy);
      policies.push(`${name}: PID ${info.State.Pid}, restart policy ${policy}${policy === 'no' ? ', so nothing will restart it' : ''}`);
    }
    return {
      undo: startsWhatStaysDown.planUndo(fault),
      note: `crash = SIGKILL of the main process from the host, so Docker's restart policy applies (${policies.join('; ')})`,
      facts: { restartPolicy: { applies: true, reason: 'a SIGKILL from outside the engine is a crash' } },
    };
  },
};
