import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/common/clock.js';
import { createKubernetesTarget } from '../../../src/targets/kubernetes/index.js';
import type { DeployedSystem, DeploymentSpec, FaultHandle, Selector, Target } from '../../../src/targets/target.js';
import { entriesOf, type RolloutEntry, Timeline } from '../../../src/timeline/timeline.js';
import { injectionRun, plannedFault } from '../support/inject-fault.js';
import { DEMO_IMAGE, TEST_LABEL } from './support/demo-workload.js';
import { kindClusterWanted, kubeconfigPath, kubeContext, waitFor } from './support/kind-cluster.js';
import { useSharedCluster } from './support/use-shared-cluster.js';

// The rollout fault on the real kind cluster, on a Deployment as rebound's deploy makes it (maxSurge
// 1, maxUnavailable 0, a short progressDeadlineSeconds, a preStop sleep): a good release rolls a new
// ReplicaSet and never takes a ready pod away; a broken one stalls with ProgressDeadlineExceeded while
// the old version keeps answering; the rollback is the previous pod template, and undoing twice
// changes nothing. The rollout observer's entries (conditions, ReplicaSet sizes) are checked too.
const TEST_LABEL_VALUE = 'kubernetes-rollout';
const NODE_PORTS = [30088, 30087, 30086, 30085, 30084, 30083, 30082, 30081, 30080];
const wanted = kindClusterWanted('the Kubernetes rollout tests');
const cluster = useSharedCluster();
const namespace = `rebound-rollout-${randomBytes(4).toString('hex')}`;
const NAME = 'web';
let target: Target | undefined;
let deployed: DeployedSystem | undefined;
let nodePort = 0;

const selector: Selector = { labels: { 'rebound.dev/deploy': NAME }, namespace };

