import { join } from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { NETNS_INVENTORY_SCRIPT, parseNetnsInventory, reboundLeftovers } from '../../../src/targets/fault-tools/index.js';
import { KindNodes, nodeLeftoverList, nodeLeftovers } from '../../../src/targets/kubernetes/kind/index.js';
import { killRunDuringFault } from '../support/kill-during-fault.js';
import { rebound, scratchDirectory, writeExperiment } from '../support/rebound-cli.js';
import { kindClusterWanted, kubeconfigPath, kubeContext, waitFor } from './support/kind-cluster.js';
import { podNetworkLeftovers } from './support/pod-network-leftovers.js';
import { useSharedClusterWithDemoWorkload } from './support/use-shared-cluster.js';
import { waitForHealthyNodes, workersByLoad } from './support/workers.js';

// Every Kubernetes fault with something to undo (or to check), undone by `rebound recover` alone:
// the run is killed with -9 while the fault is in effect, recover reads the journal, and the
// cluster is back as it was (node schedulable, node container running and Ready, replica count
// restored, 3 pods ready); a second recover changes nothing.
const wanted = kindClusterWanted('the Kubernetes recover matrix');
// Guaranteed pods (requests = limits): the resource faults need limits to stress against and squeeze.
const cluster = useSharedClusterWithDemoWorkload({ resources: { cpu: '200m', memory: '64Mi' } });
const kindNodes = new KindNodes();
const docker = new Docker();
const kube = () => ['--kubeconfig', kubeconfigPath!, '--context', kubeContext!];

interface Case {
  fault: Record<string, unknown>;
  /** Beside context and namespace in the experiment's `kubernetes`. */
  kubernetes?: Record<string, unknown>;
  /** What the killed run left, checked before recover (so the test proves recover did the work). */
  broken?: (worker: string) => Promise<boolean>;
  /** What recover must have brought back (or stopped), beyond 3 ready pods. */
  restored?: (worker: string) => Promise<boolean>;
  /** recover's line for it. */
  says: (worker: string) => RegExp;
}

const containerState = async (node: string) => (await docker.getContainer(node).inspect()).State;
const schedulable = async (node: string) => !(await cluster.clients.core.readNode({ name: node })).spec?.unschedulable;
const deployment = () => cluster.clients.apps.readNamespacedDeployment({ name: cluster.workload.deployment, namespace: cluster.workload.namespace });
const replicas = async () => (await deployment()).spec?.replicas;
/** The VERSION in the Deployment's pod template (undefined: the image's default, v1), and whether rebound's rollout annotations are on it. */
const release = async () => {
  const current = await deployment();
  const version = current.spec?.template.spec?.containers[0]?.env?.find((variable) => variable.name === 'VERSION')?.value;
  return { version, annotated: Object.keys(current.metadata?.annotations ?? {}).some((key) => key.startsWith('rebound.dev/')) };
};

/** rebound's helper units (and their processes) still in the workers. */
const helperUnits = async () => {
  const found: string[] = [];
  for (const worker of await workerNames()) found.push(...nodeLeftoverList(await nodeLeftovers(kindNodes, await kindNodes.require(worker, 'the test'))));
  return found;
};
const workerNames = async () => (await cluster.clients.core.listNode()).items.map((node) => node.metadata!.name!).filter((name) => name.includes('worker'));
const limits = async () => (await cluster.workload.pods()).filter((pod) => !pod.metadata?.deletionTimestamp).map((pod) => JSON.stringify(pod.spec!.containers[0]!.resources?.limits));
const podRulesLeft = async () => (await podNetworkLeftovers(cluster.workload, kindNodes)).length > 0;
const nodeRulesLeft = async (node: string) => reboundLeftovers(parseNetnsInventory((await kindNodes.execScript(await kindNodes.require(node, 'the recover matrix'), NETNS_INVENTORY_SCRIPT)).stdout)).length > 0;

