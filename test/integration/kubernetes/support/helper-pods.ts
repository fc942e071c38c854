import { randomBytes } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import { execa } from 'execa';
import { FAULT_TOOLS_IMAGE } from '../../../../src/targets/fault-tools/index.js';
import { type KindNode, KindNodes } from '../../../../src/targets/kubernetes/kind/index.js';
import { DEMO_IMAGE, TEST_LABEL } from './demo-workload.js';
import { type KubeClients, waitFor } from './kind-cluster.js';

export interface HelperPod {
  name: string;
  namespace: string;
  node: KindNode;
  ip: string;
  containerId: string;
  restartCount: number;
}

/**
 * A namespace of single demo pods pinned to one worker, for the node-helper tests. Labelled like
 * the other Kubernetes test namespaces (rebound.dev/test=kubernetes-target), so the stale-namespace
 * clean-up of a later run removes it if this one is killed.
 */
export async function helperPodNamespace(clients: KubeClients): Promise<{ namespace: string; remove(): Promise<void> }> {
  const namespace = `rebound-helpers-${randomBytes(4).toString('hex')}`;
  await clients.core.createNamespace({ body: { metadata: { name: namespace, labels: { [TEST_LABEL]: 'kubernetes-target' } } } });
  return {
    namespace,
    remove: async () => {
      try {
        await clients.core.deleteNamespace({ name: namespace, gracePeriodSeconds: 0 });
      } catch (error) {
        if ((error as { code?: number }).code !== 404) throw error;
      }
    },
  };
}

/** A Guaranteed demo pod on `nodeName` (requests = limits), running and answering. */
export async function startHelperPod(
  clients: KubeClients,
  namespace: string,
  nodeName: string,
  options: { cpu?: string; memory?: string; restartPolicy?: 'Always' | 'Never' } = {},
): Promise<HelperPod> {
  const name = `demo-${randomBytes(3).toString('hex')}`;
  const resources = { cpu: options.cpu ?? '200m', memory: options.memory ?? '64Mi' };
  await clients.core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name, labels: { app: 'helper-test' } },
      spec: {
        nodeName,
        restartPolicy: options.restartPolicy ?? 'Always',
        terminationGracePeriodSeconds: 0,
        containers: [{ name: 'app', image: DEMO_IMAGE, imagePullPolicy: 'Never', resources: { requests: resources, limits: resources } }],
      },
    },
  });
  const pod = await waitFor(`pod ${name} running`, 60_000, async () => {
    const current = await clients.core.readNamespacedPod({ name, namespace });
    return current.status?.containerStatuses?.[0]?.state?.running && current.status.podIP ? current : undefined;
  });
  return describeHelperPod(pod, namespace);
}

export async function readHelperPod(clients: KubeClients, pod: HelperPod): Promise<V1Pod> {
  return clients.core.readNamespacedPod({ name: pod.name, namespace: pod.namespace });
}

async function describeHelperPod(pod: V1Pod, namespace: string): Promise<HelperPod> {
  const status = pod.status!.containerStatuses![0]!;
  const node = await new KindNodes().require(pod.spec!.nodeName!, 'the helper tests');
  return { name: pod.metadata!.name!, namespace, node, ip: pod.status!.podIP!, containerId: status.containerID!, restartCount: status.restartCount };
}

/**
 * The fault-tools image in every node of the cluster: kind-cluster.sh up loads it, but a cluster
 * created by another branch's scripts may not have it (kind load copies only what a node lacks).
 */
export async function ensureFaultToolsLoaded(cluster: string): Promise<void> {
  const kind = process.env.REBOUND_KIND_BIN ?? 'kind';
  await execa(kind, ['load', 'docker-image', FAULT_TOOLS_IMAGE, '--name', cluster], { timeout: 180_000 });
}

/** GET on a new connection from inside the node (curl), its time_total in ms; undefined if it failed. */
export async function curlFromNode(kindNodes: KindNodes, node: KindNode, url: string, count: number): Promise<(number | undefined)[]> {
  const result = await kindNodes.execScript(node, `for i in $(seq ${count}); do curl -s -o /dev/null -m 3 -w '%{http_code} %{time_total}\\n' ${url}; done`, { timeoutMs: 60_000 });
  return result.stdout.trim().split('\n').map((line) => {
    const [code, seconds] = line.split(' ');
    return code === '200' ? Number(seconds) * 1000 : undefined;
  });
}

/** Epoch ms at which `pattern` is gone from the namespace's iptables-nft-save / tc output (polled every 20 ms in the node). */
export async function nodeWatchUntilGone(kindNodes: KindNodes, node: KindNode, netns: string, pattern: string, timeoutS: number): Promise<number> {
  const script = `end=$(( $(date +%s) + ${timeoutS} )); while [ "$(date +%s)" -lt "$end" ]; do if ! nsenter --net=${netns} sh -c 'iptables-nft-save; tc qdisc show' 2>/dev/null | grep -q -- '${pattern}'; then date +%s%3N; exit 0; fi; sleep 0.02; done; echo timeout; exit 1`;
  const result = await kindNodes.execScript(node, script, { timeoutMs: (timeoutS + 10) * 1000 });
  const epochMs = Number(result.stdout.trim());
  if (result.exitCode !== 0 || !Number.isFinite(epochMs)) throw new Error(`"${pattern}" stayed in ${netns} on ${node.name} for ${timeoutS} s`);
  return epochMs;
}
