import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/run/run-result.js';
import { KindNodes, nodeLeftoverList, nodeLeftovers, podNamespaces } from '../../../src/targets/kubernetes/kind/index.js';
import { createKubernetesTarget } from '../../../src/targets/kubernetes/index.js';
import type { Target } from '../../../src/targets/target.js';
import { entriesOf } from '../../../src/timeline/timeline.js';
import { injectionRun, plannedFault } from '../support/inject-fault.js';
import { rebound, scratchDirectory, writeExperiment } from '../support/rebound-cli.js';
import { kindClusterWanted, kubeconfigPath, kubeContext, waitFor } from './support/kind-cluster.js';
import { useSharedClusterWithDemoWorkload } from './support/use-shared-cluster.js';

// The resource faults on the kind cluster: stress moved into a pod container's cgroups by a unit in
// its node and held by its limits, a real OOM kill the kubelet restarts, and in-place resizes
// through pods/resize restored exactly. The workload's pods are Guaranteed: 200m CPU, 64 MiB.
const wanted = kindClusterWanted('the Kubernetes resource fault tests');
const cluster = useSharedClusterWithDemoWorkload({ resources: { cpu: '200m', memory: '64Mi' } });
const kindNodes = new KindNodes();

const mainStatus = (pod: V1Pod) => pod.status!.containerStatuses![0]!;
const readPod = (name: string) => cluster.clients.core.readNamespacedPod({ name, namespace: cluster.workload.namespace });
async function onePod(): Promise<V1Pod> {
  const pods = (await cluster.workload.pods()).filter((pod) => !pod.metadata?.deletionTimestamp && pod.status?.containerStatuses?.[0]?.state?.running);
  return pods.sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!))[0]!;
}

/** The processes in the pod container's cpu cgroup, and its cgroup directory, as its node sees them. */
async function cpuCgroup(pod: V1Pod): Promise<{ pid: number; processes: string[]; dir: string }> {
  const node = await kindNodes.require(pod.spec!.nodeName!, 'the test');
  const { pid } = await podNamespaces(kindNodes, node, mainStatus(pod).containerID!);
  const path = (await kindNodes.execScript(node, `awk -F: '$2 ~ /(^|,)cpu(,|$)/ { print $3; exit }' /proc/${pid}/cgroup`)).stdout.trim();
  const dir = `/sys/fs/cgroup/cpu${path}`;
  const processes = (await kindNodes.execScript(node, `cat ${dir}/cgroup.procs`)).stdout.trim().split('\n');
  return { pid, processes, dir };
}

async function kubeRun(name: string, rest: Record<string, unknown>) {
  const directory = scratchDirectory();
  const file = writeExperiment(directory, name, {
    apiVersion: 'rebound/v1',
    kind: 'Experiment',
    metadata: { name },
    target: 'kubernetes',
    kubernetes: { context: kubeContext, namespace: cluster.workload.namespace },
    system: { selector: cluster.workload.labels, url: { kubernetes: cluster.workload.url } },
    probe: { rate: '20/s' },
    ...rest,
  });
  const result = await rebound(['run', file, '--target', 'kubernetes', '--kubeconfig', kubeconfigPath!, '--context', kubeContext!, '--reporter', `json=${join(directory, 'r.json')}`, '--state-dir', join(directory, 'state')]);
  return { result, run: (JSON.parse(readFileSync(join(directory, 'r.json'), 'utf8')) as RunReport).runs[0]! };
}

