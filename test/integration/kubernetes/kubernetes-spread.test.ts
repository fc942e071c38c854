import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/run/run-result.js';
import { createKubernetesTarget } from '../../../src/targets/kubernetes/index.js';
import type { DeploymentSpec } from '../../../src/targets/target.js';
import { podsOnNode } from '../../../src/timeline/pods-on-node.js';
import { entriesOf } from '../../../src/timeline/timeline.js';
import { rebound, scratchDirectory, writeExperiment } from '../support/rebound-cli.js';
import { DEMO_IMAGE, TEST_LABEL } from './support/demo-workload.js';
import { kindClusterWanted, kubeconfigPath, kubeContext, waitFor } from './support/kind-cluster.js';
import { useSharedCluster } from './support/use-shared-cluster.js';
import { restoreWorkers } from './support/workers.js';

// Spread replicas (topologySpreadConstraints maxSkew 1 over kubernetes.io/hostname, DoNotSchedule,
// taints honoured) on the kind cluster: a stopped worker's pods must still be replaced on the other
// worker, the placement at the start is in the timeline, and restore spreads pods again.
const wanted = kindClusterWanted('the Kubernetes spread tests');
const cluster = useSharedCluster();
const directory = scratchDirectory();
const suffix = randomBytes(4).toString('hex');
const namespaces = new Set<string>();

const livePods = async (namespace: string): Promise<V1Pod[]> =>
  (await cluster.clients.core.listNamespacedPod({ namespace })).items.filter((pod) => !pod.metadata?.deletionTimestamp);
const isReady = (pod: V1Pod) => pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false;
const perNode = (pods: readonly V1Pod[]) => {
  const counts: Record<string, number> = {};
  for (const pod of pods) counts[pod.spec?.nodeName ?? '?'] = (counts[pod.spec?.nodeName ?? '?'] ?? 0) + 1;
  return counts;
};

describe.runIf(wanted)('spread replicas on the kind cluster', () => {
  afterAll(async () => {
    // A fail-node that failed half-way must not leave a worker stopped or cordoned for the next file.
    await restoreWorkers(cluster.clients);
    for (const name of namespaces) await cluster.clients.core.deleteNamespace({ name }).catch(() => undefined);
  });

  it('fail-node of the worker holding 2 of 3 spread pods: the third keeps answering, the two are replaced on the other worker', async () => {
    const name = `spread-${suffix}`;
    const namespace = `rebound-spread-${suffix}`;
    namespaces.add(namespace);
    const file = writeExperiment(directory, name, {
      apiVersion: 'rebound/v1',
      kind: 'Experiment',
      metadata: { name },
      target: 'kubernetes',
      kubernetes: { context: kubeContext, namespace },
      deploy: { image: DEMO_IMAGE, replicas: 3, kubernetes: { nodePort: 30085, tolerationSeconds: 0 } },
      system: { selector: { app: name, [TEST_LABEL]: 'kubernetes-spread' } },
      // A new connection per request: kube-proxy picks a pod for each, as for separate clients.
      probe: { rate: '50/s', timeout: '1s', keepAlive: false },
      duration: '60s',
      until: 'recovered',
      faults: [{ 'fail-node': { mode: 'stop', duration: '40s' }, at: '3s' }],
      assertions: [{ replicas: { ready: '>= 3' } }, { recoveryTime: { max: '40s' } }],
    });
    const report = join(directory, `${name}.json`);
    const result = await rebound(['run', file, '--target', 'kubernetes', '--kubeconfig', kubeconfigPath!, '--context', kubeContext!, '--reporter', 'console', '--reporter', `json=${report}`, '--state-dir', join(directory, 'state')]);
    const run = (JSON.parse(readFileSync(report, 'utf8')) as RunReport).runs[0]!;
    const injected = entriesOf(run.timeline, 'fault-injected')[0]!;
    const node = injected.data.subjects[0]!;
    const held = podsOnNode(run.timeline, node);
    const requests = entriesOf(run.timeline, 'request').filter((request) => request.t >= injected.t);
    const failed = requests.filter((request) => !request.data.ok).length;
    const recovery = run.verdicts.find((verdict) => verdict.name === 'recoveryTime');
    const ready = entriesOf(run.timeline, 'replicas').filter((entry) => entry.t > injected.t);
    console.log(
      `spread fail-node: ${node} held ${held?.held} of ${held?.of} pods; ${failed} of ${requests.length} probe requests failed after the stop; ` +
        `min ready ${Math.min(...ready.map((entry) => entry.data.ready))}; recovered ${recovery?.measured} ms after the stop (${recovery?.explanation})`,
    );
    expect(result.exitCode, result.all).toBe(0);
    expect(held).toEqual({ held: 2, of: 3 });
    // The node's two pods left every request to the third only once the node was NotReady (10 s
    // grace): until then kube-proxy still sent 2 of 3 connections to the stopped node.
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(requests.length / 2);
    // Replaced on the other worker while the node was down: 3 ready before the rollback started it again.
    const rollback = entriesOf(run.timeline, 'fault-rolled-back')[0]!;
    expect(ready.some((entry) => entry.data.ready >= 3 && entry.t < rollback.t), 'three ready pods before the node came back').toBe(true);
  });

  it('restore spreads pods again after they all ended up on one worker', async () => {
    const namespace = `rebound-respread-${suffix}`;
    namespaces.add(namespace);
    const spec: DeploymentSpec = {
      name: 'web',
      labels: { app: 'web', [TEST_LABEL]: 'kubernetes-spread', 'rebound.dev/deploy': 'web', 'rebound.dev/chaos': 'enabled' },
      image: DEMO_IMAGE,
      replicas: 3,
      port: 8080,
      healthPath: '/healthz',
      restartPolicy: 'always',
      env: {},
      nodePort: 30085,
      namespace,
    };
    const target = await createKubernetesTarget({ kubeconfig: kubeconfigPath!, context: kubeContext! });
    const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    let cordoned: string | undefined;
    try {
      const deployed = await target.deploy(spec, { timeoutMs: 120_000 });
      const spread = perNode(await livePods(namespace));
      expect(Object.values(spread).sort()).toEqual([1, 2]);
      // Everything onto one worker, as a node fault leaves it: cordon the other, delete its pods, uncordon.
      cordoned = Object.entries(spread).find(([, count]) => count === 1)![0];
      await cluster.clients.core.patchNode({ name: cordoned, body: { spec: { unschedulable: true } } }, merge);
      for (const pod of (await livePods(namespace)).filter((candidate) => candidate.spec?.nodeName === cordoned)) {
        await cluster.clients.core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace, gracePeriodSeconds: 0 });
      }
      await waitFor('3 ready pods on one worker', 60_000, async () => {
        const pods = await livePods(namespace);
        return pods.length === 3 && pods.every(isReady) && Object.keys(perNode(pods)).length === 1 ? pods : undefined;
      });
      await cluster.clients.core.patchNode({ name: cordoned, body: { spec: { unschedulable: false } } }, merge);
      cordoned = undefined;
      const started = performance.now();
      await deployed.restore({ timeoutMs: 60_000 });
      console.log(`restore that spreads 3 pods from one worker to 2/1: ${Math.round(performance.now() - started)} ms`);
      const after = await livePods(namespace);
      expect(after.filter(isReady)).toHaveLength(3);
      expect(Object.values(perNode(after)).sort()).toEqual([1, 2]);
      await deployed.teardown();
    } finally {
      if (cordoned) await cluster.clients.core.patchNode({ name: cordoned, body: { spec: { unschedulable: false } } }, merge);
      await target.close();
    }
  });
});
