import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport, RunResult } from '../../../src/run/run-result.js';
import { entriesOf } from '../../../src/timeline/timeline.js';
import { rebound, scratchDirectory, writeExperiment } from '../support/rebound-cli.js';
import { kindClusterWanted, kubeconfigPath, kubeContext, waitFor } from './support/kind-cluster.js';
import { useSharedClusterWithDemoWorkload } from './support/use-shared-cluster.js';
import { workersByLoad } from './support/workers.js';

// The acceptance list on the kind cluster, end to end: the real CLI as a process, a
// Deployment of the demo app (3 replicas, PDB minAvailable 2) behind a loopback NodePort.
const wanted = kindClusterWanted('the Kubernetes acceptance tests');
const cluster = useSharedClusterWithDemoWorkload();
const directory = scratchDirectory();

function experiment(name: string, body: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'rebound/v1',
    kind: 'Experiment',
    metadata: { name },
    target: 'kubernetes',
    kubernetes: { context: kubeContext, namespace: cluster.workload.namespace },
    system: { selector: cluster.workload.labels, url: { kubernetes: cluster.workload.url } },
    ...body,
  };
}

/** Runs `rebound run` on an experiment; the JSON report's only run. */
function runRebound(name: string, body: Record<string, unknown>) {
  const file = writeExperiment(directory, name, experiment(name, body));
  const report = join(directory, `${name}.json`);
  const process = rebound(['run', file, '--target', 'kubernetes', '--context', kubeContext!, '--kubeconfig', kubeconfigPath!, '--reporter', 'console', '--reporter', `json=${report}`, '--state-dir', join(directory, 'state')]);
  return { process, run: (): RunResult => (JSON.parse(readFileSync(report, 'utf8')) as RunReport).runs[0]! };
}

function successRatio(run: RunResult): number {
  const requests = entriesOf(run.timeline, 'request');
  return requests.filter((request) => request.data.ok).length / requests.length;
}

