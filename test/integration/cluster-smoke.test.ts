import { randomBytes } from 'node:crypto';
import { AppsV1Api, CoreV1Api, KubeConfig, type V1Node, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enginesRequired } from './support/engines.js';

// Smoke test of the offline kind cluster (scripts/kind-cluster.sh): the real cluster through the
// real API, no mocks. It proves what rebound's Kubernetes target relies on: Ready nodes, the demo
// image loaded into the nodes, pods spread over both workers, a NodePort reachable on 127.0.0.1,
// and a deleted pod replaced.
//
// The kubeconfig and context come from one place: `eval "$(bash scripts/kind-cluster.sh env)"`.
const kubeconfigPath = process.env.REBOUND_KUBECONFIG;
const kubeContext = process.env.REBOUND_KUBE_CONTEXT;
const configured = Boolean(kubeconfigPath && kubeContext);
// In CI nothing that needs the cluster may be skipped: without the variables the suite fails.
const required = enginesRequired || Boolean(process.env.CI);
if (!configured && !required) {
  console.warn(
    'skipping the kind cluster smoke test: REBOUND_KUBECONFIG/REBOUND_KUBE_CONTEXT are not set; ' +
      'run `bash scripts/kind-cluster.sh up` and `eval "$(bash scripts/kind-cluster.sh env)"`',
  );
}

const DEMO_IMAGE = process.env.REBOUND_DEMO_IMAGE ?? 'rebound/demo-app:v1';
// One of the NodePorts the cluster publishes on the host's loopback (scripts/kind/cluster.yaml).
const NODE_PORT = 30089;
const TEST_LABEL = 'rebound.dev/test';
const TEST_LABEL_VALUE = 'cluster-smoke';
const APP = 'demo';

let core: CoreV1Api;
let apps: AppsV1Api;
const namespace = `rebound-smoke-${randomBytes(4).toString('hex')}`;
let namespaceCreated = false;

describe.runIf(configured || required)('the offline kind cluster', () => {
  beforeAll(async () => {
    if (!configured) {
      throw new Error(
        'REBOUND_KUBECONFIG and REBOUND_KUBE_CONTEXT are not set, and CI needs the kind cluster: ' +
          'run `bash scripts/kind-cluster.sh up`, then `eval "$(bash scripts/kind-cluster.sh env)"`',
      );
    }
    const config = new KubeConfig();
    config.loadFromFile(kubeconfigPath as string);
    config.setCurrentContext(kubeContext as string);
    core = config.makeApiClient(CoreV1Api);
    apps = config.makeApiClient(AppsV1Api);
    await removeLeftoverNamespaces();
    await core.createNamespace({
      body: { metadata: { name: namespace, labels: { [TEST_LABEL]: TEST_LABEL_VALUE } } },
    });
    namespaceCreated = true;
  });

  afterAll(async () => {
    if (!namespaceCreated) return;
    await core.deleteNamespace({ name: namespace });
    // Wait until it is gone: its Service holds NodePort 30089 until then, and the next run needs it.
    await waitFor(`namespace ${namespace} to be deleted`, 120_000, async () => {
      const left = await core.listNamespace({ fieldSelector: `metadata.name=${namespace}` });
      return left.items.length === 0 ? true : undefined;
    });
  });

  it('has three Ready nodes: one control plane, two workers', async () => {
    const nodes = (await core.listNode()).items;
    expect(nodes.map((node) => `${node.metadata?.name}: ${isReady(node) ? 'Ready' : 'NotReady'}`)).toEqual(
      nodes.map((node) => `${node.metadata?.name}: Ready`),
    );
    expect(nodes).toHaveLength(3);
    expect(workerNames(nodes)).toHaveLength(2);
  });

  it('runs a 3-replica Deployment of the demo app, Ready across both workers', async () => {
    await apps.createNamespacedDeployment({ namespace, body: demoDeployment() });
    const pods = await waitFor('3 Ready demo pods', 120_000, async () => {
      const ready = (await demoPods()).filter(isPodReady);
      return ready.length === 3 ? ready : undefined;
    });
    const workers = workerNames((await core.listNode()).items);
    expect(new Set(pods.map((pod) => pod.spec?.nodeName))).toEqual(new Set(workers));
  });

  it(`answers on its NodePort at http://127.0.0.1:${NODE_PORT}/`, async () => {
    await core.createNamespacedService({
      namespace,
      body: {
        metadata: { name: APP },
        spec: {
          type: 'NodePort',
          selector: { app: APP },
          ports: [{ port: 80, targetPort: 8080, nodePort: NODE_PORT }],
        },
      },
    });
    // kube-proxy needs a moment after the Service appears (the first connections can be refused or
    // reset): poll until a pod answers.
    const body = await waitFor(`an answer on 127.0.0.1:${NODE_PORT}`, 60_000, async () => {
      const response = await fetch(`http://127.0.0.1:${NODE_PORT}/`, { signal: AbortSignal.timeout(2_000) });
      return response.ok ? await response.text() : undefined;
    });
    const podNames = (await demoPods()).map((pod) => pod.metadata?.name);
    expect(body).toMatch(/^instance \S+ version \S+ on /);
    expect(podNames).toContain(/^instance (\S+)/.exec(body)![1]);
  });

  it('replaces a deleted pod with a new Ready one', async () => {
    const before = (await demoPods()).map((pod) => pod.metadata?.name as string);
    const victim = before[0] as string;
    await core.deleteNamespacedPod({ name: victim, namespace });
    const after = await waitFor(`a Ready replacement for pod ${victim}`, 120_000, async () => {
      const pods = await demoPods();
      const ready = pods.filter(isPodReady);
      const replaced = !pods.some((pod) => pod.metadata?.name === victim);
      return replaced && ready.length === 3 ? ready : undefined;
    });
    const newcomers = after.map((pod) => pod.metadata?.name).filter((name) => !before.includes(name as string));
    expect(newcomers).toHaveLength(1);
  });
});

