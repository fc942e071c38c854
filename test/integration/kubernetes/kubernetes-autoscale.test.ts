import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutoscalingV2Api } from '@kubernetes/client-node';
import Docker from 'dockerode';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { scaleOutFigures } from '../../../src/assertions/scale-out-figures.js';
import { loadExperiment } from '../../../src/experiments/load-experiment.js';
import { deploymentSpecOf } from '../../../src/plan/deployment-spec.js';
import type { RunReport } from '../../../src/run/run-result.js';
import { createKubernetesTarget } from '../../../src/targets/kubernetes/index.js';
import { entriesOf } from '../../../src/timeline/timeline.js';
import { rebound, scratchDirectory } from '../support/rebound-cli.js';
import { DEMO_IMAGE } from './support/demo-workload.js';
import { kindClusterWanted, kubeconfigPath, kubeContext } from './support/kind-cluster.js';
import { useSharedCluster } from './support/use-shared-cluster.js';

// The shipped experiment experiments/kubernetes/autoscale-under-load.yaml through the real CLI:
// 2 pods of 0.1 CPU, 25 req/s of 10 ms CPU each on top of the probe's 5/s, and the
// HorizontalPodAutoscaler (metrics-server, both as `scripts/kind-cluster.sh up` installs them)
// must scale out. Then what deploy.resources and deploy.autoscale create, and that `rebound
// teardown` finds and removes the autoscaler.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXPERIMENT = join(ROOT, 'experiments/kubernetes/autoscale-under-load.yaml');
/** The load rises at 10 s; the first scale-out decision must come within this (measured: 10-25 s). */
const DECISION_BOUND_MS = 60_000;

const wanted = kindClusterWanted('the Kubernetes autoscaling tests');
const cluster = useSharedCluster();
const directory = scratchDirectory();

/** The shipped experiment, aimed at the test's image and kube context. */
function experimentFile(): string {
  const file = join(directory, 'autoscale-under-load.yaml');
  const text = readFileSync(EXPERIMENT, 'utf8').replace('image: rebound/demo-app:v1', `image: ${DEMO_IMAGE}`).replace('context: kind-rebound', `context: ${kubeContext}`);
  writeFileSync(file, text);
  return file;
}

/**
 * The experiment needs the demo app's /work endpoint: an image built from older sources answers
 * /work like / (no CPU cost) and nothing would scale. The hash is the build script's own (--hash).
 */
async function expectCurrentDemoImage(): Promise<void> {
  const current = (await execa('bash', [join(ROOT, 'scripts/build-demo-image.sh'), '--hash'])).stdout.trim();
  const built = (await new Docker().getImage(DEMO_IMAGE).inspect()).Config.Labels?.['dev.rebound.source-hash'];
  expect(built, `${DEMO_IMAGE} was not built from the current demo-app/ (no /work?): REBOUND_DEMO_IMAGE=${DEMO_IMAGE} bash scripts/build-demo-image.sh, then load it into the kind nodes`).toBe(current);
}

