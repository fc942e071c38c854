import { randomBytes } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import { type KubeClients, waitFor } from './kind-cluster.js';

export const DEMO_IMAGE = process.env.REBOUND_DEMO_IMAGE ?? 'rebound/demo-app:v1';
/** Every namespace these tests create carries this label, so leftovers of killed runs can be found. */
export const TEST_LABEL = 'rebound.dev/test';
const TEST_LABEL_VALUE = 'kubernetes-target';
/** NodePorts the cluster maps to 127.0.0.1 that these tests may take (30089 is the smoke test's). */
const NODE_PORTS = [30080, 30081, 30082, 30083, 30084, 30085, 30086, 30087, 30088];
const APP = 'demo';

export interface DemoWorkload {
  namespace: string;
  /** Pod labels: select the system with these. */
  labels: Record<string, string>;
  deployment: string;
  nodePort: number;
  url: string;
  pods(): Promise<V1Pod[]>;
  remove(): Promise<void>;
}

export interface DemoWorkloadOptions {
  replicas?: number;
  /** The pods' requests = limits (Guaranteed), e.g. { cpu: '200m', memory: '64Mi' }: for the resource faults. */
  resources?: { cpu: string; memory: string };
}

/**
 * A random-suffixed namespace with the acceptance workload: a Deployment of the demo image
 * (3 replicas over both workers, readiness on /healthz every second, opted in to chaos), a NodePort
 * Service on a loopback-mapped port and a PodDisruptionBudget minAvailable 2.
 */
export async function createDemoWorkload(clients: KubeClients, options: DemoWorkloadOptions = {}): Promise<DemoWorkload> {
  await removeStaleNamespaces(clients);
  const suffix = randomBytes(4).toString('hex');
  const namespace = `rebound-k8s-${suffix}`;
  const labels = { app: APP, [TEST_LABEL]: suffix, 'rebound.dev/chaos': 'enabled' };
  await clients.core.createNamespace({ body: { metadata: { name: namespace, labels: { [TEST_LABEL]: TEST_LABEL_VALUE } } } });
  const pods = async () => (await clients.core.listNamespacedPod({ namespace, labelSelector: `app=${APP}` })).items;
  const remove = async () => {
    // The Service goes first and at once: it holds the NodePort until it is gone.
    await ignoreNotFound(clients.core.deleteNamespacedService({ name: APP, namespace }));
    await ignoreNotFound(clients.core.deleteNamespace({ name: namespace, gracePeriodSeconds: 0 }));
  };
  try {
    await clients.apps.createNamespacedDeployment({ namespace, body: demoDeployment(labels, options.replicas ?? 3, options.resources) });
    await clients.policy.createNamespacedPodDisruptionBudget({
      namespace,
      body: { metadata: { name: APP }, spec: { minAvailable: 2, selector: { matchLabels: { app: APP } } } },
    });
    const nodePort = await createService(clients, namespace);
    const url = `http://127.0.0.1:${nodePort}/`;
    await waitFor(`${options.replicas ?? 3} Ready demo pods in ${namespace}`, 120_000, async () => {
      const ready = (await pods()).filter((pod) => !pod.metadata?.deletionTimestamp && pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      return ready.length === (options.replicas ?? 3) ? true : undefined;
    });
    // kube-proxy programs the NodePort a moment after the Service appears.
    await waitFor(`an answer on ${url}`, 60_000, async () => ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok ? true : undefined));
    return { namespace, labels: { [TEST_LABEL]: suffix }, deployment: APP, nodePort, url, pods, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** Takes the first free NodePort of the loopback-mapped range (another test may hold one). */
async function createService(clients: KubeClients, namespace: string): Promise<number> {
  const shuffled = [...NODE_PORTS].sort(() => Math.random() - 0.5);
  let lastError: unknown;
  for (const nodePort of shuffled) {
    try {
      await clients.core.createNamespacedService({
        namespace,
        body: { metadata: { name: APP }, spec: { type: 'NodePort', selector: { app: APP }, ports: [{ port: 80, targetPort: 8080, nodePort }] } },
      });
      return nodePort;
    } catch (error) {
      lastError = error; // 422 "provided port is already allocated": try the next one
    }
  }
  throw new Error(`no free NodePort among ${NODE_PORTS.join(', ')}`, { cause: lastError });
}

function demoDeployment(labels: Record<string, string>, replicas: number, resources?: { cpu: string; memory: string }) {
  return {
    metadata: { name: APP, labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: APP } },
      template: {
        metadata: { labels },
        spec: {
          // Spread over the workers. Honor taints: a cordoned or NotReady worker then stops being a
          // spread domain, so a drain can move every pod to the other worker.
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', nodeTaintsPolicy: 'Honor', labelSelector: { matchLabels: { app: APP } } }],
          terminationGracePeriodSeconds: 5,
          containers: [
            {
              name: APP,
              image: DEMO_IMAGE,
              imagePullPolicy: 'Never',
              ports: [{ containerPort: 8080 }],
              // timeoutSeconds 2: on a loaded 2-core machine a 1 s probe timeout flaps readiness with nothing wrong.
              readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1, timeoutSeconds: 2 },
              ...(resources && { resources: { requests: resources, limits: resources } }),
            },
          ],
        },
      },
    },
  };
}

/** Namespaces of these tests older than 15 minutes belong to runs that were killed: remove them. */
async function removeStaleNamespaces(clients: KubeClients): Promise<void> {
  const list = await clients.core.listNamespace({ labelSelector: `${TEST_LABEL}=${TEST_LABEL_VALUE}` });
  const stale = list.items.filter((item) => Date.now() - (item.metadata?.creationTimestamp?.getTime() ?? Date.now()) > 15 * 60_000);
  await Promise.all(stale.map((item) => ignoreNotFound(clients.core.deleteNamespace({ name: item.metadata!.name! }))));
}

/** Deleting what is already gone is fine; anything else is a real failure. */
async function ignoreNotFound(request: Promise<unknown>): Promise<void> {
  try {
    await request;
  } catch (error) {
    if ((error as { code?: number }).code !== 404) throw error;
  }
}
