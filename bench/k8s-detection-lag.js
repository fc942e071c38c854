#!/usr/bin/env node
// Detection lag on the kind cluster: how late does rebound's watch see a pod deletion and a pod
// becoming Ready, measured against (a) when rebound asked for the deletion, (b) the API's own
// timestamps (deletionTimestamp, the Ready condition's lastTransitionTime: whole seconds), and
// (c) a `kubectl get -w` watching the same pods in the same run. Medians over the iterations.
//
//   npm run build && eval "$(bash scripts/kind-cluster.sh env)" && node bench/k8s-detection-lag.js [--iterations 8]
// Writes bench/results/k8s-detection-lag.json.
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { execa } from 'execa';
import { systemClock } from '../dist/common/clock.js';
import { entriesOf, Timeline } from '../dist/timeline/timeline.js';
import { createKubernetesTarget } from '../dist/targets/kubernetes/index.js';
import { writeResult } from './support.js';

const { values: args } = parseArgs({ options: { iterations: { type: 'string', default: '8' } } });
const ITERATIONS = Math.min(50, Math.max(1, Number(args.iterations)));
const kubeconfig = process.env.REBOUND_KUBECONFIG;
const context = process.env.REBOUND_KUBE_CONTEXT;
const kubectl = process.env.REBOUND_KUBECTL_BIN ?? 'kubectl';
if (!kubeconfig || !context) {
  const reason = 'REBOUND_KUBECONFIG / REBOUND_KUBE_CONTEXT are not set: bash scripts/kind-cluster.sh up, then eval "$(bash scripts/kind-cluster.sh env)"';
  console.log(`k8s-detection-lag skipped: ${reason}`);
  writeResult('k8s-detection-lag', { bench: 'k8s-detection-lag', skipped: reason });
  process.exit(0);
}

const config = new KubeConfig();
config.loadFromFile(kubeconfig);
config.setCurrentContext(context);
const core = config.makeApiClient(CoreV1Api);
const apps = config.makeApiClient(AppsV1Api);
const namespace = `rebound-bench-${randomBytes(4).toString('hex')}`;
const labels = { app: 'bench', 'rebound.dev/chaos': 'enabled' };

const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function waitFor(what, timeoutMs, check) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

async function createWorkload() {
  await core.createNamespace({ body: { metadata: { name: namespace, labels: { 'rebound.dev/test': 'bench' } } } });
  await apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name: 'bench' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'bench' } },
        template: {
          metadata: { labels },
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [{ name: 'app', image: 'rebound/demo-app:v1', imagePullPolicy: 'Never', readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 } }],
          },
        },
      },
    },
  });
  await waitFor('3 ready pods', 120_000, async () => {
    const pods = (await core.listNamespacedPod({ namespace })).items;
    return pods.filter((pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length === 3 ? true : undefined;
  });
}

/** `kubectl get pods -w` in the same run: each line stamped on rebound's clock when it is read. */
function startKubectlWatch(clock) {
  const template = '{.type} {.object.metadata.name} {.object.metadata.deletionTimestamp} {.object.status.conditions[?(@.type=="Ready")].status}{"\\n"}';
  const child = execa(kubectl, ['--kubeconfig', kubeconfig, '--context', context, '-n', namespace, 'get', 'pods', '-l', 'app=bench', '-w', '--output-watch-events', '-o', `jsonpath=${template}`], { reject: false, buffer: false });
  const lines = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const [type, name, third, fourth] = line.trim().split(/\s+/);
    // An empty deletionTimestamp collapses the columns: "MODIFIED web-1 True".
    const [deletion, ready] = fourth === undefined ? [undefined, third] : [third, fourth];
    lines.push({ t: clock.now(), type, name, deleting: deletion !== undefined && deletion !== '', ready: ready === 'True' });
  });
  return { lines, stop: () => child.kill('SIGTERM') };
}

