import type { V1Node } from '@kubernetes/client-node';
import { formatDuration } from '../../../common/duration.js';
import { errorMessage, UsageError } from '../../../common/errors.js';
import { pollUntil } from '../../../common/poll-until.js';
import type { RollbackOutcome } from '../../../faults/index.js';
import { chainName, KUBELET_PORT, newHelperId, nodePartitionScript } from '../../fault-tools/index.js';
import { evictionSentence, readClusterDelays } from '../cluster-facts.js';
import { listSystemPods } from '../discover-system.js';
import { NODE_HELPER_UNIT_PREFIX, startNodeHelper } from '../kind/node-helper.js';
import type { KubeApi } from '../kube-api.js';
import { kubeCall } from '../kube-errors.js';
import { isControlPlane, isNodeReady } from '../node-facts.js';
import type { KubernetesFault, KubernetesUndoContext } from './fault-context.js';
import { stopAndRemoveScript } from './remove-pod-network-fault.js';

/** How long healing waits for the node to be Ready again before saying it is not. */
const READY_AGAIN_TIMEOUT_MS = 120_000;

/**
 * partition-node = a kind node cut off from the control plane while everything on it keeps running:
 * in the node container's own network namespace, traffic from the node (and from its pods, FORWARD)
 * to the API server's addresses and from those addresses to the kubelet is dropped (or rejected).
 * Pod-to-pod traffic is untouched, so the node's pods still answer until the control plane acts:
 * NotReady after node-monitor-grace-period, the pods out of their Services then, evicted after
 * their tolerationSeconds and replaced elsewhere. A transient unit in the node holds the rules and
 * removes them at `duration` by itself; the undo removes them earlier and waits until Ready.
 */
export const partitionNode: KubernetesFault<'partition-node'> = {
  planUndo: (fault) => ({ action: 'heal-node', node: nodeOf(fault), helpers: [] }),
  async inject(fault, context, run) {
    const nodeName = nodeOf(fault);
    const node = await kubeCall(`reading node ${nodeName}`, context.api.server, () => context.api.core.readNode({ name: nodeName }));
    if (isControlPlane(node)) throw new UsageError(`node ${nodeName} is the control plane: partition-node cuts a worker off from it`, { hint: 'name a worker in partition-node.node' });
    const kindNode = await context.kindNodes.require(nodeName, 'partition-node');
    if (kindNode.state !== 'running') throw new Error(`node ${nodeName}'s container is ${kindNode.state}: rebound partitions only running nodes`);
    const servers = await apiServerAddresses(context.api);
    const { pods } = await listSystemPods(context.api, context.selector, context.namespace);
    const { delays } = await readClusterDelays(context.api, pods);
    const id = newHelperId();
    const script = nodePartitionScript(id, servers, fault.params.action);
    const undo = { action: 'heal-node' as const, node: nodeName, helpers: [{ id, node: nodeName, remove: script.remove }] };
    run.record(undo);
    await startNodeHelper(context.kindNodes, { node: kindNode, id, script, timing: { durationMs: fault.params.duration }, description: `partition-node ${nodeName}` });
    const mechanism = `iptables ${chainName(`${id}-out`)} (filter OUTPUT, FORWARD) and ${chainName(`${id}-in`)} (filter INPUT) in node ${nodeName}'s namespace: ${fault.params.action.toUpperCase()} to the API server (${servers.map((server) => `${server.ip}:${server.port}`).join(', ')}) and from it to the kubelet (:${KUBELET_PORT})`;
    return {
      undo,
      note: `node ${nodeName} cut off from the control plane (its pods keep running and answering); ${evictionSentence(delays)}; unit rebound-helper-${id} heals it by itself after ${formatDuration(fault.params.duration)}`,
      facts: {
        waitsForNodeEviction: true,
        network: {
          mechanism,
          effect: `the kubelet on ${nodeName} cannot reach the API server, nor the API server the kubelet; pod traffic is untouched`,
          applied: [{ subject: nodeName, helper: id, script: script.apply }],
          endsAfterMs: fault.params.duration,
        },
      },
    };
  },
  undo: (record, context) => healNode(record, context),
};

function nodeOf(fault: { subjects: readonly string[]; params: { node?: string | undefined } }): string {
  const name = fault.subjects[0] ?? fault.params.node;
  if (name === undefined) throw new UsageError('partition-node has no node: no eligible worker was found', { hint: 'name one in partition-node.node' });
  return name;
}

/** The API server's addresses: the endpoints of the `kubernetes` Service, else the control-plane nodes' InternalIP:6443. */
async function apiServerAddresses(api: KubeApi): Promise<{ ip: string; port: number }[]> {
  try {
    const endpoints = await api.core.readNamespacedEndpoints({ name: 'kubernetes', namespace: 'default' });
    const found = (endpoints.subsets ?? []).flatMap((subset) => (subset.addresses ?? []).flatMap((address) => (subset.ports ?? []).map((port) => ({ ip: address.ip, port: port.port }))));
    if (found.length > 0) return found;
  } catch {
    // Endpoints are deprecated (still served in 1.34); fall back to the nodes below.
  }
  const nodes = await kubeCall('listing the nodes', api.server, () => api.core.listNode());
  const addresses = nodes.items.filter(isControlPlane).flatMap((node: V1Node) => (node.status?.addresses ?? []).filter((address) => address.type === 'InternalIP').map((address) => ({ ip: address.address, port: 6443 })));
  if (addresses.length === 0) throw new Error('cannot tell the API server\'s address: no endpoints for Service default/kubernetes and no control-plane node with an InternalIP');
  return addresses;
}

/** Removes the node's chains (the unit stopped, the remove script run again), then waits until the node is Ready. Idempotent. */
async function healNode(record: { node: string; helpers: { id: string; remove: string }[] }, { api, kindNodes }: KubernetesUndoContext): Promise<RollbackOutcome> {
  if (record.helpers.length === 0) return { ok: true, action: `nothing was applied to ${record.node}: nothing to heal` };
  const node = await kindNodes.find(record.node);
  if ('missing' in node) return { ok: false, action: `heal node ${record.node}`, error: node.missing };
  if (node.state !== 'running') return { ok: false, action: `heal node ${record.node}`, error: `node ${record.node}'s container is ${node.state}: start it (its rules went with its namespace if it was restarted), then run rebound recover` };
  for (const helper of record.helpers) {
    const result = await kindNodes.execScript(node, stopAndRemoveScript(`${NODE_HELPER_UNIT_PREFIX}${helper.id}.service`, undefined, helper.remove), { timeoutMs: 45_000 });
    if (result.exitCode !== 0) return { ok: false, action: `heal node ${record.node}`, error: `removing chains REBOUND-${helper.id}-* exited ${result.exitCode}: ${(result.stderr || result.stdout).trim().slice(-300)}` };
  }
  const ready = await pollUntil({ check: async () => isNodeReady(await api.core.readNode({ name: record.node })), done: (isReady) => isReady, timeoutMs: READY_AGAIN_TIMEOUT_MS, intervalMs: 500, retryErrors: true });
  if (ready.status === 'done') return { ok: true, action: `removed ${record.node}'s partition; Ready ${ready.waitedMs < 600 ? 'at once' : `again after ${formatDuration(ready.waitedMs)}`}` };
  const why = ready.lastError !== undefined ? ` (last API error: ${errorMessage(ready.lastError)})` : '';
  return { ok: false, action: `removed ${record.node}'s partition`, error: `node ${record.node} is not Ready ${formatDuration(READY_AGAIN_TIMEOUT_MS)} later${why}: check it with kubectl describe node ${record.node}` };
}