const cases: Record<string, Case> = {
  kill: { fault: { kill: { count: 1 } }, says: () => /undone: nothing to undo \(the controller replaces deleted pods\); \d matching pods ready now/ },
  crash: { fault: { crash: { count: 1 } }, says: () => /undone: nothing to undo \(the kubelet restarts crashed containers\): .* restartCount \d+ → \d+/ },
  // The helper cannot be removed: recover says where it is and that it has ended.
  'crash (ephemeral container)': {
    fault: { crash: { count: 1 } },
    kubernetes: { instanceFaults: 'ephemeral' },
    broken: async () => (await cluster.workload.pods()).some((pod) => (pod.spec?.ephemeralContainers ?? []).some((container) => container.name.startsWith('rebound-crash-'))),
    says: () => /undone: nothing to undo \(the kubelet restarts crashed containers\): .* restartCount \d+ → \d+, ephemeral container rebound-crash-[0-9a-f]{8} ended, exit 137, kept in the pod's spec until the pod is deleted/,
  },
  'drain-node': {
    fault: { 'drain-node': { timeout: '45s' } },
    broken: async (worker) => !(await schedulable(worker)),
    restored: schedulable,
    says: (worker) => new RegExp(`undone: uncordoned ${worker}`),
  },
  'fail-node (stop)': {
    fault: { 'fail-node': { mode: 'stop' } },
    broken: async (worker) => !(await containerState(worker)).Running,
    restored: async (worker) => (await containerState(worker)).Running,
    says: (worker) => new RegExp(`undone: started node ${worker}; Ready again after`),
  },
  'fail-node (pause)': {
    fault: { 'fail-node': { mode: 'pause' } },
    broken: async (worker) => (await containerState(worker)).Paused,
    restored: async (worker) => !(await containerState(worker)).Paused,
    says: (worker) => new RegExp(`undone: unpaused node ${worker}; Ready again after`),
  },
  // The stress units would end at their deadline (60 s) by themselves: recover stops them now.
  'cpu-stress': {
    fault: { 'cpu-stress': { count: 1, workers: 2, duration: '60s' } },
    broken: async () => (await helperUnits()).length > 0,
    restored: async () => (await helperUnits()).length === 0,
    says: () => /undone: stopped helper unit rb[0-9a-f]+ for \S+ in rebound-worker2? \(its stress ended with it\)/,
  },
  'memory-stress': {
    fault: { 'memory-stress': { count: 1, size: '50%', duration: '60s' } },
    broken: async () => (await helperUnits()).length > 0,
    restored: async () => (await helperUnits()).length === 0,
    says: () => /undone: stopped helper unit rb[0-9a-f]+ for \S+ in rebound-worker2? \(its stress ended with it\)/,
  },
  oom: { fault: { oom: { count: 1 } }, says: () => /undone: nothing to undo \(the kubelet restarts an OOM-killed container\): \S+ restartCount \d+ → \d+/ },
  squeeze: {
    fault: { squeeze: { count: 1, cpu: '100m', memory: '48Mi' } },
    broken: async () => (await limits()).includes(JSON.stringify({ cpu: '100m', memory: '48Mi' })),
    restored: async () => (await limits()).every((limit) => limit === JSON.stringify({ cpu: '200m', memory: '64Mi' })),
    says: () => /undone: resized \S+ back to the recorded requests and limits \(applied to the running container\)/,
    },
  // Killed while the Deployment rolls the new release: recover puts the previous pod template back.
  rollout: {
    fault: { rollout: { to: { env: { VERSION: 'v2' } } } },
    broken: async () => (await release()).version === 'v2',
    restored: async () => {
      const { version, annotated } = await release();
      // recover waits until the rollout back completed: every live pod runs the previous template.
      const live = (await cluster.workload.pods()).filter((pod) => !pod.metadata?.deletionTimestamp);
      const previous = live.every((pod) => !pod.spec?.containers[0]?.env?.some((variable) => variable.name === 'VERSION'));
      return version === undefined && !annotated && live.length === 3 && previous;
    },
    says: () => /undone: Deployment demo rolled back to the previous pod template \(that of revision \d+\); every pod of it available .* after the rollback began/,
  },
  scale: {
    fault: { scale: { replicas: 1 } },
    broken: async () => (await replicas()) === 1,
    restored: async () => (await replicas()) === 3,
    says: () => /undone: scaled Deployment\/demo back to 3/,
  },
  // The network faults end by themselves at their deadline (60 s here); recover ends them at once.
  'network-delay': {
    fault: { 'network-delay': { delay: '100ms', count: 1, duration: '60s' } },
    broken: podRulesLeft,
    restored: async () => !(await podRulesLeft()),
    says: () => /undone: pod \S+: removed \(unit rebound-helper-/,
  },
  'partition-node': {
    fault: { 'partition-node': { duration: '60s' } },
    broken: nodeRulesLeft,
    restored: async (worker) => !(await nodeRulesLeft(worker)),
    says: (worker) => new RegExp(`undone: removed ${worker}'s partition; Ready`),
  },
};

describe.runIf(wanted)('rebound recover after kill -9: every Kubernetes fault kind', () => {
  it.each(Object.entries(cases))('%s: undone from the journal, back as it was; recover twice changes nothing', async (name, { fault, kubernetes, broken, restored, says }) => {
    const [busiest] = await workersByLoad(cluster.clients, cluster.workload.namespace);
    const directory = scratchDirectory();
    const state = join(directory, 'state');
    const slug = name.replace(/\W+/g, '-').replace(/-$/, '');
    const file = writeExperiment(directory, slug, {
      apiVersion: 'rebound/v1',
      kind: 'Experiment',
      metadata: { name: `recover-${slug}` },
      target: 'kubernetes',
      kubernetes: { context: kubeContext, namespace: cluster.workload.namespace, ...kubernetes },
      system: { selector: cluster.workload.labels, url: { kubernetes: cluster.workload.url } },
      probe: { rate: '5/s' },
      duration: '90s',
      faults: [{ ...fault, at: '500ms' }],
    });
    await killRunDuringFault(['run', file, '--target', 'kubernetes', '--state-dir', state, ...kube()], state);
    if (broken) expect(await broken(busiest), `what the killed run left on ${busiest}`).toBe(true);

    const first = await rebound(['recover', '--all', '--state-dir', state, ...kube()]);
    expect(first.exitCode, first.all).toBe(0);
    expect(first.stdout).toMatch(says(busiest));
    if (restored) expect(await restored(busiest)).toBe(true);
    await waitForHealthyNodes(cluster.clients);
    await waitFor('3 ready demo pods again', 120_000, async () => {
      const pods = (await cluster.workload.pods()).filter((pod) => !pod.metadata?.deletionTimestamp);
      return pods.length === 3 && pods.every((pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) ? true : undefined;
    });

    const second = await rebound(['recover', '--all', '--state-dir', state, ...kube()]);
    expect(second.exitCode, second.all).toBe(0);
    expect(second.stdout).toMatch(/nothing to recover/);
    if (restored) expect(await restored(busiest)).toBe(true);
  });
});
