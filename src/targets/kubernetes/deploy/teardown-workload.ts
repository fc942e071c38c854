import { errorMessage } from '../../../common/errors.js';
import type { RollbackOutcome } from '../../target.js';
import type { KubeApi } from '../kube-api.js';
import { removeWorkload, type WorkloadRef } from './remove-workload.js';

/**
 * removeWorkload as a rollback: never throws, safe to call again (what is gone is skipped).
 * `deleteNamespace`: also the namespace, when it carries the deploy label (deploy created it).
 */
export async function teardownWorkload(api: KubeApi, ref: WorkloadRef, options: { deleteNamespace: boolean }): Promise<RollbackOutcome> {
  try {
    const { removed, foreign } = await removeWorkload(api, ref, options);
    const done = removed.length > 0 ? `removed ${removed.join(', ')}` : `nothing of ${ref.name} left in namespace ${ref.namespace}`;
    const kept = foreign.length > 0 ? `; left ${foreign.join(', ')} alone (not created by rebound: no label rebound.dev/deploy=${ref.name})` : '';
    return { ok: true, action: `${done}${kept}` };
  } catch (error) {
    return { ok: false, action: `remove ${ref.name} from namespace ${ref.namespace}`, error: errorMessage(error) };
  }
}
