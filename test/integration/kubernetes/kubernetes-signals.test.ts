import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/run/run-result.js';
import { readJournals } from '../../../src/safety/journal.js';
import { NETNS_INVENTORY_SCRIPT, parseNetnsInventory, reboundLeftovers } from '../../../src/targets/fault-tools/index.js';
import { KindNodes, nodeLeftoverList, nodeLeftovers } from '../../../src/targets/kubernetes/kind/index.js';
import { rebound, scratchDirectory, writeExperiment } from '../support/rebound-cli.js';
import { kindClusterWanted, kubeconfigPath, kubeContext, waitFor } from './support/kind-cluster.js';
import { podNetworkLeftovers } from './support/pod-network-leftovers.js';
import { useSharedClusterWithDemoWorkload } from './support/use-shared-cluster.js';
import { restoreWorkers, waitForHealthyNodes } from './support/workers.js';

// SIGTERM while a node, scale, resource or network fault is active on the kind cluster: everything rolled back, the
// report written, exit 143. Faults at 1 s, SIGTERM as soon as the fault shows, so each takes seconds.
const wanted = kindClusterWanted('the Kubernetes SIGTERM tests');
// Guaranteed pods (requests = limits): the resource faults need limits to stress against and squeeze.
const cluster = useSharedClusterWithDemoWorkload({ resources: { cpu: '200m', memory: '64Mi' } });
const kindNodes = new KindNodes();
const docker = new Docker();
const directory = scratchDirectory();
const stateDir = join(directory, 'state');

async function workers(): Promise<string[]> {
  const nodes = (await cluster.clients.core.listNode()).items.filter((node) => !('node-role.kubernetes.io/control-plane' in (node.metadata?.labels ?? {})));
  return nodes.map((node) => node.metadata!.name!);
}

async function cordoned(): Promise<string | undefined> {
  const nodes = (await cluster.clients.core.listNode()).items;
  return nodes.find((node) => node.spec?.unschedulable)?.metadata?.name;
}

async function pausedWorker(): Promise<string | undefined> {
  for (const name of await workers()) if ((await docker.getContainer(name).inspect()).State.Paused) return name;
  return undefined;
}

/** rebound's helper units (and their processes) still in the workers. */
async function helperUnits(): Promise<string[]> {
  const found: string[] = [];
  for (const worker of await workers()) found.push(...nodeLeftoverList(await nodeLeftovers(kindNodes, await kindNodes.require(worker, 'the test'))));
  return found;
}
const memoryLimits = async () => (await cluster.workload.pods()).filter((pod) => !pod.metadata?.deletionTimestamp).map((pod) => pod.spec!.containers[0]!.resources?.limits?.memory);

const podRules = () => podNetworkLeftovers(cluster.workload, kindNodes);
const nodeRules = async (node: string) => reboundLeftovers(parseNetnsInventory((await kindNodes.execScript(await kindNodes.require(node, 'the SIGTERM tests'), NETNS_INVENTORY_SCRIPT)).stdout));

/** The worker whose own namespace holds a rule of rebound's (partition-node in effect). */
async function partitionedWorker(): Promise<string | undefined> {
  for (const name of await workers()) if ((await nodeRules(name)).length > 0) return name;
  return undefined;
}

const specReplicas = async () => (await cluster.clients.apps.readNamespacedDeployment({ name: cluster.workload.deployment, namespace: cluster.workload.namespace })).spec?.replicas;

/** Starts `rebound run` with one fault at 1 s, waits until `tookEffect` says it shows, sends SIGTERM; the report's run. */
async function terminateDuring<T>(name: string, fault: Record<string, unknown>, tookEffect: () => Promise<T | undefined>) {
  const file = writeExperiment(directory, name, {
    apiVersion: 'rebound/v1',
    kind: 'Experiment',
    metadata: { name: `sigterm-${name}` },
    target: 'kubernetes',
    kubernetes: { context: kubeContext, namespace: cluster.workload.namespace },
    system: { selector: cluster.workload.labels, url: { kubernetes: cluster.workload.url } },
    duration: '90s',
    faults: [{ ...fault, at: '1s' }],
  });
  const report = join(directory, `${name}.json`);
  const child = rebound(['run', file, '--target', 'kubernetes', '--context', kubeContext!, '--kubeconfig', kubeconfigPath!, '--reporter', `json=${report}`, '--state-dir', stateDir]);
  const effect = await waitFor(`the ${name} fault to show`, 60_000, tookEffect);
  const signalled = performance.now();
  child.kill('SIGTERM');
  const result = await child;
  console.info(`${name}: exited ${((performance.now() - signalled) / 1000).toFixed(2)} s after SIGTERM`);
  expect(result.exitCode, result.all).toBe(143);
  const run = (JSON.parse(readFileSync(report, 'utf8')) as RunReport).runs[0]!;
  expect(run.outcome).toBe('interrupted');
  expect(run.rollbacks).toHaveLength(1);
  expect(run.rollbacks[0]!.ok, run.rollbacks[0]!.error).toBe(true);
  return { effect, run };
}