function demoDeployment() {
  const labels = { app: APP, [TEST_LABEL]: TEST_LABEL_VALUE };
  return {
    metadata: { name: APP, labels },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: APP } },
      template: {
        metadata: { labels },
        spec: {
          // Spread over the workers: at most one pod more on one than on the other. Honor taints,
          // or the tainted control plane counts as an empty domain and the third pod never fits.
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'DoNotSchedule',
              nodeTaintsPolicy: 'Honor',
              labelSelector: { matchLabels: { app: APP } },
            },
          ],
          terminationGracePeriodSeconds: 5,
          containers: [
            {
              name: APP,
              image: DEMO_IMAGE,
              // Loaded into the nodes by `kind load docker-image`; there is no registry to pull from.
              imagePullPolicy: 'Never',
              ports: [{ containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 },
            },
          ],
        },
      },
    },
  };
}

async function demoPods(): Promise<V1Pod[]> {
  const pods = await core.listNamespacedPod({ namespace, labelSelector: `app=${APP}` });
  return pods.items.filter((pod) => !pod.metadata?.deletionTimestamp);
}

function isReady(node: V1Node): boolean {
  return node.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false;
}

function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false;
}

function workerNames(nodes: V1Node[]): string[] {
  return nodes
    .filter((node) => !('node-role.kubernetes.io/control-plane' in (node.metadata?.labels ?? {})))
    .map((node) => node.metadata?.name as string);
}

// A run that was killed before afterAll leaves its namespace, whose Service keeps NodePort 30089:
// remove those first. Integration files run one at a time, so no other smoke run owns them.
async function removeLeftoverNamespaces(): Promise<void> {
  const leftovers = await core.listNamespace({ labelSelector: `${TEST_LABEL}=${TEST_LABEL_VALUE}` });
  const names = leftovers.items.map((item) => item.metadata?.name as string);
  await Promise.all(names.map((name) => core.deleteNamespace({ name })));
  if (names.length > 0) {
    await waitFor(`leftover namespaces ${names.join(', ')} to be deleted`, 120_000, async () => {
      const left = await core.listNamespace({ labelSelector: `${TEST_LABEL}=${TEST_LABEL_VALUE}` });
      return left.items.length === 0 ? true : undefined;
    });
  }
}

// Polls `check` every 500 ms until it returns a value; failed checks count as "not yet". On timeout
// the error names what was awaited and the last failure.
async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  while (performance.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`, { cause: lastError });
}
