import type { KindNode, KindNodes } from './kind-nodes.js';

/** Where a pod's container lives inside its kind node. */
export interface PodNamespaces {
  /** The container's main process, in the node's PID namespace. */
  pid: number;
  /** The pod sandbox (pause container) id. */
  sandboxId: string;
  /**
   * The pod's network namespace file (/var/run/netns/cni-…): one per pod, shared by its containers
   * and kept while the pod exists, also across container restarts — unlike a container's PID.
   */
  netns: string;
}

interface CrictlInspect {
  info?: { pid?: number; sandboxID?: string; runtimeSpec?: { linux?: { namespaces?: { type?: string; path?: string }[] } } };
}

/** Reads a container's PID and its pod's network namespace through crictl in the node. */
export async function podNamespaces(kindNodes: KindNodes, node: KindNode, containerId: string): Promise<PodNamespaces> {
  const id = containerId.replace(/^[a-z]+:\/\//, '');
  const container = JSON.parse(await kindNodes.exec(node, ['crictl', 'inspect', id])) as CrictlInspect;
  const pid = container.info?.pid;
  const sandboxId = container.info?.sandboxID;
  if (typeof pid !== 'number' || pid <= 1 || !sandboxId) throw new Error(`crictl inspect ${id} on ${node.name} gave no process id or sandbox (is the container running?)`);
  const sandbox = JSON.parse(await kindNodes.exec(node, ['crictl', 'inspectp', sandboxId])) as CrictlInspect;
  const netns = sandbox.info?.runtimeSpec?.linux?.namespaces?.find((namespace) => namespace.type === 'network')?.path;
  if (!netns) throw new Error(`crictl inspectp ${sandboxId} on ${node.name} names no network namespace (a hostNetwork pod?)`);
  return { pid, sandboxId, netns };
}