describe.runIf(wanted)('rebound run --target kubernetes on the kind cluster', () => {
  it('kill 1 pod → ready back to 3, recovery time measured, ≥ 99 % of 200 req/s answered (exit 0)', async () => {
    const { process, run } = runRebound('kill', {
      probe: { rate: '200/s', timeout: '1s' },
      duration: '25s',
      faults: [{ kill: { count: 1 }, at: '5s' }],
      assertions: [{ recoveryTime: { max: '20s' } }, { replicas: { ready: '>= 3', within: '20s' } }, { traffic: { successRate: '>= 99%' } }],
    });
    const result = await process;
    expect(result.exitCode, result.all).toBe(0);
    const report = run();
    const recovery = report.verdicts.find((verdict) => verdict.name === 'recoveryTime')!;
    expect(recovery.passed).toBe(true);
    expect(recovery.measured).toBeGreaterThan(0);
    const ready = entriesOf(report.timeline, 'replicas').map((entry) => entry.data.ready);
    expect(Math.min(...ready)).toBe(2);
    expect(ready.at(-1)).toBe(3);
    expect(entriesOf(report.timeline, 'request').length).toBeGreaterThan(4000);
    expect(successRatio(report)).toBeGreaterThanOrEqual(0.99);
  });

  it('crash → the kubelet restarts the container (restartCount + 1), recovered, ≥ 99 % answered (exit 0)', async () => {
    const { process, run } = runRebound('crash', {
      probe: { rate: '200/s', timeout: '1s' },
      duration: '25s',
      faults: [{ crash: { count: 1 }, at: '5s' }],
      assertions: [{ recoveryTime: { max: '20s' } }, { replicas: { ready: '>= 3', within: '20s' } }, { traffic: { successRate: '>= 99%' } }],
    });
    const result = await process;
    expect(result.exitCode, result.all).toBe(0);
    const report = run();
    const victim = entriesOf(report.timeline, 'fault-injected')[0]!.data.subjects[0]!;
    const restart = entriesOf(report.timeline, 'instance-event').find((entry) => entry.subject === victim && entry.data.action === 'restart')!;
    expect(restart.data.restartCount).toBe(1);
    expect(report.verdicts.find((verdict) => verdict.name === 'recoveryTime')!.measured).toBeGreaterThan(0);
    expect(successRatio(report)).toBeGreaterThanOrEqual(0.99);
  });

  it('fail-node → time to NotReady measured, node Ready again after rollback, eviction delay explained', async () => {
    const { process, run } = runRebound('fail-node', {
      probe: { rate: '50/s', timeout: '1s' },
      // NotReady comes 6–14 s after the stop (10 s grace after the last heartbeat): 22 s leave room.
      duration: '40s',
      faults: [{ 'fail-node': { mode: 'stop', duration: '22s' }, at: '3s' }],
      assertions: [{ replicas: { ready: '>= 3' } }],
    });
    const result = await process;
    const report = run();
    const injected = entriesOf(report.timeline, 'fault-injected')[0]!;
    const node = injected.data.subjects[0]!;
    expect(injected.data.note).toMatch(/node-monitor-grace-period.*tolerationSeconds/);
    const notReady = entriesOf(report.timeline, 'node').find((entry) => entry.subject === node && !entry.data.ready && entry.t > injected.t)!;
    expect(notReady, 'NotReady in the timeline').toBeDefined();
    const facts = Object.fromEntries(entriesOf(report.timeline, 'target-fact').map((entry) => [entry.data.key, entry.data.value]));
    expect(facts.nodeMonitorGracePeriodMs).toBe(10_000);
    // Grace period after the kubelet's last heartbeat, which can be a lease renewal (2 s) earlier.
    expect(notReady.t - injected.t).toBeGreaterThan(6_000);
    expect(notReady.t - injected.t).toBeLessThan(22_000);
    const back = entriesOf(report.timeline, 'node').find((entry) => entry.subject === node && entry.data.ready && entry.t > notReady.t);
    expect(back, 'Ready again in the timeline').toBeDefined();
    expect(report.rollbacks).toEqual([expect.objectContaining({ name: 'fail-node', ok: true, action: expect.stringMatching(/started node .*Ready again/) })]);
    // The report says what the cluster will do about a dead node, with this cluster's numbers.
    expect(result.stdout).toMatch(/10\.00 s until the node is NotReady \(node-monitor-grace-period\) \+ 5 m 00 s of the pods' tolerationSeconds/);
    console.info(`fail-node: NotReady ${((notReady.t - injected.t) / 1000).toFixed(1)} s after the stop; ${report.rollbacks[0]!.action}`);
    expect(result.exitCode, result.all).toBe(0);
  });

  it('drain-node of the busiest worker → pods move to the other worker, ready never below 2 (PDB), node uncordoned (exit 0)', async () => {
    const [busiest, other] = await workersByLoad(cluster.clients, cluster.workload.namespace);
    const { process, run } = runRebound('drain', {
      probe: { rate: '100/s', timeout: '1s' },
      duration: '35s',
      faults: [{ 'drain-node': { timeout: '60s' }, at: '3s' }],
      assertions: [{ replicas: { minDuringChaos: '>= 2', ready: '>= 3' } }],
    });
    const result = await process;
    expect(result.exitCode, result.all).toBe(0);
    const report = run();
    const injected = entriesOf(report.timeline, 'fault-injected')[0]!;
    expect(injected.data.subjects).toEqual([busiest]);
    const during = entriesOf(report.timeline, 'replicas').filter((entry) => entry.t >= injected.t);
    expect(Math.min(...during.map((entry) => entry.data.ready)), 'the PDB held').toBe(2);
    const pods = (await cluster.workload.pods()).filter((pod) => !pod.metadata?.deletionTimestamp);
    expect(pods.map((pod) => pod.spec?.nodeName)).toEqual([other, other, other]);
    expect((await cluster.clients.core.readNode({ name: busiest })).spec?.unschedulable).toBeFalsy();
    expect(report.rollbacks).toEqual([expect.objectContaining({ name: 'drain-node', ok: true, action: `uncordoned ${busiest}` })]);
    console.info(`drain traffic: ${(successRatio(report) * 100).toFixed(2)} % answered`);
  });

  it('Ctrl-C during drain-node (the PDB refuses every eviction) → node uncordoned, exit 130', async () => {
    // minAvailable 3 of 3: every eviction is refused (429), so the drain is still going on.
    await cluster.clients.policy.patchNamespacedPodDisruptionBudget({ name: 'demo', namespace: cluster.workload.namespace, body: { spec: { minAvailable: 3 } } }, mergePatch());
    try {
      const [busiest] = await workersByLoad(cluster.clients, cluster.workload.namespace);
      const { process } = runRebound('drain-interrupted', {
        duration: '60s',
        faults: [{ 'drain-node': { timeout: '45s' }, at: '2s' }],
        assertions: [],
      });
      await waitFor(`${busiest} cordoned`, 30_000, async () => ((await cluster.clients.core.readNode({ name: busiest })).spec?.unschedulable ? true : undefined));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      process.kill('SIGINT');
      const result = await process;
      expect(result.exitCode, result.all).toBe(130);
      expect((await cluster.clients.core.readNode({ name: busiest })).spec?.unschedulable).toBeFalsy();
    } finally {
      await cluster.clients.policy.patchNamespacedPodDisruptionBudget({ name: 'demo', namespace: cluster.workload.namespace, body: { spec: { minAvailable: 2 } } }, mergePatch());
    }
  });

  it('a drain that gives up at its timeout is a fault with effects: cordoned from its start to the rollback, recovery measured from its start', async () => {
    await cluster.clients.policy.patchNamespacedPodDisruptionBudget({ name: 'demo', namespace: cluster.workload.namespace, body: { spec: { minAvailable: 3 } } }, mergePatch());
    try {
      const { process, run } = runRebound('drain-gives-up', { duration: '10s', faults: [{ 'drain-node': { timeout: '4s' }, at: '1s' }], assertions: [{ recoveryTime: { max: '20s' } }] });
      const result = await process;
      expect(result.exitCode, result.all).toBe(0);
      const report = run();
      const started = entriesOf(report.timeline, 'fault-started')[0]!;
      const injected = entriesOf(report.timeline, 'fault-injected')[0]!;
      expect(started.t).toBeGreaterThanOrEqual(1000);
      expect(started.t).toBeLessThan(1500);
      expect(injected.data.startedAt).toBe(started.t);
      // The last eviction attempt is at the deadline itself, not one back-off step before it.
      expect(injected.t - started.t).toBeGreaterThanOrEqual(3900);
      expect(injected.data.incomplete).toMatch(/gave up after 4\.00 s; not evicted: /);
      expect(entriesOf(report.timeline, 'fault-failed')).toEqual([]);
      const recovery = report.verdicts.find((verdict) => verdict.name === 'recoveryTime')!;
      expect(recovery.measured).not.toBeNull();
      expect(recovery.explanation).not.toMatch(/no fault was injected/);
      expect(report.rollbacks).toEqual([expect.objectContaining({ name: 'drain-node', ok: true, action: expect.stringMatching(/^uncordoned /) })]);
      expect(result.stdout).toMatch(/injection is incomplete/);
    } finally {
      await cluster.clients.policy.patchNamespacedPodDisruptionBudget({ name: 'demo', namespace: cluster.workload.namespace, body: { spec: { minAvailable: 2 } } }, mergePatch());
    }
  });
});

function mergePatch() {
  return setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
}
