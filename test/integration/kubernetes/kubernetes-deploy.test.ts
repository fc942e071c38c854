import { randomBytes } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError, UsageError } from '../../../src/common/errors.js';
import { createKubernetesTarget } from '../../../src/targets/kubernetes/index.js';
import type { DeployedSystem, DeploymentSpec, Target } from '../../../src/targets/target.js';
import { DEMO_IMAGE, TEST_LABEL } from './support/demo-workload.js';
import { kindClusterWanted, kubeconfigPath, kubeContext, waitFor } from './support/kind-cluster.js';
import { useSharedCluster } from './support/use-shared-cluster.js';

// deploy / restore / teardown / removeDeployment of the Kubernetes target against the real kind
// cluster: what `deploy:` in an experiment creates, and that nothing is left afterwards.
const TEST_LABEL_VALUE = 'kubernetes-deploy';
/** The loopback-mapped NodePorts, highest first: demo-workload.ts takes them at random, 30089 is the smoke test's. */
const NODE_PORTS = [30088, 30087, 30086, 30085, 30084, 30083, 30082, 30081, 30080];
const DEPLOY_TIMEOUT_MS = 180_000;

const wanted = kindClusterWanted('the Kubernetes deploy tests');
const cluster = useSharedCluster();
let target: Target | undefined;
let nodePort: number;
let deployed: DeployedSystem | undefined;
/** Every namespace a test deployed into, removed in afterAll whatever happened. */
const namespaces = new Set<string>();

const suffix = () => randomBytes(4).toString('hex');
const specFor = (namespace: string, changes: Partial<DeploymentSpec> = {}): DeploymentSpec => {
  namespaces.add(namespace);
  const name = changes.name ?? 'web';
  return {
    name,
    labels: { app: name, [TEST_LABEL]: TEST_LABEL_VALUE, 'rebound.dev/deploy': name, 'rebound.dev/chaos': 'enabled' },
    image: DEMO_IMAGE,
    replicas: 3,
    port: 8080,
    healthPath: '/healthz',
    restartPolicy: 'always',
    env: { GREETING: 'deployed' },
    nodePort,
    minAvailable: 2,
    namespace,
    ...changes,
  };
};