/** One request on a new connection (a Service balances connections): the version that answered, or why none did. */
function versionAnswering(): Promise<string> {
  return new Promise((resolve) => {
    const sent = request({ host: '127.0.0.1', port: nodePort, path: '/', agent: false, timeout: 1000 }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode === 200 ? String(response.headers['x-version']) : `HTTP ${response.statusCode}`));
    });
    sent.on('timeout', () => sent.destroy(new Error('timeout')));
    sent.on('error', (error) => resolve(`failed: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
    sent.end();
  });
}

/** Requests every 50 ms until `until` resolves: the answers, in order. */
async function answersUntil<T>(until: Promise<T>): Promise<{ value: T; answers: string[] }> {
  const answers: string[] = [];
  let done = false;
  const sampling = (async () => {
    while (!done) {
      answers.push(await versionAnswering());
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    return { value: await until, answers };
  } finally {
    done = true;
    await sampling;
  }
}

const rollouts = (timeline: Timeline) => entriesOf(timeline.entries, 'rollout').filter((entry) => entry.subject === NAME);
const minReady = (timeline: Timeline, from: number) => Math.min(...entriesOf(timeline.entries, 'replicas').filter((entry) => entry.t >= from).map((entry) => entry.data.ready));

async function deploymentTemplateEnv(): Promise<Record<string, string | undefined>> {
  const deployment = await cluster.clients.apps.readNamespacedDeployment({ name: NAME, namespace });
  return Object.fromEntries((deployment.spec?.template.spec?.containers[0]?.env ?? []).map((variable) => [variable.name, variable.value]));
}

describe.runIf(wanted)('rollout on the kind cluster', () => {
  beforeAll(async () => {
    // This file holds the cluster lock: a namespace with its label is a run's leftover.
    const leftovers = (await cluster.clients.core.listNamespace({ labelSelector: `${TEST_LABEL}=${TEST_LABEL_VALUE}` })).items;
    await Promise.all(leftovers.map((item) => cluster.clients.core.deleteNamespace({ name: item.metadata!.name! }).catch(() => undefined)));
    const services = (await cluster.clients.core.listServiceForAllNamespaces()).items;
    const taken = new Set(services.flatMap((service) => service.spec?.ports?.map((port) => port.nodePort) ?? []));
    nodePort = NODE_PORTS.find((port) => !taken.has(port)) ?? NODE_PORTS[0]!;
    target = await createKubernetesTarget({ kubeconfig: kubeconfigPath!, context: kubeContext! });
    const spec: DeploymentSpec = {
      name: NAME,
      labels: { app: NAME, [TEST_LABEL]: TEST_LABEL_VALUE, 'rebound.dev/deploy': NAME, 'rebound.dev/chaos': 'enabled' },
      image: DEMO_IMAGE,
      replicas: 3,
      port: 8080,
      healthPath: '/healthz',
      restartPolicy: 'always',
      env: { VERSION: 'v1' },
      nodePort,
      minAvailable: 2,
      progressDeadlineSeconds: 5,
      preStopSleepSeconds: 2,
      namespace,
    };
    deployed = await target.deploy(spec, { timeoutMs: 180_000 });
  });

  afterAll(async () => {
    await deployed?.teardown();
    await target?.close();
  });

  it('a good release: a new ReplicaSet rolled one pod at a time, never below 3 ready; the rollback is the previous template; undoing twice changes nothing', async () => {
    const timeline = new Timeline(systemClock());
    const observation = await target!.observe(selector, timeline, { desired: 3 });
    let handle: FaultHandle | undefined;
    try {
      const startedAt = timeline.now();
      handle = await target!.inject(plannedFault('rollout', { to: { env: { VERSION: 'v2' } } }, []), injectionRun(selector, { timeline }));
      expect(handle.note).toMatch(/RollingUpdate maxSurge 1, maxUnavailable 0, and reports a stall after progressDeadlineSeconds 5/);
      expect(handle.facts?.rollout).toEqual({ strategy: 'RollingUpdate maxSurge 1, maxUnavailable 0', progressDeadlineMs: 5000 });
      expect(handle.undo.record).toMatchObject({ action: 'restore-template', deployment: NAME, revision: 1 });

      const { value: complete } = await answersUntil(waitFor('the rollout complete at revision 2', 90_000, async () => rollouts(timeline).find((entry) => entry.data.complete && entry.data.revision === 2)));
      expect(complete.data.progressing).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
      expect(complete.data.replicaSets).toEqual([expect.objectContaining({ revision: 2, replicas: 3, ready: 3, current: true })]);
      // On the way: old and new ReplicaSet side by side, one surge pod at most (total ≤ 4).
      expect(rollouts(timeline).some((entry) => entry.data.replicaSets.length === 2)).toBe(true);
      expect(Math.max(...rollouts(timeline).map((entry) => entry.data.total))).toBeLessThanOrEqual(4);
      expect(minReady(timeline, startedAt)).toBeGreaterThanOrEqual(3);
      // "Complete" is the Deployment's status; the old pods' preStop sleep keeps them answering until
      // kube-proxy has taken them out of the Service, so only v2 answers a moment later.
      await waitFor('only v2 answering', 30_000, async () => ((await Promise.all(Array.from({ length: 6 }, versionAnswering))).every((version) => version === 'v2') ? true : undefined));

      const rolledBack = await handle.rollback();
      expect(rolledBack, rolledBack.error).toMatchObject({ ok: true, action: expect.stringMatching(/^Deployment web rolled back to the previous pod template \(that of revision 1\); every pod of it available .* after the rollback began$/) });
      expect(await deploymentTemplateEnv()).toEqual({ VERSION: 'v1' });
      const annotations = (await cluster.clients.apps.readNamespacedDeployment({ name: NAME, namespace })).metadata?.annotations ?? {};
      expect(Object.keys(annotations).filter((key) => key.startsWith('rebound.dev/') || key === 'kubernetes.io/change-cause')).toEqual([]);
      await waitFor('only v1 answering', 30_000, async () => ((await Promise.all(Array.from({ length: 6 }, versionAnswering))).every((version) => version === 'v1') ? true : undefined));

      const again = await target!.undo(handle.undo);
      expect(again).toMatchObject({ ok: true, action: expect.stringMatching(/^Deployment web runs the previous pod template \(that of revision 1\) already: nothing to roll back/) });
    } finally {
      // A failed check must not leave the next test a rolled-out Deployment (rollback runs once).
      await handle?.rollback();
      await observation.stop();
    }
  });

  it('a broken release (BROKEN=exit): the rollout stalls with ProgressDeadlineExceeded, the old version keeps answering; the rollback removes the broken pod', async () => {
    const timeline = new Timeline(systemClock());
    const observation = await target!.observe(selector, timeline, { desired: 3 });
    let handle: FaultHandle | undefined;
    try {
      const startedAt = timeline.now();
      handle = await target!.inject(plannedFault('rollout', { to: { env: { VERSION: 'v3', BROKEN: 'exit' } } }, []), injectionRun(selector, { timeline }));
      const { value: stalled, answers } = await answersUntil(
        waitFor('ProgressDeadlineExceeded', 60_000, async () => rollouts(timeline).find((entry) => entry.data.progressing?.reason === 'ProgressDeadlineExceeded')),
      );
      const stalledAfter = stalled.t - startedAt;
      console.info(`broken release: ProgressDeadlineExceeded ${(stalledAfter / 1000).toFixed(2)} s after the rollout (progressDeadlineSeconds 5); ${answers.length} requests meanwhile: ${[...new Set(answers)].join(', ')}`);
      expect(stalled.data).toMatchObject({ progressing: { status: 'False' }, complete: false, updated: 1, available: 3 } satisfies Partial<RolloutEntry['data']>);
      expect(stalledAfter).toBeGreaterThanOrEqual(4000);
      expect(answers.length).toBeGreaterThan(20);
      expect(new Set(answers)).toEqual(new Set(['v1']));
      expect(minReady(timeline, startedAt)).toBeGreaterThanOrEqual(3);

      const rolledBack = await handle.rollback();
      expect(rolledBack.ok, rolledBack.error).toBe(true);
      expect(await deploymentTemplateEnv()).toEqual({ VERSION: 'v1' });
      const pods = (await cluster.clients.core.listNamespacedPod({ namespace, labelSelector: `rebound.dev/deploy=${NAME}` })).items.filter((pod) => !pod.metadata?.deletionTimestamp);
      expect(pods).toHaveLength(3);
      expect(pods.every((pod) => pod.spec?.containers[0]?.env?.every((variable) => variable.name !== 'BROKEN'))).toBe(true);
    } finally {
      // A failed check must not leave the next test a rolled-out Deployment (rollback runs once).
      await handle?.rollback();
      await observation.stop();
    }
  });
});
