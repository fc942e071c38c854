import type Docker from 'dockerode';
import { pollUntil } from '../../../common/poll-until.js';
import type { RollbackOutcome } from '../../../faults/index.js';
import { engineMessage, engineStatus } from '../docker-client.js';

export interface HelperRef {
  id: string;
  /** The container it works on (for messages). */
  target: string;
}

/** How long a stopped helper may take to be removed (AutoRemove lags under load: 101–817 ms measured). */
const REMOVAL_TIMEOUT_MS = 10_000;

/**
 * The undo of the faults a helper container does (cpu-stress, memory-stress): `docker stop` of each
 * rebound-helper-<id> still there. SIGTERM makes the driver remove what it applied and stop its
 * stress process; the container is removed (AutoRemove), and every process in it goes with it.
 * A helper that is gone ended by itself at its deadline. Idempotent; never SIGKILLs a helper.
 */
export async function stopHelperContainers(docker: Docker, helpers: readonly HelperRef[]): Promise<RollbackOutcome> {
  const stopped: string[] = [];
  const ended: string[] = [];
  const errors: string[] = [];
  for (const helper of helpers) {
    const container = docker.getContainer(`rebound-helper-${helper.id}`);
    try {
      await container.stop({ t: 15 });
      stopped.push(`${helper.id} on ${helper.target}`);
    } catch (error) {
      // 404: gone (it ended at its deadline, or was never started); 304: already stopped, AutoRemove follows.
      if (engineStatus(error) === 404) {
        ended.push(helper.id);
        continue;
      }
      if (engineStatus(error) !== 304) {
        errors.push(`helper ${helper.id} on ${helper.target}: ${engineMessage(error)}`);
        continue;
      }
      stopped.push(`${helper.id} on ${helper.target}`);
    }
    const removed = await pollUntil({
      check: () => container.inspect().then(() => false, (error: unknown) => engineStatus(error) === 404),
      done: (gone) => gone,
      timeoutMs: REMOVAL_TIMEOUT_MS,
      intervalMs: 100,
      retryErrors: true,
    });
    if (removed.status !== 'done') errors.push(`helper ${helper.id} on ${helper.target} was stopped but is still there after ${REMOVAL_TIMEOUT_MS / 1000} s`);
  }
  const parts = [
    ...(stopped.length > 0 ? [`stopped helper ${stopped.join(', ')} (its stress ended with it)`] : []),
    ...(ended.length > 0 ? [`helper ${ended.join(', ')} already gone (ended by itself at its deadline)`] : []),
  ];
  const action = parts.length > 0 ? parts.join('; ') : 'no helper was started: nothing to stop';
  return errors.length > 0 ? { ok: false, action, error: errors.join('; ') } : { ok: true, action };
}
