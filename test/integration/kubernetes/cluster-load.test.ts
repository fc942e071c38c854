import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchV1Api } from '@kubernetes/client-node';
import { systemClock } from '../../../src/common/clock.js';
import { LOAD_LABEL } from '../../../src/common/labels.js';
import type { LoadSpec } from '../../../src/experiments/schema.js';
import type { RunReport, RunResult } from '../../../src/run/run-result.js';
import { readJournals } from '../../../src/safety/journal.js';
import { LatencyHistogram } from '../../../src/stats/latency-histogram.js';
import { createTarget } from '../../../src/targets/create-target.js';
import type { Target } from '../../../src/targets/target.js';
import { entriesOf, Timeline } from '../../../src/timeline/timeline.js';
import { rebound, scratchDirectory, writeExperiment } from '../support/rebound-cli.js';
import { kindClusterWanted, kubeconfigPath, kubeContext, waitFor } from './support/kind-cluster.js';
import { ensureReboundImage } from './support/rebound-image.js';
import { useSharedClusterWithDemoWorkload } from './support/use-shared-cluster.js';

// The load from inside the cluster (load.in: cluster) on the kind cluster, against the demo
// workload's Service: 4 pods of the rebound image at a constant 400/s. Measured: the merged rate
// per second, pod counts against the merged count, merged-histogram percentiles against the raw
// samples of the same run, and no load pod left after the run, nor after kill -9 + rebound recover.
const wanted = kindClusterWanted('the cluster load tests');
const cluster = useSharedClusterWithDemoWorkload();
const directory = scratchDirectory();
const stateDir = join(directory, 'state');
const RATE = 400;
const SECONDS = 8;

let image: string;
let batch: BatchV1Api;

/** Pods and Jobs of cluster loads in the workload's namespace (they carry LOAD_LABEL). */
async function loadObjects(): Promise<string[]> {
  const namespace = cluster.workload.namespace;
  const pods = await cluster.clients.core.listNamespacedPod({ namespace, labelSelector: LOAD_LABEL });
  const jobs = await batch.listNamespacedJob({ namespace, labelSelector: LOAD_LABEL });
  return [...jobs.items.map((job) => `Job ${job.metadata?.name}`), ...pods.items.map((pod) => `pod ${pod.metadata?.name}`)];
}

function experiment(name: string, load: Record<string, unknown>, duration: string) {
  return writeExperiment(directory, name, {
    apiVersion: 'rebound/v1',
    kind: 'Experiment',
    metadata: { name },
    target: 'kubernetes',
    kubernetes: { context: kubeContext, namespace: cluster.workload.namespace },
    system: { selector: cluster.workload.labels },
    // 10 s for the pods to start: the suite shares 2 cores; the default is 8 s.
    load: { in: 'cluster', service: { name: cluster.workload.deployment }, startAfter: '10s', connections: 50, ...load },
    duration,
    // The same count: a fault that changes nothing, so only the load is measured.
    faults: [{ scale: { replicas: 3 }, at: '1s' }],
  });
}

