import type { DockerFault } from './docker-fault.js';
import { startsWhatStaysDown } from './start-containers.js';

/** `docker stop` (SIGTERM, SIGKILL after the timeout): a manual stop, so the restart policy does not apply. */
export const stopContainers: DockerFault<'stop'> = {
  ...startsWhatStaysDown,
  async inject(fault, { docker }) {
    for (const name of fault.subjects) await docker.getContainer(name).stop({ t: Math.ceil(fault.params.timeout / 1000) });
    return {
      undo: startsWhatStaysDown.planUndo(fault),
      note: "docker stop is a manual stop: Docker's restart policy does not apply, the container stays down",
      facts: { restartPolicy: { applies: false, reason: '`docker stop` is a manual stop' } },
    };
  },
};

/** `docker restart`: a graceful stop and start by hand; the undo only makes sure it runs. */
export const restartContainers: DockerFault<'restart'> = {
  ...startsWhatStaysDown,
  async inject(fault, { docker }) {
    for (const name of fault.subjects) await docker.getContainer(name).restart({ t: Math.ceil(fault.params.timeout / 1000) });
    return { undo: startsWhatStaysDown.planUndo(fault), note: 'docker restart: a graceful stop and start by hand' };
  },
};
