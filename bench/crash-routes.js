#!/usr/bin/env node
// crash on the kind cluster by its two routes, N fresh pods each (a second crash of one container
// would wait out the kubelet's back-off): the node route (docker exec <node> kill -9 <pid>) and the
// ephemeral route (an ephemeral container in the pod's PID namespace sends SIGQUIT to the Go app).
// Per sample, from the call to inject (monotonic): inject returned; the API shows the container
// ended (polled every 100 ms); the restarted container running; the pod Ready again.
//
//   npm run build && eval "$(bash scripts/kind-cluster.sh env)" && node bench/crash-routes.js [--samples 5]
// Writes bench/results/crash-routes.json. Holds the shared cluster's test lock while it runs.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { faultCatalog } from '../dist/faults/index.js';
import { createKubernetesTarget } from '../dist/targets/kubernetes/index.js';
import { systemClock } from '../dist/common/clock.js';
import { Timeline } from '../dist/timeline/timeline.js';
import { median, writeResult } from './support.js';

const { values: args } = parseArgs({ options: { samples: { type: 'string', default: '5' } } });
const SAMPLES = Math.min(20, Math.max(1, Number(args.samples)));
const kubeconfig = process.env.REBOUND_KUBECONFIG;
const context = process.env.REBOUND_KUBE_CONTEXT;
if (!kubeconfig || !context) {
  console.log('skipped: REBOUND_KUBECONFIG / REBOUND_KUBE_CONTEXT are not set (bash scripts/kind-cluster.sh up; eval "$(bash scripts/kind-cluster.sh env)")');
  writeResult('crash-routes', { bench: 'crash-routes', skipped: 'no kind cluster' });
  process.exit(0);
}

const LOCK = join(tmpdir(), 'rebound-kind-cluster-tests.lock');
async function lockCluster() {
  for (let waited = 0; ; waited += 500) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    let alive = true;
    try {
      process.kill(Number(readFileSync(join(LOCK, 'pid'), 'utf8')), 0);
    } catch {
      alive = false;
    }
    if (!alive) rmSync(LOCK, { recursive: true, force: true });
    else if (waited > 600_000) throw new Error(`${LOCK} held for more than 10 min`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const config = new KubeConfig();
config.loadFromFile(kubeconfig);
config.setCurrentContext(context);
const core = config.makeApiClient(CoreV1Api);
const namespace = `rebound-bench-${randomBytes(4).toString('hex')}`;
const pollUntil = async (what, check) => {
  for (let i = 0; i < 1200; i++) {
    const value = await check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${what} within 120 s`);
};
const statusOf = async (name) => (await core.readNamespacedPod({ name, namespace })).status;

async function crashSamples(route) {
  const names = Array.from({ length: SAMPLES }, (_, index) => `${route}-${index}`);
  for (const name of names) {
    await core.createNamespacedPod({ namespace, body: { metadata: { name, labels: { app: 'bench' } }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image: 'rebound/demo-app:v1', imagePullPolicy: 'Never', readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 } }] } } });
  }
  for (const name of names) await pollUntil(`${name} ready`, async () => (await statusOf(name)).conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  const target = await createKubernetesTarget({ kubeconfig, context, instanceFaults: route });
  const samples = [];
  try {
    for (const name of names) {
      const before = (await statusOf(name)).containerStatuses[0].containerID;
      const fault = { index: 0, repetition: 0, name: 'crash', params: faultCatalog.crash.params.parse({}), subjects: [name] };
      const start = performance.now();
      const handle = await target.inject(fault, { selector: { labels: {}, namespace }, timeline: new Timeline(systemClock()), record: () => undefined });
      const injected = performance.now() - start;
      const ended = await pollUntil('end', async () => {
        const status = (await statusOf(name)).containerStatuses[0];
        return status.lastState?.terminated?.containerID === before || status.state?.terminated?.containerID === before || status.containerID !== before ? performance.now() - start : undefined;
      });
      const running = await pollUntil('restart', async () => {
        const status = (await statusOf(name)).containerStatuses[0];
        return status.state?.running && status.containerID !== before ? { ms: performance.now() - start, exitCode: status.lastState?.terminated?.exitCode } : undefined;
      });
      const ready = await pollUntil('ready', async () => ((await statusOf(name)).conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? performance.now() - start : undefined));
      const seen = /seen (\d+) ms after the helper was added/.exec(handle.note)?.[1];
      samples.push({ injectMs: injected, endSeenMs: ended, runningMs: running.ms, readyMs: ready, exitCode: running.exitCode, ...(seen && { helperEndSeenMs: Number(seen) }) });
      console.log(`${route.padEnd(9)} ${name}: inject ${injected.toFixed(0)} ms, end seen ${ended.toFixed(0)} ms, running again ${running.ms.toFixed(0)} ms, ready ${ready.toFixed(0)} ms, exit ${running.exitCode}`);
    }
  } finally {
    await target.close();
  }
  const summary = (key) => Number(median(samples.map((sample) => sample[key])).toFixed(0));
  return { samples, medianMs: { inject: summary('injectMs'), endSeen: summary('endSeenMs'), running: summary('runningMs'), ready: summary('readyMs') }, exitCodes: [...new Set(samples.map((sample) => sample.exitCode))] };
}

await lockCluster();
const results = {};
try {
  await core.createNamespace({ body: { metadata: { name: namespace, labels: { 'rebound.dev/test': 'kubernetes-target' } } } });
  for (const route of ['node', 'ephemeral']) results[route] = await crashSamples(route);
} finally {
  await core.deleteNamespace({ name: namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
  rmSync(LOCK, { recursive: true, force: true });
}
for (const [route, result] of Object.entries(results)) console.log(`${route}: median inject ${result.medianMs.inject} ms, end seen ${result.medianMs.endSeen} ms, running ${result.medianMs.running} ms, ready ${result.medianMs.ready} ms, exit codes ${result.exitCodes.join(', ')}`);
writeResult('crash-routes', { bench: 'crash-routes', samples: SAMPLES, results, load: (await import('node:os')).loadavg() });