describe.runIf(wanted)('load inside the cluster (an Indexed Job of the rebound image)', () => {
  beforeAll(async () => {
    image = await ensureReboundImage();
    batch = cluster.clients.config.makeApiClient(BatchV1Api);
  });

  afterAll(async () => {
    // A test that failed half-way must not leave load running against the shared cluster.
    if (wanted) await rebound(['recover', '--state-dir', stateDir, '--kubeconfig', kubeconfigPath!, '--context', kubeContext!]);
  });

  it(`4 workers at ${RATE}/s: merged rate within ±5 % per second, pod counts add up, no pod left`, async () => {
    const started = performance.now();
    const file = experiment('cluster-load-4', { workers: 4, rate: `${RATE}/s`, duration: `${SECONDS}s` }, '19s');
    const report = join(directory, 'cluster-load-4.json');
    const result = await rebound(['run', file, '--kubeconfig', kubeconfigPath!, '--context', kubeContext!, '--reporter', `json=${report}`, '--state-dir', stateDir]);
    expect(result.exitCode, result.all).toBe(0);
    const run: RunResult = (JSON.parse(readFileSync(report, 'utf8')) as RunReport).runs[0]!;
    const buckets = entriesOf(run.timeline, 'load-bucket');
    const workers = entriesOf(run.timeline, 'load-worker');
    const notes = entriesOf(run.timeline, 'note').map((note) => note.data.text);
    const perSecond = Array.from({ length: SECONDS }, (_, second) =>
      buckets.filter((bucket) => bucket.t >= 10_000 + second * 1000 && bucket.t < 11_000 + second * 1000).reduce((sum, bucket) => sum + bucket.data.sent, 0),
    );
    console.info(`cluster load, 4 workers at ${RATE}/s: sent per second ${perSecond.join(', ')}; workers ${workers.map((worker) => `${worker.data.sent}/${worker.data.expected} (lag ${worker.data.startLagMs} ms, ${worker.data.node})`).join(', ')}; ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(perSecond.every((sent) => Math.abs(sent - RATE) <= RATE * 0.05), `${perSecond.join(', ')}\n${notes.join('\n')}`).toBe(true);
    expect(workers.map((worker) => worker.data.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const merged = buckets.reduce((sum, bucket) => sum + bucket.data.sent, 0);
    expect(workers.reduce((sum, worker) => sum + worker.data.sent, 0)).toBe(merged);
    expect(merged).toBeGreaterThanOrEqual(RATE * SECONDS * 0.99);
    expect(new Set(workers.map((worker) => worker.data.node)).size, 'spread over both workers').toBe(2);
    expect(buckets.every((bucket) => bucket.data.ok === 0 || bucket.data.histogram !== undefined)).toBe(true);
    expect(run.plan.load).toMatchObject({ in: 'cluster', workers: 4, startsAtMs: 10_000 });
    expect(await loadObjects()).toEqual([]);
    // Journalled like a fault, and undone by the run itself.
    const journal = readJournals(stateDir).find((entry) => entry.started?.experiment === 'cluster-load-4')!;
    expect(journal.pending).toEqual([]);
    expect(journal.faults.map((fault) => fault.description)).toContainEqual(expect.stringMatching(/^cluster load Job rebound-load-cluster-load-4-/));
  });

  it('merged histograms give the percentiles of the raw samples of the same run', async () => {
    const target: Target = await createTarget('kubernetes', { kubeconfig: kubeconfigPath!, context: kubeContext! });
    try {
      const timeline = new Timeline(systemClock());
      const raw: number[] = [];
      const spec: LoadSpec = { profile: 'constant', rate: 200, duration: 4000, connections: 50, timeout: 2000, in: 'cluster', workers: 2 };
      const load = target.startClusterLoad!(
        {
          url: `http://${cluster.workload.deployment}.${cluster.workload.namespace}.svc/`,
          spec,
          startAtMs: 8000,
          image,
          runId: `raw-samples-${Date.now()}`,
          experiment: 'raw-samples',
          selector: { labels: cluster.workload.labels, namespace: cluster.workload.namespace },
          onRawSamples: (_worker, _key, ms) => raw.push(...ms),
        },
        timeline,
      );
      await new Promise((resolve) => setTimeout(resolve, 12_500));
      await load.stop();
      const histogram = LatencyHistogram.empty();
      const buckets = entriesOf(timeline.entries, 'load-bucket');
      for (const bucket of buckets) if (bucket.data.histogram) histogram.add(LatencyHistogram.decode(bucket.data.histogram));
      const sorted = raw.map((ms) => Math.max(1, Math.round(ms * 1000))).sort((a, b) => a - b);
      expect(sorted.length).toBeGreaterThan(700);
      expect(histogram.count).toBe(sorted.length);
      const compared = [50, 90, 95, 99, 100].map((p) => {
        const exact = sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]! / 1000;
        return { p, merged: histogram.percentileMs(p)!, raw: exact };
      });
      console.info(`merged vs raw (ms): ${compared.map(({ p, merged, raw: exact }) => `p${p} ${merged} vs ${exact}`).join(', ')}`);
      // Within the histogram's precision: 0.1 % of the value (and 1 µs of rounding).
      for (const { merged, raw: exact } of compared) expect(Math.abs(merged - exact)).toBeLessThanOrEqual(Math.max(0.001, exact / 1000) + 1e-9);
      expect(await loadObjects()).toEqual([]);
    } finally {
      await target.close();
    }
  });

  it('kill -9 of rebound leaves the load Job; rebound recover removes it and its pods', async () => {
    const file = experiment('cluster-load-killed', { workers: 2, rate: '50/s', duration: '60s', startAfter: '2s' }, '70s');
    const child = rebound(['run', file, '--kubeconfig', kubeconfigPath!, '--context', kubeContext!, '--state-dir', stateDir]);
    await waitFor('the load pods running', 60_000, async () => {
      const pods = await cluster.clients.core.listNamespacedPod({ namespace: cluster.workload.namespace, labelSelector: `${LOAD_LABEL}=cluster-load-killed` });
      return pods.items.filter((pod) => pod.status?.phase === 'Running').length === 2 ? true : undefined;
    });
    child.kill('SIGKILL');
    await child;
    expect((await loadObjects()).length).toBeGreaterThanOrEqual(3);
    const recovered = await rebound(['recover', '--state-dir', stateDir, '--kubeconfig', kubeconfigPath!, '--context', kubeContext!]);
    expect(recovered.exitCode, recovered.all).toBe(0);
    expect(recovered.all).toMatch(/undone: deleted Job rebound-load-cluster-load-killed-\w+ and its pods/);
    expect(await loadObjects()).toEqual([]);
    const again = await rebound(['recover', '--state-dir', stateDir, '--kubeconfig', kubeconfigPath!, '--context', kubeContext!]);
    expect(again.all).toMatch(/nothing to recover/);
  });
});
