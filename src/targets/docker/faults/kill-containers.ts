import type Docker from 'dockerode';
import type { FaultHandle, PlannedFault } from '../../target.js';
import { ensureRunning } from './ensure-running.js';

/** `docker kill`: the engine records a manual stop, so no restart policy brings it back. */
export async function killContainers(docker: Docker, fault: PlannedFault): Promise<FaultHandle> {
  const policies: string[] = [];
  for (const name of fault.subjects) {
    const container = docker.getContainer(name);
    policies.push((await container.inspect()).HostConfig.RestartPolicy?.Name || 'no');
    await container.kill();
  }
  return {
    note: `docker kill is a manual stop: Docker's restart policy (${[...new Set(policies)].join(', ')}) does not apply`,
    undo: { target: 'docker', action: 'start', subjects: fault.subjects },
    rollback: () => ensureRunning(docker, fault.subjects),
  };
}