describe.runIf(wanted)('deploy on the kind cluster', () => {
  const namespace = `rebound-deploy-${suffix()}`;

  beforeAll(async () => {
    await removeLeftoverNamespaces();
    nodePort = await freeNodePort();
    target = await createKubernetesTarget({ kubeconfig: kubeconfigPath!, context: kubeContext! });
    await target.check();
  });

  // Before useSharedCluster's afterAll releases the cluster lock, which runs even when this fails.
  afterAll(async () => {
    await deployed?.teardown();
    await Promise.all([...namespaces].map((name) => ignoreNotFound(cluster.clients.core.deleteNamespace({ name }))));
    await target?.close();
  });

  it('deploys 3 ready replicas over both workers behind the NodePort, with a PDB minAvailable 2', async () => {
    const started = performance.now();
    deployed = await target!.deploy(specFor(namespace), { timeoutMs: DEPLOY_TIMEOUT_MS });
    console.log(`deploy: ${Math.round(performance.now() - started)} ms`);
    expect(deployed.description).toBe(`Deployment web (3 × ${DEMO_IMAGE}, spread over the nodes) + NodePort ${nodePort} on 127.0.0.1 + PDB minAvailable 2 in namespace ${namespace}`);
    const pods = await livePods(namespace);
    expect(pods.filter(isReady)).toHaveLength(3);
    const nodes = new Set(pods.map((pod) => pod.spec?.nodeName));
    expect(nodes.size).toBe(2);
    expect([...nodes].every((node) => node?.includes('worker'))).toBe(true);
    expect(pods[0]!.spec?.containers[0]).toMatchObject({ imagePullPolicy: 'Never', env: [{ name: 'GREETING', value: 'deployed' }] });
    const answer = await (await fetch(`http://127.0.0.1:${nodePort}/`, { signal: AbortSignal.timeout(2000) })).text();
    const instance = /^instance (\S+)/.exec(answer)?.[1];
    expect(pods.map((pod) => pod.metadata?.name)).toContain(instance);
    const budget = await cluster.clients.policy.readNamespacedPodDisruptionBudget({ name: 'web', namespace });
    expect(budget.spec?.minAvailable).toBe(2);
    const created = await cluster.clients.core.readNamespace({ name: namespace });
    expect(created.metadata?.labels).toMatchObject({ 'rebound.dev/deploy': 'web', [TEST_LABEL]: TEST_LABEL_VALUE });
  });

  it('restore: after a scale to 1 by hand and a deleted pod, 3 ready pods again and the scale annotation gone', async () => {
    const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    await cluster.clients.apps.patchNamespacedDeployment({ name: 'web', namespace, body: { metadata: { annotations: { 'rebound.dev/replicas-before': '3' } }, spec: { replicas: 1 } } }, merge);
    const survivor = await waitFor('the scale-down to 1 pod', 60_000, async () => {
      const live = await livePods(namespace);
      return live.length === 1 ? live[0] : undefined;
    });
    await cluster.clients.core.deleteNamespacedPod({ name: survivor.metadata!.name!, namespace, gracePeriodSeconds: 0 });
    const started = performance.now();
    await deployed!.restore({ timeoutMs: DEPLOY_TIMEOUT_MS });
    console.log(`restore after scale 1 + deleted pod: ${Math.round(performance.now() - started)} ms`);
    const pods = (await cluster.clients.core.listNamespacedPod({ namespace, labelSelector: 'rebound.dev/deploy=web' })).items;
    expect(pods.filter(isReady)).toHaveLength(3);
    expect(pods.filter((pod) => pod.metadata?.deletionTimestamp)).toHaveLength(0);
    expect(pods.map((pod) => pod.metadata?.name)).not.toContain(survivor.metadata?.name);
    const deployment = await cluster.clients.apps.readNamespacedDeployment({ name: 'web', namespace });
    expect(deployment.spec?.replicas).toBe(3);
    expect(deployment.metadata?.annotations?.['rebound.dev/replicas-before']).toBeUndefined();
    const again = performance.now();
    await deployed!.restore({ timeoutMs: DEPLOY_TIMEOUT_MS });
    console.log(`restore with nothing to do: ${Math.round(performance.now() - again)} ms`);
  });

  it('teardown removes the Service, PDB, Deployment and the namespace it created; a second teardown is fine', async () => {
    const started = performance.now();
    const outcome = await deployed!.teardown();
    console.log(`teardown: ${Math.round(performance.now() - started)} ms`);
    expect(outcome).toEqual({ ok: true, action: `removed Service web, PodDisruptionBudget web, Deployment web, namespace ${namespace}` });
    await expectNamespaceGoing(namespace);
    const services = (await cluster.clients.core.listServiceForAllNamespaces()).items;
    expect(services.some((service) => service.spec?.ports?.some((port) => port.nodePort === nodePort))).toBe(false);
    const second = await deployed!.teardown();
    expect(second).toEqual({ ok: true, action: `nothing of web left in namespace ${namespace}` });
    deployed = undefined;
  });

  it('in a namespace it did not create: replaces the leftovers of a deploy that was never torn down, and removeDeployment keeps the namespace', async () => {
    const existing = `rebound-deploy-${suffix()}`;
    await cluster.clients.core.createNamespace({ body: { metadata: { name: existing, labels: { [TEST_LABEL]: TEST_LABEL_VALUE } } } });
    const spec = specFor(existing, { name: 'api', replicas: 1, minAvailable: undefined });
    await target!.deploy(spec, { timeoutMs: DEPLOY_TIMEOUT_MS });
    const first = (await livePods(existing)).map((pod) => pod.metadata?.name);
    // As if the run that deployed it was killed with -9: deploy again over what it left.
    const started = performance.now();
    const second = await target!.deploy(spec, { timeoutMs: DEPLOY_TIMEOUT_MS });
    console.log(`deploy over leftovers: ${Math.round(performance.now() - started)} ms`);
    expect(second.description).toBe(`Deployment api (1 × ${DEMO_IMAGE}, spread over the nodes) + NodePort ${nodePort} on 127.0.0.1 in namespace ${existing}`);
    const pods = await livePods(existing);
    expect(pods.filter(isReady)).toHaveLength(1);
    expect(first).not.toContain(pods[0]!.metadata?.name);
    const removed = await target!.removeDeployment({ name: 'api', namespace: existing });
    expect(removed).toEqual({ ok: true, action: 'removed Service api, Deployment api' });
    expect((await cluster.clients.core.readNamespace({ name: existing })).metadata?.deletionTimestamp).toBeUndefined();
    expect(await livePods(existing)).toHaveLength(0);
    await expect(cluster.clients.apps.readNamespacedDeployment({ name: 'api', namespace: existing })).rejects.toMatchObject({ code: 404 });
  });

  it('refuses a system namespace (exit 2) before creating anything', async () => {
    const spec = { ...specFor(namespace), namespace: 'kube-system' };
    await expect(target!.deploy(spec, { timeoutMs: 10_000 })).rejects.toThrow(UsageError);
    await expect(target!.deploy(spec, { timeoutMs: 10_000 })).rejects.toThrow(/kube-system is a system namespace/);
    await expect(cluster.clients.apps.readNamespacedDeployment({ name: 'web', namespace: 'kube-system' })).rejects.toMatchObject({ code: 404 });
  });

  it('an image that is not on the nodes: EnvironmentError naming ErrImageNeverPull, and nothing left behind', async () => {
    const missing = `rebound-deploy-${suffix()}`;
    const started = performance.now();
    const error = await target!.deploy(specFor(missing, { image: 'rebound/no-such-image:v0' }), { timeoutMs: 60_000 }).catch((caught: unknown) => caught);
    console.log(`failed deploy (missing image) incl. cleanup: ${Math.round(performance.now() - started)} ms`);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).message).toMatch(/ErrImageNeverPull/);
    expect((error as EnvironmentError).message).toMatch(new RegExp(`Deployment web in namespace ${missing} cannot become ready: (.*; )?web-\\S+: waiting \\(ErrImageNeverPull`));
    expect((error as EnvironmentError).hint).toMatch(/rebound cluster load-image rebound\/no-such-image:v0/);
    await expectNamespaceGoing(missing);
    const services = (await cluster.clients.core.listServiceForAllNamespaces()).items;
    expect(services.some((service) => service.spec?.ports?.some((port) => port.nodePort === nodePort))).toBe(false);
  });

  it('pods that never get ready: EnvironmentError at the timeout saying which pod and why, and nothing left behind', async () => {
    const unready = `rebound-deploy-${suffix()}`;
    // The demo app listens on 8080 whatever deploy.port says: the probe on 9999 never passes.
    const spec = specFor(unready, { replicas: 1, port: 9999, minAvailable: undefined });
    const error = await target!.deploy(spec, { timeoutMs: 8000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).message).toMatch(new RegExp(`deploy: not ready within 8\\.00 s: Deployment web in namespace ${unready} has 0 of 1 pods ready: web-\\S+: running, readiness probe not passing`));
    expect((error as EnvironmentError).hint).toMatch(/GET \/healthz on port 9999/);
    await expectNamespaceGoing(unready);
  });

  it('stops waiting when the signal aborts, and removes what it created', async () => {
    const interrupted = `rebound-deploy-${suffix()}`;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 3000);
    const started = performance.now();
    const error = await target!.deploy(specFor(interrupted, { replicas: 1, port: 9999 }), { timeoutMs: 60_000, signal: controller.signal }).catch((caught: unknown) => caught);
    expect(performance.now() - started).toBeLessThan(30_000);
    expect((error as Error).message).toMatch(/deploy interrupted: Deployment web in namespace .* has 0 of 1 pods ready/);
    await expectNamespaceGoing(interrupted);
  });
});

