import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { DEPLOY_LABEL } from '../../../common/labels.js';
import type { KubeApi } from '../kube-api.js';
import { kubeCall, statusOf } from '../kube-errors.js';
import { isNodeReady, isSchedulable, nodeName } from '../node-facts.js';
import { isTerminating, podName } from '../pod-facts.js';
import type { WorkloadRef } from './remove-workload.js';

/**
 * Which pods to delete so that the rest are spread again, at most one apart over `nodes` (the
 * nodes pods can go to): one at a time from the fullest node, counted as moving to the emptiest,
 * until max - min ≤ 1. The spread constraint (DoNotSchedule) then puts each replacement on an
 * emptier node. Pure; pods on other nodes, unscheduled or terminating pods are not counted.
 */
export function podsToRespread(pods: readonly { name: string; node: string }[], nodes: readonly string[]): string[] {
  const onNode = new Map(nodes.map((node) => [node, [] as string[]]));
  for (const pod of [...pods].sort((a, b) => a.name.localeCompare(b.name))) onNode.get(pod.node)?.push(pod.name);
  const counts = new Map(nodes.map((node) => [node, onNode.get(node)!.length]));
  const chosen: string[] = [];
  for (;;) {
    const byCount = [...counts.entries()].sort(([a, x], [b, y]) => x - y || a.localeCompare(b));
    const [emptiest, fewest] = byCount[0] ?? ['', 0];
    const [fullest, most] = byCount.at(-1) ?? ['', 0];
    if (most - fewest <= 1) return chosen;
    chosen.push(onNode.get(fullest)!.pop()!);
    counts.set(fullest, most - 1);
    counts.set(emptiest, fewest + 1);
  }
}

/** Nodes a spread pod can go to: Ready, schedulable, and without a NoSchedule / NoExecute taint (the control plane, a cordoned or failing node). */
export function spreadDomains(nodes: readonly V1Node[]): string[] {
  return nodes
    .filter((node) => isNodeReady(node) && isSchedulable(node) && !(node.spec?.taints ?? []).some((taint) => taint.effect === 'NoSchedule' || taint.effect === 'NoExecute'))
    .map(nodeName);
}

/**
 * Before an iteration: a node fault of the last one left every pod on the surviving worker (the
 * scheduler places pods, it never moves them), so the next node fault would take them all.
 * Deletes the pods that podsToRespread names; the ReplicaSet replaces them spread again. Returns
 * their names (empty: already spread).
 */
export async function respreadPods(api: KubeApi, { name, namespace }: WorkloadRef): Promise<string[]> {
  const [pods, nodes] = await Promise.all([
    kubeCall(`listing the pods of ${name} in namespace ${namespace}`, api.server, () => api.core.listNamespacedPod({ namespace, labelSelector: `${DEPLOY_LABEL}=${name}` })),
    kubeCall('listing the nodes', api.server, () => api.core.listNode()),
  ]);
  const placed = pods.items.filter((pod: V1Pod) => !isTerminating(pod) && pod.spec?.nodeName).map((pod) => ({ name: podName(pod), node: pod.spec!.nodeName! }));
  const chosen = podsToRespread(placed, spreadDomains(nodes.items));
  for (const pod of chosen) {
    await kubeCall(`deleting pod ${pod} in namespace ${namespace} to spread the pods again`, api.server, async () => {
      try {
        await api.core.deleteNamespacedPod({ name: pod, namespace });
      } catch (error) {
        if (statusOf(error) !== 404) throw error; // gone already: fine
      }
    });
  }
  return chosen;
}
