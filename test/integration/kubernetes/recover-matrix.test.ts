import { join } from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { NETNS_INVENTORY_SCRIPT, parseNetnsInventory, reboundLeftovers } from '../../../src/targets/fault-tools/index.js';
import { KindNodes } from '../../../src/targets/kubernetes/kind/index.js';
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
const cluster = useSharedClusterWithDemoWorkload();
const docker = new Docker();
const kube = () => ['--kubeconfig', kubeconfigPath!, '--context', kubeContext!];

interface Case {
  fault: Record<string, unknown>;
  /** What the killed run left, checked before recover (so the test proves recover did the work). */
  broken?: (worker: string) => Promise<boolean>;
  /** What recover must have brought back, beyond 3 ready pods. */
  restored?: (worker: string) => Promise<boolean>;
  /** recover's line for it. */
  says: (worker: string) => RegExp;
}

const containerState = async (node: string) => (await docker.getContainer(node).inspect()).State;
const schedulable = async (node: string) => !(await cluster.clients.core.readNode({ name: node })).spec?.unschedulable;
const kindNodes = new KindNodes();
const podRulesLeft = async () => (await podNetworkLeftovers(cluster.workload, kindNodes)).length > 0;
const nodeRulesLeft = async (node: string) => reboundLeftovers(parseNetnsInventory((await kindNodes.execScript(await kindNodes.require(node, 'the recover matrix'), NETNS_INVENTORY_SCRIPT)).stdout)).length > 0;
const replicas = async () => (await cluster.clients.apps.readNamespacedDeployment({ name: cluster.workload.deployment, namespace: cluster.workload.namespace })).spec?.replicas;

const cases: Record<string, Case> = {
  kill: { fault: { kill: { count: 1 } }, says: () => /undone: nothing to undo \(the controller replaces deleted pods\); \d matching pods ready now/ },
  crash: { fault: { crash: { count: 1 } }, says: () => /undone: nothing to undo \(the kubelet restarts crashed containers\): .* restartCount \d+ → \d+/ },
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
  it.each(Object.entries(cases))('%s: undone from the journal, back as it was; recover twice changes nothing', async (name, { fault, broken, restored, says }) => {
    const [busiest] = await workersByLoad(cluster.clients, cluster.workload.namespace);
    const directory = scratchDirectory();
    const state = join(directory, 'state');
    const slug = name.replace(/\W+/g, '-').replace(/-$/, '');
    const file = writeExperiment(directory, slug, {
      apiVersion: 'rebound/v1',
      kind: 'Experiment',
      metadata: { name: `recover-${slug}` },
      target: 'kubernetes',
      kubernetes: { context: kubeContext, namespace: cluster.workload.namespace },
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