async function livePods(namespace: string): Promise<V1Pod[]> {
  return (await cluster.clients.core.listNamespacedPod({ namespace })).items.filter((pod) => !pod.metadata?.deletionTimestamp);
}

function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false;
}

/** A loopback-mapped NodePort no Service holds (another engineer's demo may hold 30080). */
async function freeNodePort(): Promise<number> {
  const services = (await cluster.clients.core.listServiceForAllNamespaces()).items;
  const taken = new Set(services.flatMap((service) => service.spec?.ports?.map((port) => port.nodePort) ?? []));
  const free = NODE_PORTS.find((port) => !taken.has(port));
  if (free === undefined) throw new Error(`every NodePort of ${NODE_PORTS.join(', ')} is taken: kubectl get services -A`);
  return free;
}

// A run killed before afterAll leaves its namespaces (and their Services hold a NodePort). This file
// holds the cluster lock, so every namespace with its label is a leftover.
async function removeLeftoverNamespaces(): Promise<void> {
  const selector = { labelSelector: `${TEST_LABEL}=${TEST_LABEL_VALUE}` };
  const leftovers = (await cluster.clients.core.listNamespace(selector)).items.map((item) => item.metadata!.name!);
  await Promise.all(leftovers.map((name) => ignoreNotFound(cluster.clients.core.deleteNamespace({ name }))));
  if (leftovers.length > 0) {
    await waitFor(`leftover namespaces ${leftovers.join(', ')} to be deleted`, 120_000, async () => ((await cluster.clients.core.listNamespace(selector)).items.length === 0 ? true : undefined));
  }
}

async function ignoreNotFound(request: Promise<unknown>): Promise<void> {
  try {
    await request;
  } catch (error) {
    if ((error as { code?: number }).code !== 404) throw error;
  }
}

/** Teardown deletes the namespace it created without waiting for the namespace controller: gone, or terminating. */
async function expectNamespaceGoing(name: string): Promise<void> {
  const namespace = await cluster.clients.core.readNamespace({ name }).catch((error: { code?: number }) => {
    if (error.code === 404) return undefined;
    throw error;
  });
  expect(namespace === undefined || namespace.metadata?.deletionTimestamp !== undefined, `namespace ${name}: ${namespace?.status?.phase}`).toBe(true);
}
