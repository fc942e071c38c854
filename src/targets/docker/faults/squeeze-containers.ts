import type Docker from 'dockerode';
import type { RollbackOutcome } from '../../../faults/index.js';
import { engineMessage, engineStatus } from '../docker-client.js';
import type { DockerFault } from './docker-fault.js';
import { belowUsageRefusal } from '../../fault-tools/index.js';
import { type RecordedLimits, recordLimits, restoringUpdate, sameLimits, squeezedLimits } from './squeezed-limits.js';

/**
 * squeeze: `docker update` lowers the limits of the running container in place (runc rewrites its
 * cgroup: cpu.cfs_quota_us, memory.limit_in_bytes); nothing restarts. Each container's limits are
 * journalled before its update, and the rollback (or `rebound recover`) writes them back.
 */
export const squeezeContainers: DockerFault<'squeeze'> = {
  planUndo: () => ({ action: 'restore-limits', containers: [] }),
  async inject(fault, { docker }, run) {
    const recorded: RecordedLimits[] = [];
    const notes: string[] = [];
    for (const name of fault.subjects) {
      const limits = recordLimits(name, (await docker.getContainer(name).inspect()).HostConfig);
      const { update, words } = squeezedLimits(limits, fault.params);
      recorded.push(limits);
      run.record({ action: 'restore-limits', containers: [...recorded] });
      try {
        await docker.getContainer(name).update(update);
      } catch (error) {
        const refusal = belowUsageRefusal(engineMessage(error));
        throw new Error(`docker update refused ${name}'s ${words.join(', ')}: ${refusal ?? engineMessage(error)}`, { cause: error });
      }
      notes.push(`${name}: ${words.join(', ')}`);
    }
    return { undo: { action: 'restore-limits', containers: recorded }, note: `docker update, in place (the container keeps running): ${notes.join('; ')}` };
  },
  undo: (record, { docker }) => restoreLimits(docker, record.containers),
};

async function restoreLimits(docker: Docker, containers: readonly RecordedLimits[]): Promise<RollbackOutcome> {
  const restored: string[] = [];
  const unchanged: string[] = [];
  const errors: string[] = [];
  for (const limits of containers) {
    try {
      const container = docker.getContainer(limits.name);
      if (sameLimits(limits, recordLimits(limits.name, (await container.inspect()).HostConfig))) {
        unchanged.push(limits.name);
        continue;
      }
      await container.update(restoringUpdate(limits));
      restored.push(limits.name);
    } catch (error) {
      errors.push(engineStatus(error) === 404 ? `${limits.name} no longer exists (removed by someone else)` : `${limits.name}: ${engineMessage(error)}`);
    }
  }
  const parts = [
    ...(restored.length > 0 ? [`restored the recorded limits of ${restored.join(', ')}`] : []),
    ...(unchanged.length > 0 ? [`${unchanged.join(', ')} already at the recorded limits`] : []),
  ];
  const action = parts.length > 0 ? parts.join('; ') : 'nothing was squeezed: nothing to restore';
  return errors.length > 0 ? { ok: false, action, error: errors.join('; ') } : { ok: true, action };
}