describe.runIf(wanted)('resource faults on Kubernetes (kind)', () => {
  let target: Target;
  const selector = () => ({ labels: cluster.workload.labels, namespace: cluster.workload.namespace });

  it('cpu-stress load 100 in a 200m pod: throttled in the container\'s cgroup, held to 0.2 of a core; unit and stress gone after the rollback', async () => {
    const { result, run } = await kubeRun('k8s-cpu-stress', { duration: '7s', faults: [{ 'cpu-stress': { count: 1, pick: 'oldest', workers: 2, load: 100, duration: '4s' }, at: '1s' }] });
    expect(result.exitCode, result.all).toBe(0);
    const stressed = entriesOf(run.timeline, 'fault-injected')[0]!;
    const rolledBack = entriesOf(run.timeline, 'fault-rolled-back')[0]!;
    const during = entriesOf(run.timeline, 'resource-sample').filter((sample) => sample.subject === stressed.data.subjects[0] && sample.t > stressed.t + 600 && sample.t < rolledBack.t);
    expect(during.length).toBeGreaterThan(3);
    const [first, last] = [during[0]!, during.at(-1)!];
    const cores = (last.data.cpuUsageMs - first.data.cpuUsageMs) / (last.t - first.t);
    const throttled = (last.data.throttledPeriods - first.data.throttledPeriods) / (last.data.periods - first.data.periods);
    console.log(`cpu-stress 2 workers at 100 % in a 200m pod (${stressed.data.subjects[0]}): ${cores.toFixed(3)} cores in the run's samples, throttled in ${(throttled * 100).toFixed(0)} % of the periods; ${rolledBack.data.action}`);
    expect(cores).toBeGreaterThan(0.15);
    expect(cores).toBeLessThan(0.23);
    expect(throttled).toBeGreaterThan(0.5);
    expect(rolledBack.data.ok).toBe(true);
    const stressedPod = await readPod(stressed.data.subjects[0]!);
    const cgroup = await cpuCgroup(stressedPod);
    expect(cgroup.processes).toEqual([String(cgroup.pid)]);
    const node = await kindNodes.require(stressedPod.spec!.nodeName!, 'the test');
    expect(nodeLeftoverList(await nodeLeftovers(kindNodes, node))).toEqual([]);
  });

  it('cpu-stress ends by itself at its deadline: the unit and its stress go without a rollback', async () => {
    target = await createKubernetesTarget({ kubeconfig: kubeconfigPath!, context: kubeContext! });
    const pod = await onePod();
    const handle = await target.inject(plannedFault('cpu-stress', { count: 1, workers: 1, duration: '2s' }, [pod.metadata!.name!]), injectionRun(selector()));
    const applied = performance.now();
    expect((await cpuCgroup(pod)).processes.length).toBeGreaterThan(1);
    const node = await kindNodes.require(pod.spec!.nodeName!, 'the test');
    await waitFor('the stress unit to end by itself', 15_000, async () => (nodeLeftoverList(await nodeLeftovers(kindNodes, node)).length === 0 ? true : undefined));
    console.log(`cpu-stress with duration 2 s on kind: unit and stress gone ${((performance.now() - applied) / 1000).toFixed(2)} s after it applied`);
    expect(performance.now() - applied).toBeLessThan(6000);
    const cgroup = await cpuCgroup(pod);
    expect(cgroup.processes).toEqual([String(cgroup.pid)]);
    expect(await handle.rollback()).toEqual({ ok: true, action: expect.stringMatching(/already gone \(ended by itself at its deadline\)$/) });
  });

  it('squeeze: memory below usage stays PodResizeInProgress (incomplete); CPU applies in place; the rollback restores the recorded requests and limits', async () => {
    const pod = await onePod();
    const name = pod.metadata!.name!;
    const recorded = pod.spec!.containers[0]!.resources;
    const run = injectionRun(selector());
    const stress = await target.inject(plannedFault('memory-stress', { count: 1, size: '40Mi', duration: '40s' }, [name]), run);
    const below = await target.inject(plannedFault('squeeze', { count: 1, memory: '16Mi' }, [name]), run);
    console.log(`squeeze to 16 MiB with 40 MiB held: incomplete: ${below.incomplete}`);
    expect(below.incomplete).toMatch(/^the resize is in the pod spec, but the kubelet has not applied it to the container: .*PodResizeInProgress/);
    expect((await readPod(name)).spec!.containers[0]!.resources?.limits?.memory).toBe('16Mi');
    expect((await below.rollback()).ok).toBe(true);
    const cpu = await target.inject(plannedFault('squeeze', { count: 1, cpu: '50%' }, [name]), run);
    expect(cpu.incomplete).toBeUndefined();
    const node = await kindNodes.require(pod.spec!.nodeName!, 'the test');
    const quota = async () => Number((await kindNodes.execScript(node, `cat ${(await cpuCgroup(await readPod(name))).dir}/cpu.cfs_quota_us`)).stdout.trim());
    expect(await quota()).toBe(10_000);
    const restored = await cpu.rollback();
    console.log(`squeeze CPU 50 %: ${cpu.note}; rollback: ${restored.action}`);
    expect(restored).toEqual({ ok: true, action: `resized ${name} back to the recorded requests and limits (applied to the running container)` });
    const after = await readPod(name);
    expect(after.spec!.containers[0]!.resources).toEqual(recorded);
    expect(mainStatus(after).resources?.limits).toEqual({ cpu: '200m', memory: '64Mi' });
    expect(mainStatus(after).restartCount).toBe(mainStatus(pod).restartCount);
    expect(await quota()).toBe(20_000);
    expect((await stress.rollback()).ok).toBe(true);
  });

  // containerd (cgroup v1) now and then records the OOM-killed exit as reason Error (exit 137) and
  // never corrects it: seen once in about six runs, in CI of 2026-12-02 (its timeline: die Error 137,
  // no exit-reason after). That is the engine's report, not what this test is about, so the test
  // runs again once, on another pod (a second kill of the same pod would wait out its back-off).
  let oomAttempt = 0;
  it('oom: the kubelet sees reason OOMKilled and restarts the container (restartCount + 1); recovered', { retry: 1 }, async () => {
    const pick = oomAttempt++ === 0 ? 'newest' : 'oldest';
    const restartsBefore = new Map((await cluster.workload.pods()).map((pod) => [pod.metadata!.name!, pod.status?.containerStatuses?.[0]?.restartCount ?? 0]));
    const { result, run } = await kubeRun('k8s-oom', { duration: '20s', until: 'recovered', faults: [{ oom: { count: 1, pick }, at: '1s' }], assertions: [{ recoveryTime: { max: '15s' } }] });
    const subject = entriesOf(run.timeline, 'fault-injected')[0]!.data.subjects[0]!;
    const events = entriesOf(run.timeline, 'instance-event').filter((event) => event.subject === subject);
    const die = events.find((event) => event.data.action === 'die');
    // containerd may handle the exit before its OOM event: the kubelet then says Error first, OOMKilled after (exit-reason).
    const oomKilled = events.find((event) => (event.data.action === 'die' || event.data.action === 'exit-reason') && event.data.reason === 'OOMKilled');
    const pod = await waitFor(`lastState.terminated.reason OOMKilled (the run saw die with reason ${die?.data.reason}, exit ${die?.data.exitCode})`, 10_000, async () => {
      const current = await readPod(subject);
      return mainStatus(current).lastState?.terminated?.reason === 'OOMKilled' ? current : undefined;
    });
    const after = (event: { t: number } | undefined) => (event ? `${((event.t - entriesOf(run.timeline, 'fault-injected')[0]!.t) / 1000).toFixed(2)} s` : '?');
    console.log(`oom on kind: ${run.verdicts[0]!.explanation}; die (exit ${die?.data.exitCode}, reason ${die?.data.reason}) seen ${after(die)} after the injection, OOMKilled on the timeline ${after(oomKilled)} after (${oomKilled?.data.action}); restartCount ${mainStatus(pod).restartCount}`);
    expect(result.exitCode, result.all).toBe(0);
    expect(die?.data.exitCode).toBe(137);
    expect(oomKilled).toBeDefined();
    expect(mainStatus(pod).lastState?.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
    expect(mainStatus(pod).restartCount).toBe((restartsBefore.get(subject) ?? 0) + 1);
    await target?.close();
  });
});

