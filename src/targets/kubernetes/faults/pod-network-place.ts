import type { V1Pod } from '@kubernetes/client-node';
import { EnvironmentError } from '../../../common/errors.js';
import { type InstanceNetworkFault, NETNS_INVENTORY_SCRIPT, type NetnsInventory, type NetworkFaultScript, networkFaultScript, newHelperId, parseNetnsInventory, refusalReasons, shellQuote } from '../../fault-tools/index.js';
import type { KindNode, KindNodes } from '../kind/kind-nodes.js';
import { podNamespaces } from '../kind/pod-namespaces.js';
import { kubeCall } from '../kube-errors.js';
import { declaredPorts, labelSelectorOf, mainContainerStatus } from '../pod-facts.js';
import type { KubernetesFaultContext } from './fault-context.js';

/** One pod's network namespace in its kind node, ready for a fault's helper unit. */
export interface PodNetworkPlace {
  pod: string;
  node: KindNode;
  /** The pod's network namespace file in the node: shared by its containers, one helper per pod. */
  netns: string;
  /** The pod's uid: a pod re-created under the same name is another pod. */
  uid: string;
  helperId: string;
  planned: NetworkFaultScript;
}

/**
 * Finds the pod's network namespace through its kind node (crictl) and looks into it (read-only,
 * nsenter from the node), then builds the fault's scripts for it: its interface, its declared
 * container ports, its peers' pod addresses. Refuses, touching nothing, when a root qdisc or a
 * redirect of the port is already there that this fault did not make. Without node access (not a
 * kind node on this machine's Docker engine): EnvironmentError, exit 3.
 */
export async function podNetworkPlace(context: KubernetesFaultContext, podName: string, fault: InstanceNetworkFault): Promise<PodNetworkPlace> {
  const { api, namespace, kindNodes } = context;
  const pod: V1Pod = await kubeCall(`reading pod ${podName}`, api.server, () => api.core.readNamespacedPod({ name: podName, namespace }));
  const status = mainContainerStatus(pod);
  const containerId = status?.containerID;
  const nodeName = pod.spec?.nodeName;
  if (pod.spec?.hostNetwork) throw new Error(`pod ${podName} uses the node's network namespace (hostNetwork): rebound does not change a node's network this way (partition-node cuts a node off)`);
  if (!containerId || !nodeName || status?.state?.running === undefined) throw new Error(`pod ${podName} has no running container, so no network namespace to enter (state: ${JSON.stringify(status?.state ?? 'none')})`);
  const node = await kindNodes.require(nodeName, fault.name);
  const { netns } = await podNamespaces(kindNodes, node, containerId);
  const inventory = await podNetnsInventory(kindNodes, node, netns);
  const peerAddresses = fault.name === 'partition' && fault.params.peers?.selector ? await peerPodAddresses(context, fault.params.peers.selector, podName) : undefined;
  const helperId = newHelperId();
  const planned = networkFaultScript(fault, { id: helperId, device: inventory.defaultDevice ?? 'eth0', declaredPorts: declaredPorts(pod), ...(peerAddresses && { peerAddresses }) });
  const reasons = refusalReasons(inventory, planned.refusal);
  if (reasons.length > 0) throw new Error(`${fault.name} refuses to touch pod ${podName}, and changed nothing: ${reasons.join('; ')}`);
  if (planned.needsNetem) await requireNodeNetem(kindNodes, node, fault.name);
  return { pod: podName, node, netns, uid: pod.metadata?.uid ?? '', helperId, planned };
}

/** What is in a pod's network namespace (rebound's chains and qdiscs, foreign ones), read from its node. */
export async function podNetnsInventory(kindNodes: KindNodes, node: KindNode, netns: string): Promise<NetnsInventory> {
  const result = await kindNodes.execScript(node, `nsenter --net=${shellQuote(netns)} bash -c ${shellQuote(NETNS_INVENTORY_SCRIPT)}`);
  if (result.exitCode !== 0) throw new Error(`the namespace inventory of ${netns} in ${node.name} failed (exit ${result.exitCode}): ${result.stderr.trim()}`);
  return parseNetnsInventory(result.stdout);
}

async function peerPodAddresses({ api, namespace }: KubernetesFaultContext, labels: Record<string, string>, self: string): Promise<string[]> {
  const pods = await kubeCall('listing the peer pods', api.server, () => api.core.listNamespacedPod({ namespace, labelSelector: labelSelectorOf(labels) }));
  const addresses = pods.items.filter((pod) => pod.metadata?.name !== self).flatMap((pod) => (pod.status?.podIPs ?? []).map((ip) => ip.ip)).filter((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip));
  return [...new Set(addresses)].sort();
}

// Per node container: the kernel is the host's, but asked where the helper would run.
const netemChecks = new Map<string, Promise<string | undefined>>();

/**
 * tc netem, asked in a throwaway network namespace of the node (`unshare -n`: the kind node is a
 * privileged container), so nothing of the cluster is touched; refused with exit 3 when the kernel
 * has no sch_netem.
 */
export async function requireNodeNetem(kindNodes: KindNodes, node: KindNode, fault: string): Promise<void> {
  let check = netemChecks.get(node.containerId);
  if (!check) {
    check = kindNodes.execScript(node, 'unshare -n tc qdisc add dev lo root netem delay 1ms').then((result) => (result.exitCode === 0 ? undefined : result.stderr.trim() || `tc exited ${result.exitCode}`));
    check.catch(() => netemChecks.delete(node.containerId));
    netemChecks.set(node.containerId, check);
  }
  const missing = await check;
  if (missing !== undefined) {
    throw new EnvironmentError(`${fault} needs tc netem, and the kernel under kind node ${node.name} has no sch_netem (CONFIG_NET_SCH_NETEM): \`tc qdisc add … netem\` answered "${missing}"; nothing was touched`, {
      hint: 'run it on a kernel with sch_netem (most distribution kernels have the module), or use network-delay / network-loss, which work everywhere',
    });
  }
}
