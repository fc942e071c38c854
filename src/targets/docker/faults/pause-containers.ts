import type { DockerFault } from './docker-fault.js';
import { unpauseContainers } from './start-containers.js';

/** `docker pause`: the cgroup freezer stops every process; connections hang instead of failing. */
export const pauseContainers: DockerFault<'pause'> = {
  planUndo: (fault) => ({ action: 'unpause', containers: [...fault.subjects] }),
  async inject(fault, { docker }) {
    for (const name of fault.subjects) await docker.getContainer(name).pause();
    return {
      undo: { action: 'unpause', containers: [...fault.subjects] },
      note: 'docker pause freezes the processes: requests hang (the kernel still accepts connections) until unpause',
    };
  },
  undo: (record, { docker }) => unpauseContainers(docker, record.containers),
};
