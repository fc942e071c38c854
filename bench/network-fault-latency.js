#!/usr/bin/env node
// Issue 12's figure, for the faults themselves: from a network fault's scheduled instant to its rule
// in effect, through the target's own prepare / inject (what the runner does: FaultPreparations
// prepares ahead, injectFault injects at the instant with what was prepared, each undo record
// fsync'd before the fire). "In effect" is when inject returns: the Docker helper printed
// `applied`, the kind unit's driver wrote its applied file, each after the iptables call returned.
// Per sample: prepare, wait for an instant 300 ms later (a timer, as the runner's), inject, roll back.
// network-delay (Toxiproxy + REDIRECT) and partition (filter chain) on Docker and on kind.
// Target ≤ 150 ms.
//
//   npm run build && eval "$(bash scripts/kind-cluster.sh env)" && node bench/network-fault-latency.js \
//     [--samples 20] [--only docker|kind] [--faults network-delay,partition]
// On a shared cluster, wrap it: /work/tools/with-cluster-lock.sh node bench/network-fault-latency.js --only kind
// Writes bench/results/network-fault-latency.json (a run with --only / --faults updates its part).
import { closeSync, existsSync, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { systemClock } from '../dist/common/clock.js';
import { faultCatalog } from '../dist/faults/index.js';
import { createDockerTarget } from '../dist/targets/docker/index.js';
import { createKubernetesTarget } from '../dist/targets/kubernetes/index.js';
import { Timeline } from '../dist/timeline/timeline.js';
import { median, startDemo, writeResult } from './support.js';

const { values: args } = parseArgs({ options: { samples: { type: 'string', default: '20' }, only: { type: 'string' }, faults: { type: 'string', default: 'network-delay,partition' } } });
const SAMPLES = Math.min(100, Math.max(1, Number(args.samples)));
const FAULTS = args.faults.split(',');
const AHEAD_MS = 300;
const PARAMS = {
  'network-delay': { delay: '100ms', ports: [8080], duration: '60s' },
  partition: { direction: 'ingress', ports: [8080], duration: '60s' },
};
const RESULT = new URL('./results/network-fault-latency.json', import.meta.url);
const results = existsSync(RESULT) ? JSON.parse(readFileSync(RESULT, 'utf8')) : { bench: 'network-fault-latency' };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const p95 = (values) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * 0.95) - 1)];
const round = (value) => Number(value.toFixed(1));

// The runner's journal append: one line written and fsync'd before each step that needs undoing.
const journalDir = mkdtempSync(join(tmpdir(), 'rebound-bench-journal-'));
const journalFd = openSync(join(journalDir, 'journal.jsonl'), 'a');
const record = (undo) => {
  writeSync(journalFd, `${JSON.stringify(undo)}\n`);
  fsyncSync(journalFd);
};

async function measure(label, target, selector, name, subject) {
  const fault = { index: 0, repetition: 0, name, params: faultCatalog[name].params.parse(PARAMS[name]), subjects: [subject] };
  const timeline = new Timeline(systemClock());
  const inEffect = [];
  const timerLate = [];
  const prepareMs = [];
  for (let index = 0; index < SAMPLES; index++) {
    const preparing = performance.now();
    const prepared = await target.prepare(fault, selector);
    prepareMs.push(performance.now() - preparing);
    const instant = performance.now() + AHEAD_MS;
    await sleep(instant - performance.now());
    timerLate.push(performance.now() - instant);
    const handle = await target.inject(fault, { selector, timeline, record, ...(prepared && { prepared }) });
    inEffect.push(performance.now() - instant);
    const outcome = await handle.rollback();
    if (!outcome.ok) throw new Error(`${label}: the rollback failed: ${outcome.error}`);
  }
  const figures = {
    medianMs: round(median(inEffect)),
    p95Ms: round(p95(inEffect)),
    minMs: round(Math.min(...inEffect)),
    maxMs: round(Math.max(...inEffect)),
    timerLateMedianMs: round(median(timerLate)),
    prepareMedianMs: round(median(prepareMs)),
    samples: inEffect.length,
    loadAverage: loadavg().map((value) => Number(value.toFixed(2))),
    at: new Date().toISOString(),
  };
  results[label] = figures;
  console.log(`${label.padEnd(24)} in effect after the instant: median ${figures.medianMs} ms  p95 ${figures.p95Ms} ms  min ${figures.minMs} ms  (timer late ${figures.timerLateMedianMs} ms; prepare ${figures.prepareMedianMs} ms; load ${figures.loadAverage.join(' ')})`);
}

async function docker() {
  const demo = await startDemo();
  try {
    const target = createDockerTarget();
    const name = (await demo.container.inspect()).Name.replace(/^\//, '');
    const selector = { labels: { 'rebound.dev/bench': '1' }, name };
    for (const fault of FAULTS) await measure(`docker ${fault}`, target, selector, fault, name);
  } finally {
    await demo.remove();
  }
}

async function kind() {
  const kubeconfig = process.env.REBOUND_KUBECONFIG;
  const context = process.env.REBOUND_KUBE_CONTEXT;
  if (!kubeconfig || !context) {
    const reason = 'REBOUND_KUBECONFIG / REBOUND_KUBE_CONTEXT are not set: eval "$(bash scripts/kind-cluster.sh env)"';
    console.log(`kind half skipped: ${reason}`);
    results.kindSkipped = reason;
    return;
  }
  const config = new KubeConfig();
  config.loadFromFile(kubeconfig);
  config.setCurrentContext(context);
  const core = config.makeApiClient(CoreV1Api);
  const apps = config.makeApiClient(AppsV1Api);
  const namespace = `rebound-bench-${randomBytes(4).toString('hex')}`;
  const labels = { app: 'netbench', 'rebound.dev/chaos': 'enabled' };
  await core.createNamespace({ body: { metadata: { name: namespace, labels: { 'rebound.dev/test': 'bench' } } } });
  try {
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'netbench' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'netbench' } },
          template: { metadata: { labels }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'rebound/demo-app:v1', imagePullPolicy: 'Never', ports: [{ containerPort: 8080 }] }] } },
        },
      },
    });
    let pod;
    for (let tries = 0; tries < 600 && !pod; tries++) {
      pod = (await core.listNamespacedPod({ namespace })).items.find((item) => item.status?.containerStatuses?.[0]?.state?.running);
      if (!pod) await sleep(100);
    }
    if (!pod) throw new Error('the bench pod did not start within 60 s');
    const target = await createKubernetesTarget({ kubeconfig, context });
    const selector = { labels: { app: 'netbench' }, namespace };
    for (const fault of FAULTS) await measure(`kind ${fault}`, target, selector, fault, pod.metadata.name);
  } finally {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  }
}

try {
  if (args.only !== 'kind') await docker();
  if (args.only !== 'docker') await kind();
} finally {
  closeSync(journalFd);
  rmSync(journalDir, { recursive: true, force: true });
}
results.targetMs = 150;
writeResult('network-fault-latency', results);