describe.runIf(wanted)('autoscaling on the kind cluster', () => {
  const file = experimentFile();

  afterAll(async () => {
    // Whatever a failed test left: the CLI's own teardown, which only touches what carries the deploy label.
    await rebound(['teardown', file, '--target', 'kubernetes', '--kubeconfig', kubeconfigPath!, '--context', kubeContext!]);
  });

  it('rebound run autoscale-under-load: the autoscaler asks for more than 2 pods within the bound, they get ready, and its entries and timers are in the timeline', async () => {
    await expectCurrentDemoImage();
    const report = join(directory, 'autoscale.json');
    const started = performance.now();
    const result = await rebound(['run', file, '--target', 'kubernetes', '--kubeconfig', kubeconfigPath!, '--context', kubeContext!, '--reporter', 'console', '--reporter', `json=${report}`, '--state-dir', join(directory, 'state')]);
    console.log(`rebound run autoscale-under-load: ${Math.round(performance.now() - started)} ms`);
    const run = (JSON.parse(readFileSync(report, 'utf8')) as RunReport).runs[0]!;
    const autoscaler = entriesOf(run.timeline, 'autoscaler');
    const facts = Object.fromEntries(entriesOf(run.timeline, 'target-fact').map((fact) => [fact.data.key, fact.data.value]));
    const figures = scaleOutFigures(run.timeline);
    console.log('scale-out figures (ms after the load rose):', JSON.stringify(figures));
    console.log('timers in force:', JSON.stringify({ hpaSyncPeriodMs: facts.hpaSyncPeriodMs, hpaDownscaleStabilizationMs: facts.hpaDownscaleStabilizationMs, metricResolutionMs: facts.metricResolutionMs }));
    const lastState = autoscaler.at(-1)?.data;
    expect(result.exitCode, `${result.all}\nlast autoscaler state: ${JSON.stringify(lastState)}`).toBe(0);

    expect(facts).toMatchObject({ hpaSyncPeriodMs: expect.any(Number), hpaDownscaleStabilizationMs: expect.any(Number), metricResolutionMs: expect.any(Number) });
    expect(figures, JSON.stringify(lastState)).toBeDefined();
    expect(figures!.initialDesired).toBe(2);
    expect(figures!.firstDecisionMs, `no scale-out decision; last autoscaler state: ${JSON.stringify(lastState)}`).not.toBeNull();
    expect(figures!.firstDecisionMs!).toBeLessThan(DECISION_BOUND_MS);
    expect(figures!.firstDesired!).toBeGreaterThan(2);
    expect(figures!.firstReadyMs, 'the pods of the first scale-out became ready').not.toBeNull();
    expect(figures!.finalReady!).toBeGreaterThan(2);
    // The autoscaler read CPU figures (metrics-server answered) and said so in its conditions.
    expect(autoscaler.some((entry) => entry.data.conditions.ScalingActive?.status === 'True' && entry.data.cpuPercent !== undefined)).toBe(true);
    expect(autoscaler.some((entry) => entry.data.conditions.AbleToScale?.reason === 'SucceededRescale')).toBe(true);

    // Which node holds which pod at the start: 2 pods, spread over both workers.
    const [placement] = entriesOf(run.timeline, 'placement');
    expect(Object.values(placement!.data.nodes).map((pods) => pods.length)).toEqual([1, 1]);
    expect(Object.keys(placement!.data.nodes).every((node) => node.includes('worker'))).toBe(true);
  });

  it('deploy.resources and deploy.autoscale: pods with requests = limits, a labelled HorizontalPodAutoscaler, restore re-creates it, rebound teardown removes it', async () => {
    const spec = deploymentSpecOf((await loadExperiment(file)).experiment, 'kubernetes', file)!;
    const namespace = spec.namespace!;
    const target = await createKubernetesTarget({ kubeconfig: kubeconfigPath!, context: kubeContext! });
    const autoscaling = cluster.clients.config.makeApiClient(AutoscalingV2Api);
    try {
      // Left behind on purpose, as by a run killed with -9: rebound teardown must find all of it.
      const deployed = await target.deploy(spec, { timeoutMs: 180_000 });
      expect(deployed.description).toMatch(/0\.1 CPU and 64 MiB each \(requests = limits\), spread over the nodes\) .*\+ HorizontalPodAutoscaler 2-6 replicas at 50% of the CPU request in namespace/);
      const pods = (await cluster.clients.core.listNamespacedPod({ namespace, labelSelector: `rebound.dev/deploy=${spec.name}` })).items;
      expect(pods).toHaveLength(2);
      for (const pod of pods) {
        expect(pod.spec?.containers[0]?.resources).toEqual({ requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '100m', memory: '64Mi' } });
        expect(pod.status?.qosClass).toBe('Guaranteed');
      }
      const created = await autoscaling.readNamespacedHorizontalPodAutoscaler({ name: spec.name, namespace });
      expect(created.metadata?.labels?.['rebound.dev/deploy']).toBe(spec.name);
      expect(created.spec).toMatchObject({ minReplicas: 2, maxReplicas: 6, scaleTargetRef: { kind: 'Deployment', name: spec.name } });

      const restoreStarted = performance.now();
      await deployed.restore({ timeoutMs: 60_000 });
      console.log(`restore with an autoscaler (deleted, one sync period, created anew): ${Math.round(performance.now() - restoreStarted)} ms`);
      const recreated = await autoscaling.readNamespacedHorizontalPodAutoscaler({ name: spec.name, namespace });
      expect(recreated.metadata?.uid).not.toBe(created.metadata?.uid);

      const torn = await rebound(['teardown', file, '--target', 'kubernetes', '--kubeconfig', kubeconfigPath!, '--context', kubeContext!]);
      expect(torn.exitCode, torn.all).toBe(0);
      expect(torn.stdout).toContain(`kubernetes: removed HorizontalPodAutoscaler ${spec.name}, Service ${spec.name}, Deployment ${spec.name}, namespace ${namespace}`);
      await expect(autoscaling.readNamespacedHorizontalPodAutoscaler({ name: spec.name, namespace })).rejects.toMatchObject({ code: 404 });
    } finally {
      await target.close();
    }
  });
});
