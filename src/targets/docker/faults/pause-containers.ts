import type Docker from 'dockerode';
import type { FaultHandle, PlannedFault } from '../../target.js';
import { ensureRunning } from './ensure-running.js';

/** `docker pause`: the cgroup freezer stops every process; connections hang instead of failing. */
export async function pauseContainers(docker: Docker, fault: PlannedFault): Promise<FaultHandle> {
  const paused: string[] = [];
  try {
    for (const name of fault.subjects) {
      await docker.getContainer(name).pause();
      paused.push(name);
    }
  } catch (error) {
    await ensureRunning(docker, paused);
    throw error;
  }
  return {
    note: 'docker pause freezes the processes: requests hang (the kernel still accepts connections) until unpause',
    undo: { target: 'docker', action: 'unpause', subjects: fault.subjects },
    rollback: () => ensureRunning(docker, fault.subjects),
  };
}
