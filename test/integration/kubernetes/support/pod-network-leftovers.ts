import { type KindNode, KindNodes, podNamespaces } from '../../../../src/targets/kubernetes/kind/index.js';
import { podNetnsInventory } from '../../../../src/targets/kubernetes/faults/pod-network-place.js';
import { reboundLeftovers } from '../../../../src/targets/fault-tools/index.js';
import type { DemoWorkload } from './demo-workload.js';

/** A running demo pod's node and network namespace file (a pod's containers share one). */
export interface PodNetworkPlace {
  pod: string;
  node: KindNode;
  netns: string;
}

/** Each running pod of the workload, where its network namespace is. */
export async function podNetworkPlaces(workload: DemoWorkload, kindNodes = new KindNodes()): Promise<PodNetworkPlace[]> {
  const pods = (await workload.pods()).filter((pod) => !pod.metadata?.deletionTimestamp && pod.status?.containerStatuses?.[0]?.state?.running);
  return Promise.all(
    pods.map(async (pod) => {
      const node = await kindNodes.require(pod.spec!.nodeName!, 'the network fault tests');
      return { pod: pod.metadata!.name!, node, netns: (await podNamespaces(kindNodes, node, pod.status!.containerStatuses![0]!.containerID!)).netns };
    }),
  );
}

/** What of rebound's (chains, qdiscs, the proxy's listener) is left in any running pod's namespace, as "pod: item". */
export async function podNetworkLeftovers(workload: DemoWorkload, kindNodes = new KindNodes()): Promise<string[]> {
  const places = await podNetworkPlaces(workload, kindNodes);
  const found = await Promise.all(places.map(async (place) => reboundLeftovers(await podNetnsInventory(kindNodes, place.node, place.netns)).map((item) => `${place.pod}: ${item}`)));
  return found.flat();
}