describe.runIf(wanted)('SIGTERM during a Kubernetes fault', () => {
  afterEach(async () => {
    // The next test starts from a whole cluster and 3 ready pods, whatever this one did.
    await restoreWorkers(cluster.clients);
    await waitForHealthyNodes(cluster.clients);
    await waitFor('3 ready demo pods', 90_000, async () => {
      const deployment = await cluster.clients.apps.readNamespacedDeployment({ name: cluster.workload.deployment, namespace: cluster.workload.namespace });
      return deployment.status?.readyReplicas === 3 && deployment.status.replicas === 3 ? true : undefined;
    });
  });

  it('drain-node: the node uncordoned, exit 143', async () => {
    const { effect: node } = await terminateDuring('drain-node', { 'drain-node': { timeout: '60s' } }, cordoned);
    expect((await cluster.clients.core.readNode({ name: node })).spec?.unschedulable).toBeFalsy();
  });

  it('fail-node (mode pause): the node container unpaused and Ready, exit 143', async () => {
    const { effect: node, run } = await terminateDuring('fail-node', { 'fail-node': { mode: 'pause' } }, pausedWorker);
    expect((await docker.getContainer(node).inspect()).State).toMatchObject({ Running: true, Paused: false });
    expect(run.rollbacks[0]!.action).toMatch(new RegExp(`unpaused node ${node}; Ready again`));
  });

  it('scale: the Deployment back to 3 replicas, exit 143', async () => {
    await terminateDuring('scale', { scale: { replicas: 4 } }, async () => ((await specReplicas()) === 4 ? true : undefined));
    expect(await specReplicas()).toBe(3);
  });

  for (const [name, fault] of [['cpu-stress', { 'cpu-stress': { count: 1, duration: '60s' } }], ['memory-stress', { 'memory-stress': { count: 1, size: '30Mi', duration: '60s' } }]] as const) {
    it(`${name}: the helper unit stopped, its stress gone, exit 143`, async () => {
      const { run } = await terminateDuring(name, fault, async () => ((await helperUnits()).length > 0 ? true : undefined));
      expect(run.rollbacks[0]!.action).toMatch(/^stopped helper unit rb[0-9a-f]+ for /);
      expect(await helperUnits()).toEqual([]);
    });
  }

  it('squeeze: the recorded requests and limits back, exit 143', async () => {
    await terminateDuring('squeeze', { squeeze: { count: 1, memory: '48Mi' } }, async () => ((await memoryLimits()).includes('48Mi') ? true : undefined));
    expect(await memoryLimits()).toEqual(['64Mi', '64Mi', '64Mi']);
  });

  it('oom: nothing to roll back (the kubelet restarted it), exit 143', async () => {
    const killed = async () => (await cluster.workload.pods()).some((pod) => pod.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode === 137);
    const { run } = await terminateDuring('oom', { oom: { count: 1 } }, async () => ((await killed()) ? true : undefined));
    expect(run.rollbacks[0]!.action).toMatch(/^nothing to undo \(the kubelet restarts an OOM-killed container\)/);
  });

  // The network faults: one in a pod's namespace, one in a node's; SIGTERM once the rules are there.
  it('network-delay: the proxy and its redirect gone from the pod\'s namespace, exit 143', async () => {
    await terminateDuring('network-delay', { 'network-delay': { delay: '100ms', count: 1, duration: '60s' } }, async () => ((await podRules()).length > 0 ? true : undefined));
    expect(await podRules()).toEqual([]);
  });

  it('partition-node: the node\'s chain gone, the node Ready, exit 143', async () => {
    const { effect: node, run } = await terminateDuring('partition-node', { 'partition-node': { duration: '60s' } }, partitionedWorker);
    expect(await nodeRules(node)).toEqual([]);
    expect(run.rollbacks[0]!.action).toMatch(new RegExp(`removed ${node}'s partition; Ready`));
  });

  it('left nothing for `rebound recover`', () => {
    const journals = readJournals(stateDir);
    expect(journals).toHaveLength(9);
    for (const journal of journals) expect(journal).toMatchObject({ ended: true, pending: [] });
  });
});
