import type Docker from 'dockerode';
import type { FaultHandle, PlannedFault } from '../../target.js';
import { ensureRunning } from './ensure-running.js';

/** `docker stop` (SIGTERM, SIGKILL after the timeout), or `docker restart`. Both are manual actions. */
export async function stopContainers(docker: Docker, fault: PlannedFault, restart: boolean): Promise<FaultHandle> {
  const seconds = Math.ceil(Number(fault.params.timeout ?? 10_000) / 1000);
  for (const name of fault.subjects) {
    const container = docker.getContainer(name);
    if (restart) await container.restart({ t: seconds });
    else await container.stop({ t: seconds });
  }
  return {
    note: restart
      ? 'docker restart: a graceful stop and start by hand'
      : "docker stop is a manual stop: Docker's restart policy does not apply, the container stays down",
    undo: { target: 'docker', action: 'start', subjects: fault.subjects },
    rollback: () => ensureRunning(docker, fault.subjects),
  };
}
