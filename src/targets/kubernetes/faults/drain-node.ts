import { formatDuration } from '../../../common/duration.js';
import { errorMessage, UsageError } from '../../../common/errors.js';
import type { PlannedFault } from '../../target.js';
import { kubeCall } from '../kube-errors.js';
import { isControlPlane } from '../node-facts.js';
import { setUnschedulable } from './cordon.js';
import { evictPod, isEvictable } from './evict-pod.js';
import { type FaultContext, type InjectFault, once } from './fault-context.js';

const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * drain-node = cordon, then the Eviction API for every evictable pod of the experiment's namespace
 * on the node, all at once, each retried while a PodDisruptionBudget refuses (429). Pods of other
 * namespaces are left where they are: the blast radius is the experiment's namespace (the cordon
 * still keeps new pods off the node). Rollback uncordons, unless the node was cordoned before.
 */
export const drainNode: InjectFault = async (fault, context) => {
  const nodeName = nodeOf(fault);
  const node = await kubeCall(`reading node ${nodeName}`, context.api.server, () => context.api.core.readNode({ name: nodeName }));
  if (isControlPlane(node)) {
    throw new UsageError(`node ${nodeName} is the control plane: rebound does not drain it`, { hint: 'name a worker in drain-node.node, or leave it out to drain the worker holding the most pods' });
  }
  const wasCordoned = node.spec?.unschedulable === true;
  const uncordon = once(async () => {
    if (wasCordoned) return { ok: true, action: `left ${nodeName} cordoned (it was cordoned before the drain)` };
    await setUnschedulable(context.api, nodeName, false);
    return { ok: true, action: `uncordoned ${nodeName}` };
  });
  if (!wasCordoned) await setUnschedulable(context.api, nodeName, true);
  try {
    const summary = await evictAll(nodeName, fault, context);
    return {
      note: `cordoned ${nodeName} and evicted ${summary} (PodDisruptionBudgets honoured; pods of other namespaces stay)`,
      undo: { target: 'kubernetes', action: 'uncordon', subjects: [nodeName] },
      rollback: uncordon,
    };
  } catch (error) {
    // Half a drain is still a cordoned node: undo it before saying the fault failed.
    const undone = await uncordon().catch((undoError: unknown) => ({ ok: false, action: `uncordon ${nodeName} failed: ${errorMessage(undoError)}` }));
    throw new Error(`${errorMessage(error)} (${undone.action})`, { cause: error });
  }
};

function nodeOf(fault: PlannedFault): string {
  const name = fault.subjects[0] ?? (typeof fault.params.node === 'string' ? fault.params.node : undefined);
  if (name === undefined) throw new UsageError('drain-node has no node to drain: no eligible worker was found', { hint: 'name one in drain-node.node' });
  return name;
}

async function evictAll(nodeName: string, fault: PlannedFault, context: FaultContext): Promise<string> {
  const timeoutMs = typeof fault.params.timeout === 'number' ? fault.params.timeout : DEFAULT_TIMEOUT_MS;
  const deadline = performance.now() + timeoutMs;
  const list = await kubeCall(`listing pods on ${nodeName}`, context.api.server, () =>
    context.api.core.listNamespacedPod({ namespace: context.namespace, fieldSelector: `spec.nodeName=${nodeName}` }),
  );
  const pods = list.items.filter(isEvictable);
  const results = await Promise.all(pods.map((pod) => evictPod(context.api, pod, deadline, context.signal)));
  const failed = results.filter((result) => !result.evicted);
  const refusals = results.reduce((sum, result) => sum + result.refusals, 0);
  if (failed.length > 0) {
    const what = failed.map((result) => `${result.pod} (${result.error})`).join(', ');
    throw new Error(context.signal?.aborted ? `drain of ${nodeName} interrupted; not evicted: ${what}` : `drain of ${nodeName} did not finish within ${formatDuration(timeoutMs)}; not evicted: ${what}`);
  }
  return `${results.length} pod${results.length === 1 ? '' : 's'} of namespace ${context.namespace}${refusals > 0 ? `, after ${refusals} refusals (429) by a PodDisruptionBudget` : ''}`;
}
