import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import Docker from 'dockerode';
import type { KubeClients } from './kind-cluster.js';

/** The two workers, the one holding the most pods of the namespace first. */
export async function workersByLoad(clients: KubeClients, namespace: string): Promise<[string, string]> {
  const nodes = (await clients.core.listNode()).items.filter((node) => !('node-role.kubernetes.io/control-plane' in (node.metadata?.labels ?? {})));
  const pods = (await clients.core.listNamespacedPod({ namespace })).items.filter((pod) => !pod.metadata?.deletionTimestamp);
  const count = (name: string) => pods.filter((pod) => pod.spec?.nodeName === name).length;
  const names = nodes.map((node) => node.metadata!.name!).sort((a, b) => count(b) - count(a) || a.localeCompare(b));
  return [names[0]!, names[1]!];
}

/**
 * After the node faults, whatever happened in the tests: every kind worker container running and
 * every worker schedulable, so the next test (or engineer) finds the cluster whole.
 */
export async function restoreWorkers(clients: KubeClients): Promise<void> {
  const docker = new Docker();
  const nodes = (await clients.core.listNode()).items.filter((node) => !('node-role.kubernetes.io/control-plane' in (node.metadata?.labels ?? {})));
  for (const node of nodes) {
    const name = node.metadata!.name!;
    const state = (await docker.getContainer(name).inspect()).State;
    if (state.Paused) await docker.getContainer(name).unpause();
    else if (!state.Running) await docker.getContainer(name).start();
    if (node.spec?.unschedulable) await clients.core.patchNode({ name, body: { spec: { unschedulable: false } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  }
}

/** Every node Ready and schedulable (a previous run's node fault may still be healing). */
export async function waitForHealthyNodes(clients: KubeClients, timeoutMs = 120_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let unhealthy: string[] = [];
  while (performance.now() < deadline) {
    const nodes = (await clients.core.listNode()).items;
    unhealthy = nodes
      .filter((node) => node.spec?.unschedulable || !node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
      .map((node) => node.metadata!.name!);
    if (unhealthy.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`nodes not Ready and schedulable after ${timeoutMs / 1000} s: ${unhealthy.join(', ')} (bash scripts/kind-cluster.sh status)`);
}
