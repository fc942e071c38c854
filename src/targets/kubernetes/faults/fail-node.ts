import { formatDuration } from '../../../common/duration.js';
import { errorMessage, UsageError } from '../../../common/errors.js';
import { pollUntil } from '../../../common/poll-until.js';
import type { RollbackOutcome } from '../../../faults/index.js';
import { evictionSentence, readClusterDelays } from '../cluster-facts.js';
import { listSystemPods } from '../discover-system.js';
import type { KindNodes } from '../kind/kind-nodes.js';
import type { KubeApi } from '../kube-api.js';
import { kubeCall } from '../kube-errors.js';
import { isControlPlane, isNodeReady } from '../node-facts.js';
import type { KubernetesFault } from './fault-context.js';

/** How long bringing a node back waits for it to be Ready again before saying it is not. */
const READY_AGAIN_TIMEOUT_MS = 120_000;

/**
 * fail-node = the kind node's container stopped (`docker stop -t 0`: a power cut, the kubelet gets
 * no chance to say goodbye) or paused (frozen: the kubelet stops heartbeating but its TCP
 * connections stay open). Either way the API notices only when the node controller marks the node
 * NotReady after node-monitor-grace-period, and replaces its pods only after the pods'
 * tolerationSeconds; the note says both, read from this cluster. Undo starts / unpauses the
 * container and waits (bounded) until the node is Ready again.
 */
export const failNode: KubernetesFault<'fail-node'> = {
  planUndo: (fault) => ({ action: 'bring-node-back', node: nodeOf(fault), failedByRebound: false }),
  async inject(fault, context, run) {
    const nodeName = nodeOf(fault);
    const node = await kubeCall(`reading node ${nodeName}`, context.api.server, () => context.api.core.readNode({ name: nodeName }));
    if (isControlPlane(node)) throw new UsageError(`node ${nodeName} is the control plane: rebound does not fail it (the API would go with it)`, { hint: 'name a worker in fail-node.node' });
    const kindNode = await context.kindNodes.require(nodeName, 'fail-node');
    if (kindNode.state !== 'running') {
      // Stopped or paused by someone else: rebound's rollback would "restore" what it did not break.
      throw new Error(`node ${nodeName}'s container is already ${kindNode.state}: rebound fails only running nodes (bash scripts/kind-cluster.sh status)`);
    }
    // The system's pods carry the tolerations that decide when they leave the failed node.
    const { pods } = await listSystemPods(context.api, context.selector, context.namespace);
    const { delays } = await readClusterDelays(context.api, pods);
    const undo = { action: 'bring-node-back' as const, node: nodeName, failedByRebound: true };
    run.record(undo);
    const mode = fault.params.mode;
    if (mode === 'pause') await context.kindNodes.container(kindNode).pause();
    else await context.kindNodes.container(kindNode).stop({ t: 0 });
    return {
      undo,
      note: `node ${nodeName} ${mode === 'pause' ? 'paused (docker pause)' : 'stopped (docker stop -t 0)'}; ${evictionSentence(delays)}`,
      facts: { waitsForNodeEviction: true },
    };
  },
  async undo(record, { api, kindNodes }) {
    if (!record.failedByRebound) return { ok: true, action: `left ${record.node} as it was (rebound did not fail it)` };
    return bringNodeBack(api, kindNodes, record.node);
  },
};

function nodeOf(fault: { subjects: readonly string[]; params: { node?: string | undefined } }): string {
  const name = fault.subjects[0] ?? fault.params.node;
  if (name === undefined) throw new UsageError('fail-node has no node: no eligible worker was found', { hint: 'name one in fail-node.node' });
  return name;
}

/** Starts or unpauses the node container, whichever it needs, then waits until the node is Ready. Idempotent. */
export async function bringNodeBack(api: KubeApi, kindNodes: KindNodes, nodeName: string): Promise<RollbackOutcome> {
  const found = await kindNodes.find(nodeName);
  if ('missing' in found) return { ok: false, action: `bring node ${nodeName} back`, error: found.missing };
  const container = kindNodes.container(found);
  let done: string;
  try {
    if (found.state === 'paused') {
      await container.unpause();
      done = `unpaused node ${found.name}`;
    } else if (found.state !== 'running') {
      await container.start();
      done = `started node ${found.name}`;
    } else {
      done = `node ${found.name} was running`;
    }
  } catch (error) {
    return { ok: false, action: `bring node ${found.name} back`, error: errorMessage(error) };
  }
  // The API itself may stutter while a node rejoins: errors are read again a second later.
  const ready = await pollUntil({ check: async () => isNodeReady(await api.core.readNode({ name: found.name })), done: (isReady) => isReady, timeoutMs: READY_AGAIN_TIMEOUT_MS, intervalMs: 1000, retryErrors: true });
  if (ready.status === 'done') return { ok: true, action: `${done}; Ready again after ${formatDuration(ready.waitedMs)}` };
  const why = ready.lastError !== undefined ? ` (last API error: ${errorMessage(ready.lastError)})` : '';
  return { ok: false, action: done, error: `node ${found.name} is not Ready ${formatDuration(READY_AGAIN_TIMEOUT_MS)} later${why}: check it with kubectl describe node ${found.name}` };
}
