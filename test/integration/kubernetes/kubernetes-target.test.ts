import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/common/clock.js';
import { EnvironmentError, UsageError } from '../../../src/common/errors.js';
import { entriesOf, Timeline } from '../../../src/timeline/timeline.js';
import { createKubernetesTarget } from '../../../src/targets/kubernetes/index.js';
import type { PlannedFault, Selector, Target } from '../../../src/targets/target.js';
import { freeLoopbackPort } from '../support/demo-containers.js';
import { scratchDirectory } from '../support/rebound-cli.js';
import { kindClusterWanted, kubeconfigPath, kubeContext, waitFor } from './support/kind-cluster.js';
import { useSharedClusterWithDemoWorkload } from './support/use-shared-cluster.js';
import { injectionRun, plannedFault } from '../support/inject-fault.js';

// The Kubernetes target driven directly (no CLI) against the real kind cluster: guards, discovery,
// the watches' timeline, and each fault with its rollback.
const wanted = kindClusterWanted('the Kubernetes target tests');
const cluster = useSharedClusterWithDemoWorkload();
let target: Target | undefined;
let selector: Selector;

const fault = plannedFault;

describe.runIf(wanted)('the Kubernetes target on the kind cluster', () => {
  beforeAll(async () => {
    selector = { labels: cluster.workload.labels, namespace: cluster.workload.namespace };
    target = await createKubernetesTarget({ kubeconfig: kubeconfigPath!, context: kubeContext! });
    await target.check();
  });

  // Before useSharedClusterWithDemoWorkload's afterAll restores the workers and removes the workload.
  afterAll(async () => {
    await target?.close();
  });

  it('refuses a context other than the one named, and a context the kubeconfig lacks (exit 3)', async () => {
    const other = createKubernetesTarget({ kubeconfig: kubeconfigPath!, context: 'kind-elsewhere' });
    await expect(other).rejects.toThrow(EnvironmentError);
    await expect(other).rejects.toThrow(/kind-elsewhere is not in .*contexts: kind-rebound/);
    const mismatch = createKubernetesTarget({ kubeconfig: kubeconfigPath!, context: kubeContext!, experimentContext: 'prod' });
    await expect(mismatch).rejects.toThrow(/experiment is for kube context prod but the context in use is kind-rebound/);
  });

  it('refuses system namespaces unless allowed (exit 2), but reads them when allowed', async () => {
    const refused = await target!.discover({ labels: {}, namespace: 'kube-system' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UsageError);
    expect((refused as UsageError).message).toMatch(/kube-system is a system namespace/);
    expect((refused as UsageError).hint).toMatch(/kubernetes\.allowSystemNamespaces: true/);
    const allowed = await createKubernetesTarget({ kubeconfig: kubeconfigPath!, context: kubeContext!, allowSystemNamespaces: true });
    const discovery = await allowed.discover({ labels: { 'k8s-app': 'kube-proxy' }, namespace: 'kube-system' });
    expect(discovery.instances.length).toBe(3);
    expect(discovery.instances.every((instance) => instance.protectedReason?.includes('rebound.dev/chaos'))).toBe(true);
  });

  it('says clearly when the API does not answer (exit 3)', async () => {
    const file = join(scratchDirectory(), 'unreachable.kubeconfig');
    const port = await freeLoopbackPort();
    writeFileSync(file, readFileSync(kubeconfigPath!, 'utf8').replace(/server: https:\/\/[^\s]+/, `server: https://127.0.0.1:${port}`));
    const unreachable = await createKubernetesTarget({ kubeconfig: file, context: kubeContext! });
    const check = unreachable.check();
    await expect(check).rejects.toThrow(EnvironmentError);
    await expect(check).rejects.toThrow(/does not answer.*ECONNREFUSED/);
  });

  it('discovers the pods, the Deployment\'s desired count and the nodes', async () => {
    const discovery = await target!.discover(selector);
    expect(discovery.desired).toBe(3);
    expect(discovery.instances).toHaveLength(3);
    for (const instance of discovery.instances) {
      expect(instance).toMatchObject({ ready: true, running: true, restartPolicy: 'Always', hasHealthcheck: true });
      expect(instance.protectedReason).toBeUndefined();
    }
    expect(discovery.hosts).toHaveLength(3);
    const controlPlane = discovery.hosts.find((host) => host.role === 'control-plane')!;
    expect(controlPlane.protectedReason).toMatch(/control-plane/);
    expect(discovery.hosts.reduce((sum, host) => sum + host.instanceCount, 0)).toBe(3);
    expect(discovery.hosts.filter((host) => host.role === 'worker' && host.instanceCount > 0)).toHaveLength(2);
    const missing = target!.discover({ labels: {}, namespace: 'rebound-no-such-namespace' });
    await expect(missing).rejects.toThrow(/namespace rebound-no-such-namespace does not exist/);
  });

  it('kill: the watch sees the pod deleted and a replacement scheduled, started and ready; ready back to 3', async () => {
    const timeline = new Timeline(systemClock());
    const observation = await target!.observe(selector, timeline, { desired: 3 });
    try {
      const seen = entriesOf(timeline.entries, 'instance-seen');
      expect(seen).toHaveLength(3);
      const facts = Object.fromEntries(entriesOf(timeline.entries, 'target-fact').map((entry) => [entry.data.key, entry.data.value]));
      expect(facts).toMatchObject({ nodeMonitorGracePeriodMs: 10_000, notReadyTolerationMs: 300_000, unreachableTolerationMs: 300_000, podEvictionDelayMs: 310_000 });
      expect(entriesOf(timeline.entries, 'node').map((entry) => entry.data.ready)).toEqual([true, true, true]);
      const victim = seen[0]!.subject!;
      const handle = await target!.inject(fault('kill', { gracePeriod: 0 }, [victim]), injectionRun(selector, { timeline }));
      expect(handle.undo.record.action).toBe('controller-replaces');
      await waitFor('ready back to 3 after a drop', 60_000, async () => {
        const counts = entriesOf(timeline.entries, 'replicas').map((entry) => entry.data.ready);
        return counts.includes(2) && counts.at(-1) === 3 ? true : undefined;
      });
      const events = entriesOf(timeline.entries, 'instance-event');
      const deleted = events.find((entry) => entry.subject === victim && entry.data.action === 'deleted')!;
      expect(deleted.engineTime).toBeDefined();
      // With grace period 0 the ReplicaSet may create the replacement before the delete event arrives:
      // the newcomer is the pod that was not there at the start, whenever it was seen.
      const original = new Set(seen.map((entry) => entry.subject));
      const newcomer = entriesOf(timeline.entries, 'instance-seen').find((entry) => !original.has(entry.subject))!.subject!;
      const actions = events.filter((entry) => entry.subject === newcomer).map((entry) => entry.data.action);
      expect(actions).toEqual(expect.arrayContaining(['create', 'scheduled', 'start', 'ready']));
      expect(events.some((entry) => entry.data.action === 'event' && entry.data.reason === 'SuccessfulCreate')).toBe(true);
      const outcome = await handle.rollback();
      expect(outcome).toMatchObject({ ok: true });
      expect(await handle.rollback()).toBe(outcome);
    } finally {
      await observation.stop();
    }
  });

  it('crash: SIGKILL through the kind node, the kubelet restarts the container (restartCount + 1)', async () => {
    const timeline = new Timeline(systemClock());
    const observation = await target!.observe(selector, timeline, { desired: 3 });
    try {
      const victim = (await target!.discover(selector)).instances[0]!.name;
      const handle = await target!.inject(fault('crash', {}, [victim]), injectionRun(selector, { timeline }));
      expect(handle.note).toMatch(/kubelet restarts/);
      const restart = await waitFor('the restart in the timeline', 60_000, async () =>
        entriesOf(timeline.entries, 'instance-event').find((entry) => entry.subject === victim && entry.data.action === 'restart'),
      );
      expect(restart.data.restartCount).toBe(1);
      const die = entriesOf(timeline.entries, 'instance-event').find((entry) => entry.subject === victim && entry.data.action === 'die')!;
      expect(die.data.exitCode).toBe(137);
      await waitFor('the crashed pod ready again', 60_000, async () =>
        entriesOf(timeline.entries, 'instance-event').find((entry) => entry.subject === victim && entry.data.action === 'ready' && entry.t > die.t),
      );
      expect((await handle.rollback()).action).toMatch(/restartCount 0 → 1/);
    } finally {
      await observation.stop();
    }
  });

  it('scale: 3 → 1 and back; desired follows the Deployment\'s spec in the timeline', async () => {
    const timeline = new Timeline(systemClock());
    const observation = await target!.observe(selector, timeline, { desired: 3 });
    try {
      const handle = await target!.inject(fault('scale', { replicas: 1 }, []), injectionRun(selector, { timeline }));
      expect(handle.undo.record).toMatchObject({ action: 'restore-replicas', replicas: 3, owner: { kind: 'Deployment', name: cluster.workload.deployment } });
      await waitFor('desired 1', 30_000, async () => (entriesOf(timeline.entries, 'replicas').at(-1)?.data.desired === 1 ? true : undefined));
      expect(await handle.rollback()).toMatchObject({ ok: true });
      await waitFor('3 ready of 3 desired', 60_000, async () => {
        const last = entriesOf(timeline.entries, 'replicas').at(-1)?.data;
        return last?.desired === 3 && last.ready === 3 ? true : undefined;
      });
      const deployment = await cluster.clients.apps.readNamespacedDeployment({ name: cluster.workload.deployment, namespace: cluster.workload.namespace });
      expect(deployment.metadata?.annotations?.['rebound.dev/replicas-before']).toBeUndefined();
    } finally {
      await observation.stop();
    }
  });
  it('drain-node: cordon, evictions paced by the PDB (ready never below 2), pods moved, uncordoned on rollback', async () => {
    // A clean start: the pods the scale test removed are gone and the PDB has counted the others,
    // so the budget below is measured against exactly 3 pods and a PDB that allows 1 disruption.
    await waitFor('exactly 3 pods, all ready, none terminating, PDB allowing 1 disruption', 60_000, async () => {
      const pods = await cluster.workload.pods();
      const settled = pods.length === 3 && pods.every((pod) => !pod.metadata?.deletionTimestamp && pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      const pdb = await cluster.clients.policy.readNamespacedPodDisruptionBudget({ name: 'demo', namespace: cluster.workload.namespace });
      return settled && pdb.status?.currentHealthy === 3 && pdb.status.disruptionsAllowed === 1 ? true : undefined;
    });
    const timeline = new Timeline(systemClock());
    const observation = await target!.observe(selector, timeline, { desired: 3 });
    const discovery = await target!.discover(selector);
    const busiest = [...discovery.hosts].filter((host) => host.role === 'worker').sort((a, b) => b.instanceCount - a.instanceCount)[0]!;
    const other = discovery.hosts.find((host) => host.role === 'worker' && host.name !== busiest.name)!.name;
    const injectedAt = timeline.now();
    const handle = await target!.inject(fault('drain-node', { timeout: '90s' }, [busiest.name]), injectionRun(selector, { timeline }));
    try {
      expect(handle.note).toMatch(new RegExp(`cordoned ${busiest.name} and evicted ${busiest.instanceCount} of ${busiest.instanceCount} pod`));
      expect(handle.undo).toEqual({ target: 'kubernetes', fault: 'drain-node', record: { action: 'uncordon', node: busiest.name, cordonedByRebound: true } });
      await waitFor('3 ready pods, all on the other worker', 90_000, async () => {
        const pods = (await cluster.workload.pods()).filter((pod) => !pod.metadata?.deletionTimestamp);
        const ready = pods.filter((pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
        return ready.length === 3 && pods.every((pod) => pod.spec?.nodeName === other) ? true : undefined;
      });
      const during = entriesOf(timeline.entries, 'replicas').filter((entry) => entry.t >= injectedAt);
      const lowestReady = Math.min(...during.map((entry) => entry.data.ready));
      // The PDB bounds what evictions take away. A readiness probe that times out on a loaded CI
      // machine is not an eviction, so the budget is checked on pods that were ready and are not
      // terminating; the strict ready count is in the message for when they differ.
      const { lowest, flaps } = lowestUndisrupted(timeline, injectedAt);
      // The whole timeline beside the failure, for the next time the budget looks broken.
      if (lowest < 2 || process.env.REBOUND_DEBUG_DRAIN) writeFileSync(process.env.REBOUND_DEBUG_DRAIN ?? artifact('drain-timeline.json'), JSON.stringify(timeline.entries, null, 0));
      const story = `ready count never below ${lowestReady}; readiness flaps: ${flaps.join(', ') || 'none'}`;
      expect(lowest, `the PDB held (${story})`).toBe(2);
      if (flaps.length === 0) expect(lowestReady, story).toBe(2);
      expect(entriesOf(timeline.entries, 'node').some((entry) => entry.subject === busiest.name && !entry.data.schedulable)).toBe(true);
    } finally {
      expect(await handle.rollback()).toEqual({ ok: true, action: `uncordoned ${busiest.name}` });
    }
    try {
      expect((await cluster.clients.core.readNode({ name: busiest.name })).spec?.unschedulable).toBeFalsy();
      await waitFor('the node schedulable again in the timeline', 10_000, async () =>
        entriesOf(timeline.entries, 'node').find((entry) => entry.subject === busiest.name && entry.data.schedulable && entry.t > injectedAt),
      );
    } finally {
      await observation.stop();
    }
  });

  it('drain-node stops when the run is interrupted (signal): an incomplete injection, the node cordoned until its rollback', async () => {
    // minAvailable 3 of 3: every eviction is refused (429), so the drain is still retrying.
    const patch = (minAvailable: number) =>
      cluster.clients.policy.patchNamespacedPodDisruptionBudget({ name: 'demo', namespace: cluster.workload.namespace, body: { spec: { minAvailable } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await patch(3);
    try {
      const busiest = (await target!.discover(selector)).hosts.filter((host) => host.role === 'worker').sort((a, b) => b.instanceCount - a.instanceCount)[0]!.name;
      const interrupt = new AbortController();
      setTimeout(() => interrupt.abort('SIGINT'), 2000);
      const started = performance.now();
      const handle = await target!.inject(fault('drain-node', { timeout: '60s' }, [busiest]), injectionRun(selector, { signal: interrupt.signal }));
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(handle.incomplete).toMatch(new RegExp(`^drain of ${busiest} interrupted; not evicted: `));
      // Half a drain is a cordoned node: in effect until its rollback, which uncordons it.
      expect((await cluster.clients.core.readNode({ name: busiest })).spec?.unschedulable).toBe(true);
      expect(await handle.rollback()).toEqual({ ok: true, action: `uncordoned ${busiest}` });
      expect((await cluster.clients.core.readNode({ name: busiest })).spec?.unschedulable).toBeFalsy();
    } finally {
      await patch(2);
    }
  });

  it('fail-node (pause): NotReady seen through the node watch after the grace period, Ready again after rollback', async () => {
    const timeline = new Timeline(systemClock());
    const observation = await target!.observe(selector, timeline, { desired: 3 });
    const discovery = await target!.discover(selector);
    const worker = discovery.hosts.filter((host) => host.role === 'worker').sort((a, b) => a.instanceCount - b.instanceCount)[0]!.name;
    const handle = await target!.inject(fault('fail-node', { mode: 'pause' }, [worker]), injectionRun(selector, { timeline }));
    const injectedAt = timeline.now();
    try {
      expect(handle.undo).toEqual({ target: 'kubernetes', fault: 'fail-node', record: { action: 'bring-node-back', node: worker, failedByRebound: true } });
      expect(handle.note).toMatch(/10.00 s until the node is NotReady \(node-monitor-grace-period\) \+ 5 m 00 s of the pods' tolerationSeconds/);
      const notReady = await waitFor('NotReady in the node watch', 60_000, async () =>
        entriesOf(timeline.entries, 'node').find((entry) => entry.subject === worker && !entry.data.ready),
      );
      // The node controller needs the grace period (10 s, scripts/kind/cluster.yaml) after the last
      // heartbeat, which can be up to one lease renewal (2 s) before the pause.
      expect(notReady.t - injectedAt).toBeGreaterThan(6_000);
      expect(notReady.t - injectedAt).toBeLessThan(30_000);
    } finally {
      const outcome = await handle.rollback();
      expect(outcome, outcome.error).toMatchObject({ ok: true, action: expect.stringMatching(new RegExp(`unpaused node ${worker}; Ready again`)) });
    }
    try {
      await waitFor('Ready again in the node watch', 30_000, async () =>
        entriesOf(timeline.entries, 'node').find((entry) => entry.subject === worker && entry.data.ready && entry.t > injectedAt),
      );
      expect(await target!.undo(handle.undo)).toMatchObject({ ok: true });
    } finally {
      await observation.stop();
    }
  });
});

/** The fewest pods that had been ready and were not terminating at any moment from `from` on, and the pods whose readiness failed while they were not terminating. */
function lowestUndisrupted(timeline: Timeline, from: number): { lowest: number; flaps: string[] } {
  const everReady = new Set<string>();
  const gone = new Set<string>();
  const flaps: string[] = [];
  let lowest = Number.POSITIVE_INFINITY;
  const changes = timeline.entries.filter((entry) => entry.kind === 'instance-seen' || entry.kind === 'instance-event');
  for (const [index, entry] of changes.entries()) {
    const pod = entry.subject!;
    if (entry.kind === 'instance-seen' && entry.data.ready) everReady.add(pod);
    if (entry.kind === 'instance-event') {
      if (entry.data.action === 'ready') everReady.add(pod);
      if (entry.data.action === 'terminating' || entry.data.action === 'deleted') gone.add(pod);
      const terminatingToo = changes.slice(index, index + 3).some((next) => next.subject === pod && next.kind === 'instance-event' && next.data.action === 'terminating');
      // A pod already on its way out turning unready is the eviction, not a flap.
      if (entry.data.action === 'unready' && !terminatingToo && !gone.has(pod)) flaps.push(`${pod} @${Math.round(entry.t)} ms`);
    }
    if (entry.t >= from) lowest = Math.min(lowest, [...everReady].filter((name) => !gone.has(name)).length);
  }
  return { lowest, flaps };
}

/** A file under out/test-artifacts/ (kept by CI). */
function artifact(name: string): string {
  const directory = resolve('out/test-artifacts');
  mkdirSync(directory, { recursive: true });
  return join(directory, name);
}
