#!/usr/bin/env node
// Watch scaling on the kind cluster: memory and CPU of rebound's observers (informers on pods,
// owner, nodes, Events) with 30, 100 and 300 pods of the system in the namespace. The pods are
// Pending on purpose (a nodeSelector no node has): they exist in the API and in the watches, but
// run nothing, so the 2-core machine only pays for the API objects. Churn = every pod deleted at
// once and recreated by its ReplicaSet: N `deleted` + N `create` timeline entries to process.
//
//   npm run build && eval "$(bash scripts/kind-cluster.sh env)" && node bench/k8s-watch-scaling.js
// Writes bench/results/k8s-watch-scaling.json.
import { randomBytes } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import { AppsV1Api, CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { systemClock } from '../dist/common/clock.js';
import { entriesOf, Timeline } from '../dist/timeline/timeline.js';
import { createKubernetesTarget } from '../dist/targets/kubernetes/index.js';
import { writeResult } from './support.js';

const SIZES = (process.env.BENCH_POD_COUNTS ?? '30,100,300').split(',').map(Number).filter((n) => n > 0 && n <= 500);
const kubeconfig = process.env.REBOUND_KUBECONFIG;
const context = process.env.REBOUND_KUBE_CONTEXT;
if (!kubeconfig || !context) {
  const reason = 'REBOUND_KUBECONFIG / REBOUND_KUBE_CONTEXT are not set: bash scripts/kind-cluster.sh up, then eval "$(bash scripts/kind-cluster.sh env)"';
  console.log(`k8s-watch-scaling skipped: ${reason}`);
  writeResult('k8s-watch-scaling', { bench: 'k8s-watch-scaling', skipped: reason });
  process.exit(0);
}
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const heapMB = () => {
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

const config = new KubeConfig();
config.loadFromFile(kubeconfig);
config.setCurrentContext(context);
const core = config.makeApiClient(CoreV1Api);
const apps = config.makeApiClient(AppsV1Api);
const namespace = `rebound-bench-${randomBytes(4).toString('hex')}`;
const selector = { labels: { app: 'scaling' }, namespace };

async function waitFor(what, timeoutMs, check) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

async function scaleTo(replicas) {
  await apps.patchNamespacedDeployment({ name: 'scaling', namespace, body: { spec: { replicas } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  await waitFor(`${replicas} pods`, 180_000, async () => ((await core.listNamespacedPod({ namespace, labelSelector: 'app=scaling' })).items.filter((pod) => !pod.metadata.deletionTimestamp).length === replicas ? true : undefined));
}

async function measure(target, pods) {
  await scaleTo(pods);
  const clock = systemClock();
  const timeline = new Timeline(clock);
  const heapBefore = heapMB();
  const startedAt = performance.now();
  const observation = await target.observe(selector, timeline, { desired: pods });
  const startMs = performance.now() - startedAt;
  const heapWatching = heapMB() - heapBefore;
  const cpuBefore = process.cpuUsage();
  const churnStarted = performance.now();
  await core.deleteCollectionNamespacedPod({ namespace, labelSelector: 'app=scaling', gracePeriodSeconds: 0 });
  await waitFor(`${pods} deletions and ${pods} creations in the timeline`, 180_000, async () => {
    const events = entriesOf(timeline.entries, 'instance-event');
    const deleted = events.filter((entry) => entry.data.action === 'deleted').length;
    const created = events.filter((entry) => entry.data.action === 'create').length;
    return deleted >= pods && created >= pods ? true : undefined;
  });
  const churnMs = performance.now() - churnStarted;
  const cpu = process.cpuUsage(cpuBefore);
  const heapAfterChurn = heapMB() - heapBefore;
  await observation.stop();
  return {
    pods,
    observeStartMs: Math.round(startMs),
    heapWatchingMB: Number(heapWatching.toFixed(2)),
    heapAfterChurnMB: Number(heapAfterChurn.toFixed(2)),
    churnMs: Math.round(churnMs),
    churnCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    // Per pod replaced: its deletion and its successor's creation, with their status updates.
    cpuPerPodReplacedMs: Number(((cpu.user + cpu.system) / 1000 / pods).toFixed(3)),
    timelineEntries: timeline.entries.length,
  };
}

await core.createNamespace({ body: { metadata: { name: namespace, labels: { 'rebound.dev/test': 'bench' } } } });
const results = [];
try {
  await apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name: 'scaling' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'scaling' } },
        template: {
          metadata: { labels: { app: 'scaling', 'rebound.dev/chaos': 'enabled' } },
          // Pending forever: no node carries this label, so nothing runs on the shared machine.
          spec: { nodeSelector: { 'rebound.dev/bench-nowhere': 'true' }, containers: [{ name: 'app', image: 'rebound/demo-app:v1', imagePullPolicy: 'Never' }] },
        },
      },
    },
  });
  const target = await createKubernetesTarget({ kubeconfig, context });
  for (const pods of SIZES) {
    results.push(await measure(target, pods));
    console.log(JSON.stringify(results.at(-1)));
  }
  await target.close();
} finally {
  await core.deleteNamespace({ name: namespace, gracePeriodSeconds: 0 });
}
writeResult('k8s-watch-scaling', { bench: 'k8s-watch-scaling', note: 'Pending pods (no node matches their nodeSelector); churn = all pods deleted and recreated by the ReplicaSet', results });
