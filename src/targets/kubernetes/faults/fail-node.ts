import { sleep } from '../../../common/clock.js';
import { formatDuration } from '../../../common/duration.js';
import { errorMessage, UsageError } from '../../../common/errors.js';
import type { RollbackOutcome } from '../../target.js';
import { evictionSentence, readClusterDelays } from '../cluster-facts.js';
import { listSystemPods } from '../discover-system.js';
import type { KindNode, KindNodes } from '../kind/kind-nodes.js';
import type { KubeApi } from '../kube-api.js';
import { kubeCall } from '../kube-errors.js';
import { isControlPlane, isNodeReady } from '../node-facts.js';
import { type InjectFault, once } from './fault-context.js';

/** How long a rollback waits for the node to be Ready again before saying it is not. */
const READY_AGAIN_TIMEOUT_MS = 120_000;

/**
 * fail-node = the kind node's container stopped (`docker stop -t 0`: a power cut, the kubelet gets
 * no chance to say goodbye) or paused (frozen: the kubelet stops heartbeating but its TCP
 * connections stay open). Either way the API notices only when the node controller marks the node
 * NotReady after node-monitor-grace-period, and replaces its pods only after the pods'
 * tolerationSeconds; the note says both, read from this cluster. Rollback starts / unpauses the
 * container and waits (bounded) until the node is Ready again.
 */
export const failNode: InjectFault = async (fault, context) => {
  const nodeName = fault.subjects[0] ?? (typeof fault.params.node === 'string' ? fault.params.node : undefined);
  if (nodeName === undefined) throw new UsageError('fail-node has no node: no eligible worker was found', { hint: 'name one in fail-node.node' });
  const node = await kubeCall(`reading node ${nodeName}`, context.api.server, () => context.api.core.readNode({ name: nodeName }));
  if (isControlPlane(node)) throw new UsageError(`node ${nodeName} is the control plane: rebound does not fail it (the API would go with it)`, { hint: 'name a worker in fail-node.node' });
  const kindNode = await context.kindNodes.require(nodeName, 'fail-node');
  if (kindNode.state !== 'running') {
    // Stopped or paused by someone else: rebound's rollback would "restore" what it did not break.
    throw new Error(`node ${nodeName}'s container is already ${kindNode.state}: rebound fails only running nodes (bash scripts/kind-cluster.sh status)`);
  }
  const mode = fault.params.mode === 'pause' ? 'pause' : 'stop';
  // The system's pods carry the tolerations that decide when they leave the failed node.
  const { pods } = await listSystemPods(context.api, context.selector, context.namespace);
  const { delays } = await readClusterDelays(context.api, pods);
  if (mode === 'pause') await context.kindNodes.container(kindNode).pause();
  else await context.kindNodes.container(kindNode).stop({ t: 0 });
  return {
    note: `node ${nodeName} ${mode === 'pause' ? 'paused (docker pause)' : 'stopped (docker stop -t 0)'}; ${evictionSentence(delays)}`,
    undo: { target: 'kubernetes', action: mode === 'pause' ? 'unpause-node' : 'start-node', subjects: [nodeName] },
    rollback: once(() => bringNodeBack(context.api, context.kindNodes, kindNode)),
  };
};

/** Starts or unpauses the node container, whichever it needs, then waits until the node is Ready. */
export async function bringNodeBack(api: KubeApi, kindNodes: KindNodes, kindNode: KindNode): Promise<RollbackOutcome> {
  const found = await kindNodes.find(kindNode.name);
  if ('missing' in found) return { ok: false, action: `bring node ${kindNode.name} back`, error: found.missing };
  const container = kindNodes.container(found);
  let done: string;
  if (found.state === 'paused') {
    await container.unpause();
    done = `unpaused node ${found.name}`;
  } else if (found.state !== 'running') {
    await container.start();
    done = `started node ${found.name}`;
  } else {
    done = `node ${found.name} was running`;
  }
  const { waitedMs, lastError } = await waitForNodeReady(api, found.name, READY_AGAIN_TIMEOUT_MS);
  if (waitedMs === undefined) {
    const why = lastError ? ` (last API error: ${lastError})` : '';
    return { ok: false, action: done, error: `node ${found.name} is not Ready ${formatDuration(READY_AGAIN_TIMEOUT_MS)} later${why}: check it with kubectl describe node ${found.name}` };
  }
  return { ok: true, action: `${done}; Ready again after ${formatDuration(waitedMs)}` };
}

/** ms until the node's Ready condition is True, or none after the timeout (reads once a second). */
async function waitForNodeReady(api: KubeApi, name: string, timeoutMs: number): Promise<{ waitedMs?: number; lastError?: string }> {
  const started = performance.now();
  let lastError = '';
  while (performance.now() - started < timeoutMs) {
    try {
      if (isNodeReady(await api.core.readNode({ name }))) return { waitedMs: performance.now() - started };
    } catch (error) {
      lastError = errorMessage(error); // the API itself may stutter while a node rejoins: try again
    }
    await sleep(1000);
  }
  return lastError ? { lastError } : {};
}
