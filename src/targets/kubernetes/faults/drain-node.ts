import { formatDuration } from '../../../common/duration.js';
import { UsageError } from '../../../common/errors.js';
import { IncompleteInjection } from '../../../faults/index.js';
import { kubeCall } from '../kube-errors.js';
import { isControlPlane } from '../node-facts.js';
import { setUnschedulable } from './cordon.js';
import { evictPod, isEvictable } from './evict-pod.js';
import type { KubernetesFault } from './fault-context.js';

/**
 * drain-node = cordon, then the Eviction API for every evictable pod of the experiment's namespace
 * on the node, all at once, each retried while a PodDisruptionBudget refuses (429). Pods of other
 * namespaces are left where they are: the blast radius is the experiment's namespace (the cordon
 * still keeps new pods off the node). A drain that gives up at its timeout has still cordoned the
 * node and maybe evicted pods: an incomplete injection, rolled back like a complete one. Undo
 * uncordons, unless the node was cordoned before.
 */
export const drainNode: KubernetesFault<'drain-node'> = {
  planUndo: (fault) => ({ action: 'uncordon', node: nodeOf(fault), cordonedByRebound: false }),
  async inject(fault, context, run) {
    const started = performance.now();
    const nodeName = nodeOf(fault);
    const node = await kubeCall(`reading node ${nodeName}`, context.api.server, () => context.api.core.readNode({ name: nodeName }));
    if (isControlPlane(node)) {
      throw new UsageError(`node ${nodeName} is the control plane: rebound does not drain it`, { hint: 'name a worker in drain-node.node, or leave it out to drain the worker holding the most pods' });
    }
    const undo = { action: 'uncordon' as const, node: nodeName, cordonedByRebound: node.spec?.unschedulable !== true };
    if (undo.cordonedByRebound) {
      run.record(undo);
      await setUnschedulable(context.api, nodeName, true);
    }
    const cordoned = undo.cordonedByRebound ? `cordoned ${nodeName}` : `${nodeName} was already cordoned`;
    const list = await kubeCall(`listing pods on ${nodeName}`, context.api.server, () =>
      context.api.core.listNamespacedPod({ namespace: context.namespace, fieldSelector: `spec.nodeName=${nodeName}` }),
    );
    const pods = list.items.filter(isEvictable);
    const timeoutMs = Math.max(0, fault.params.timeout - (performance.now() - started));
    const results = await Promise.all(pods.map((pod) => evictPod(context.api, pod, { timeoutMs, ...(run.signal && { signal: run.signal }) })));
    const refusals = results.reduce((sum, result) => sum + result.refusals, 0);
    const evicted = results.filter((result) => result.evicted);
    const refused = refusals > 0 ? `, after ${refusals} refusals (429) by a PodDisruptionBudget` : '';
    const note = `${cordoned} and evicted ${evicted.length} of ${results.length} pod${results.length === 1 ? '' : 's'} of namespace ${context.namespace}${refused} (PodDisruptionBudgets honoured; pods of other namespaces stay)`;
    const failed = results.filter((result) => !result.evicted);
    if (failed.length > 0) {
      const what = failed.map((result) => `${result.pod} (${result.error})`).join(', ');
      const why = run.signal?.aborted ? `drain of ${nodeName} interrupted` : `drain of ${nodeName} gave up after ${formatDuration(fault.params.timeout)}`;
      throw new IncompleteInjection(`${why}; not evicted: ${what}`, { undo, note });
    }
    return { undo, note };
  },
  async undo(record, { api }) {
    if (!record.cordonedByRebound) return { ok: true, action: `left ${record.node} as it was (rebound did not cordon it)` };
    await setUnschedulable(api, record.node, false);
    return { ok: true, action: `uncordoned ${record.node}` };
  },
};

function nodeOf(fault: { subjects: readonly string[]; params: { node?: string | undefined } }): string {
  const name = fault.subjects[0] ?? fault.params.node;
  if (name === undefined) throw new UsageError('drain-node has no node to drain: no eligible worker was found', { hint: 'name one in drain-node.node' });
  return name;
}