async function oneIteration(target, selector, timeline, watch, clock) {
  const discovery = await target.discover(selector);
  const victim = discovery.instances.find((instance) => instance.ready).name;
  const before = new Set(discovery.instances.map((instance) => instance.name));
  const requestedAt = clock.now();
  await target.inject({ index: 0, repetition: 0, name: 'kill', params: { gracePeriod: 0 }, subjects: [victim] }, selector, timeline);
  const newcomerReady = await waitFor('the replacement Ready in rebound\'s watch', 60_000, async () =>
    entriesOf(timeline.entries, 'instance-event').find((entry) => entry.t > requestedAt && entry.data.action === 'ready' && !before.has(entry.subject)),
  );
  const newcomer = newcomerReady.subject;
  const kubectlReady = await waitFor('the replacement Ready in kubectl -w', 10_000, async () => watch.lines.find((line) => line.name === newcomer && line.ready));
  const deleted = entriesOf(timeline.entries, 'instance-event').find((entry) => entry.subject === victim && entry.data.action === 'deleted');
  const kubectlDeleted = watch.lines.find((line) => line.name === victim && line.t > requestedAt && (line.deleting || line.type === 'DELETED'));
  const toT = (epochMs) => (epochMs === undefined ? undefined : clock.fromWallClock(epochMs));
  await waitFor('3 ready again', 60_000, async () => ((await target.discover(selector)).instances.filter((instance) => instance.ready).length === 3 ? true : undefined));
  return {
    victim,
    newcomer,
    deletion: {
      reboundWatchMs: deleted ? deleted.t - requestedAt : null,
      kubectlWatchMs: kubectlDeleted ? kubectlDeleted.t - requestedAt : null,
      apiTimestampMs: deleted?.engineTime !== undefined ? toT(deleted.engineTime) - requestedAt : null,
    },
    ready: {
      reboundAfterApiMs: newcomerReady.engineTime !== undefined ? newcomerReady.t - toT(newcomerReady.engineTime) : null,
      kubectlAfterApiMs: newcomerReady.engineTime !== undefined ? kubectlReady.t - toT(newcomerReady.engineTime) : null,
      reboundMinusKubectlMs: newcomerReady.t - kubectlReady.t,
    },
  };
}

async function main() {
  const clock = systemClock();
  await createWorkload();
  const target = await createKubernetesTarget({ kubeconfig, context });
  const selector = { labels: { app: 'bench' }, namespace };
  const timeline = new Timeline(clock);
  const observation = await target.observe(selector, timeline, { desired: 3 });
  const watch = startKubectlWatch(clock);
  const iterations = [];
  try {
    await waitFor('kubectl -w to list the pods', 20_000, async () => (watch.lines.length >= 3 ? true : undefined));
    for (let index = 0; index < ITERATIONS; index++) iterations.push(await oneIteration(target, selector, timeline, watch, clock));
  } finally {
    watch.stop();
    await observation.stop();
    await target.close();
    await core.deleteNamespace({ name: namespace, gracePeriodSeconds: 0 });
  }
  const pick = (path) => median(iterations.map((iteration) => path(iteration)));
  const result = {
    bench: 'k8s-detection-lag',
    iterations: iterations.length,
    medianMs: {
      deletionSeenByRebound: pick((i) => i.deletion.reboundWatchMs),
      deletionSeenByKubectl: pick((i) => i.deletion.kubectlWatchMs),
      deletionTimestampMinusRequest: pick((i) => i.deletion.apiTimestampMs),
      readySeenByReboundAfterApi: pick((i) => i.ready.reboundAfterApiMs),
      readySeenByKubectlAfterApi: pick((i) => i.ready.kubectlAfterApiMs),
      readyReboundMinusKubectl: pick((i) => i.ready.reboundMinusKubectlMs),
    },
    note: 'API timestamps (deletionTimestamp, Ready lastTransitionTime) have whole-second precision: lags measured against them carry up to +1 s of truncation.',
    runs: iterations,
  };
  writeResult('k8s-detection-lag', result);
  console.log(JSON.stringify({ ...result, runs: undefined }, null, 2));
}

await main();
