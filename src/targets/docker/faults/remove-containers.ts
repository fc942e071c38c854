import type { RecordedContainer, RollbackOutcome } from '../../../faults/index.js';
import { engineMessage } from '../docker-client.js';
import type { DockerFault } from './docker-fault.js';
import { recordContainer, recreateContainer } from './recorded-container.js';

/**
 * Force-removes containers. Each one's configuration is journalled before it goes, so the rollback
 * (or `rebound recover` after a kill -9) re-creates it as it was.
 */
export const removeContainers: DockerFault<'remove'> = {
  planUndo: () => ({ action: 'recreate', containers: [] }),
  async inject(fault, { docker }, run) {
    const recorded: RecordedContainer[] = [];
    for (const name of fault.subjects) {
      const container = docker.getContainer(name);
      recorded.push(recordContainer(await container.inspect()));
      run.record({ action: 'recreate', containers: [...recorded] });
      await container.remove({ force: true });
    }
    return { undo: { action: 'recreate', containers: recorded }, note: 'docker rm -f: nothing brings a removed container back on a plain Docker host', facts: { staysDown: 'a removed container is gone: nothing re-creates it on a plain Docker host' } };
  },
  undo: (record, { docker }) => recreateContainers(docker, record.containers),
};

/** Re-creates each recorded container that is missing; idempotent. */
export async function recreateContainers(docker: Parameters<typeof recreateContainer>[0], recorded: readonly RecordedContainer[]): Promise<RollbackOutcome> {
  const recreated: string[] = [];
  const present: string[] = [];
  const errors: string[] = [];
  for (const container of recorded) {
    try {
      ((await recreateContainer(docker, container)) === 'recreated' ? recreated : present).push(container.name);
    } catch (error) {
      errors.push(`${container.name}: ${engineMessage(error)}`);
    }
  }
  const parts = [
    ...(recreated.length > 0 ? [`re-created ${recreated.join(', ')} from the recorded configuration`] : []),
    ...(present.length > 0 ? [`${present.join(', ')} already there`] : []),
  ];
  const action = parts.length > 0 ? parts.join('; ') : 'nothing was removed: nothing to re-create';
  return errors.length > 0 ? { ok: false, action, error: errors.join('; ') } : { ok: true, action };
}
