#!/usr/bin/env node
// The load from inside the kind cluster (load.in: cluster) with 1, 2 and 4 workers: each run asks
// for more than the system can answer (100,000 req/s in all, 50 connections per worker), so what
// the workers achieve is the throughput of N pods of the rebound image against the demo app's
// 3 replicas, all on this 2-core machine. Per run: the merged rate, the rate per worker, rebound's
// own CPU while it follows and merges the pods' logs, and the merge's bookkeeping (the pods' counts
// add up to the merged buckets'). Workers share the machine with the system under test and kind, so
// the total can only grow as far as the 2 cores allow: the per-worker rate is expected to fall
// with 4 workers; the question is whether the merge or rebound is ever the limit.
//
//   npm run build && eval "$(bash scripts/kind-cluster.sh env)" && node bench/cluster-load.js
// Needs the rebound image on the nodes (bash scripts/kind-cluster.sh up). Writes bench/results/cluster-load.json.
import { randomBytes } from 'node:crypto';
import { systemClock } from '../dist/common/clock.js';
import { defaultReboundImage } from '../dist/common/rebound-image.js';
import { entriesOf, Timeline } from '../dist/timeline/timeline.js';
import { createKubernetesTarget } from '../dist/targets/kubernetes/index.js';
import { writeResult } from './support.js';

const WORKERS = (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number).filter((n) => n >= 1 && n <= 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const START_AFTER_MS = 8000;
const kubeconfig = process.env.REBOUND_KUBECONFIG;
const context = process.env.REBOUND_KUBE_CONTEXT;
if (!kubeconfig || !context) {
  const reason = 'REBOUND_KUBECONFIG / REBOUND_KUBE_CONTEXT are not set: bash scripts/kind-cluster.sh up, then eval "$(bash scripts/kind-cluster.sh env)"';
  console.log(`cluster-load skipped: ${reason}`);
  writeResult('cluster-load', { bench: 'cluster-load', skipped: reason });
  process.exit(0);
}

const name = `bench-load-${randomBytes(3).toString('hex')}`;
const namespace = `rebound-${name}`;
const labels = { app: name, 'rebound.dev/deploy': name, 'rebound.dev/chaos': 'enabled' };
const target = await createKubernetesTarget({ kubeconfig, context });
const image = defaultReboundImage();

async function measure(workers) {
  const timeline = new Timeline(systemClock());
  const spec = { profile: 'constant', rate: 100_000, duration: SECONDS * 1000, connections: 50, timeout: 2000, in: 'cluster', workers };
  const cpuBefore = process.cpuUsage();
  const load = target.startClusterLoad(
    { url: `http://${name}.${namespace}.svc/`, spec, startAtMs: START_AFTER_MS, image, runId: `bench-${Date.now()}`, experiment: name, selector: { labels, namespace } },
    timeline,
  );
  await new Promise((resolve) => setTimeout(resolve, START_AFTER_MS + SECONDS * 1000 + 500));
  await load.stop();
  const cpu = process.cpuUsage(cpuBefore);
  const buckets = entriesOf(timeline.entries, 'load-bucket');
  const reports = entriesOf(timeline.entries, 'load-worker').map((entry) => entry.data);
  const merged = buckets.reduce((sum, bucket) => sum + bucket.data.sent, 0);
  const answered = buckets.reduce((sum, bucket) => sum + bucket.data.ok, 0);
  const perWorker = reports.map((report) => Math.round(report.sent / SECONDS));
  const started = reports.filter((report) => report.status !== 'missing').length;
  const notes = entriesOf(timeline.entries, 'note').map((entry) => entry.data.text);
  return {
    workers,
    workersThatRan: started,
    achievedRate: Math.round(merged / SECONDS),
    answeredRate: Math.round(answered / SECONDS),
    perWorkerRate: perWorker,
    podCountsAddUp: reports.reduce((sum, report) => sum + report.sent, 0) === merged,
    reboundCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    reboundCpuPerSecondOfLoadMs: Math.round((cpu.user + cpu.system) / 1000 / SECONDS),
    mergedBuckets: buckets.length,
    startLagMs: reports.map((report) => report.startLagMs ?? null),
    notes: notes.filter((text) => !text.startsWith('load worker')),
  };
}

const results = [];
let deployed;
try {
  deployed = await target.deploy(
    { name, labels, image: 'rebound/demo-app:v1', replicas: 3, port: 8080, healthPath: '/healthz', restartPolicy: 'always', env: {}, namespace },
    { timeoutMs: 180_000 },
  );
  for (const workers of WORKERS) {
    const result = await measure(workers);
    results.push(result);
    console.log(
      `cluster load, ${workers} worker${workers === 1 ? '' : 's'}: ${result.achievedRate} req/s sent (${result.answeredRate} answered), per worker ${result.perWorkerRate.join(', ')}; rebound CPU ${result.reboundCpuPerSecondOfLoadMs} ms per second of load; pod counts add up: ${result.podCountsAddUp}`,
    );
  }
} finally {
  await deployed?.teardown();
  await target.close();
}
writeResult('cluster-load', { bench: 'cluster-load', seconds: SECONDS, requestedRate: 100_000, connectionsPerWorker: 50, image, results });
