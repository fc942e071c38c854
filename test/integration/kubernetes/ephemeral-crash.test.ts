import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PatchStrategy, RbacAuthorizationV1Api, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { EnvironmentError } from '../../../src/common/errors.js';
import type { RunReport, RunResult } from '../../../src/run/run-result.js';
import { createKubernetesTarget } from '../../../src/targets/kubernetes/index.js';
import type { Selector } from '../../../src/targets/target.js';
import { entriesOf } from '../../../src/timeline/timeline.js';
import { injectionRun, plannedFault } from '../support/inject-fault.js';
import { rebound, scratchDirectory, writeExperiment } from '../support/rebound-cli.js';
import { DEMO_IMAGE, TEST_LABEL } from './support/demo-workload.js';
import { kindClusterWanted, kubeconfigPath, kubeContext, waitFor } from './support/kind-cluster.js';
import { useSharedClusterWithDemoWorkload } from './support/use-shared-cluster.js';

// crash without node access, through an ephemeral container in the target's PID namespace, on the
// kind cluster (forced with kubernetes.instanceFaults / --instance-faults: kind has node access).
const wanted = kindClusterWanted('crash through ephemeral containers');
const cluster = useSharedClusterWithDemoWorkload();
const directory = scratchDirectory();
const kube = () => ['--kubeconfig', kubeconfigPath!, '--context', kubeContext!];

function experiment(name: string, body: Record<string, unknown>, kubernetes: Record<string, unknown> = {}): string {
  return writeExperiment(directory, name, {
    apiVersion: 'rebound/v1',
    kind: 'Experiment',
    metadata: { name },
    target: 'kubernetes',
    kubernetes: { context: kubeContext, namespace: cluster.workload.namespace, ...kubernetes },
    system: { selector: cluster.workload.labels, url: { kubernetes: cluster.workload.url } },
    ...body,
  });
}

async function runCrash(name: string, options: { kubernetes?: Record<string, unknown>; args?: string[] }): Promise<{ exitCode: number; all: string; run: RunResult }> {
  const file = experiment(
    name,
    {
      probe: { rate: '100/s', timeout: '1s' },
      duration: '18s',
      faults: [{ crash: { count: 1 }, at: '4s' }],
      assertions: [{ recoveryTime: { max: '20s' } }, { replicas: { ready: '>= 3', within: '20s' } }, { traffic: { successRate: '>= 97%' } }],
    },
    options.kubernetes,
  );
  const report = join(directory, `${name}.json`);
  const result = await rebound(['run', file, ...kube(), '--reporter', 'console', '--reporter', `json=${report}`, '--state-dir', join(directory, 'state'), ...(options.args ?? [])]);
  return { exitCode: result.exitCode ?? -1, all: result.all ?? '', run: (JSON.parse(readFileSync(report, 'utf8')) as RunReport).runs[0]! };
}

const ephemeralNames = (pod: V1Pod) => (pod.spec?.ephemeralContainers ?? []).map((container) => container.name);
const readyPods = async () => (await cluster.workload.pods()).filter((pod) => !pod.metadata?.deletionTimestamp && pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));

function crashOf(run: RunResult) {
  const injected = entriesOf(run.timeline, 'fault-injected')[0]!;
  const victim = injected.data.subjects[0]!;
  const events = entriesOf(run.timeline, 'instance-event').filter((entry) => entry.subject === victim);
  return {
    victim,
    note: injected.data.note,
    exitCode: events.find((entry) => entry.data.action === 'die')?.data.exitCode,
    restartCount: events.find((entry) => entry.data.action === 'restart')?.data.restartCount,
    verdicts: run.verdicts.map((verdict) => [verdict.name, verdict.passed]),
    recoveryMs: run.verdicts.find((verdict) => verdict.name === 'recoveryTime')?.measured,
    injectionMs: injected.t - (injected.data.startedAt ?? injected.t),
  };
}

describe.runIf(wanted)('crash through an ephemeral container (kind, forced)', () => {
  it('gives the same verdicts as the node route: restartCount + 1, recovered; the helper stays in the pod spec', async () => {
    const viaNode = await runCrash('crash-node', { kubernetes: { instanceFaults: 'node' } });
    expect(viaNode.exitCode, viaNode.all).toBe(0);
    const node = crashOf(viaNode.run);
    // A second crash of the same container would wait out the kubelet's back-off (10 s): start from fresh pods.
    await cluster.clients.core.deleteNamespacedPod({ name: node.victim, namespace: cluster.workload.namespace, gracePeriodSeconds: 0 });
    await waitFor('3 ready demo pods, none restarted', 90_000, async () => {
      const pods = await readyPods();
      return pods.length === 3 && pods.every((pod) => pod.status?.containerStatuses?.[0]?.restartCount === 0) ? true : undefined;
    });

    const viaHelper = await runCrash('crash-ephemeral', { args: ['--instance-faults', 'ephemeral'] });
    expect(viaHelper.exitCode, viaHelper.all).toBe(0);
    const helper = crashOf(viaHelper.run);
    console.log(`crash: node route recovery ${node.recoveryMs} ms (injection ${node.injectionMs} ms), ephemeral route recovery ${helper.recoveryMs} ms (injection ${helper.injectionMs} ms)`);

    expect(helper.verdicts).toEqual(node.verdicts);
    expect(helper.verdicts.every(([, passed]) => passed)).toBe(true);
    expect([node.restartCount, helper.restartCount]).toEqual([1, 1]);
    // SIGKILL through the node; SIGQUIT from inside the namespace, which the Go runtime ends with exit 2.
    expect(node.exitCode).toBe(137);
    expect(helper.exitCode).toBe(2);
    expect(node.note).toMatch(/SIGKILL of the main process through the kind node/);
    expect(helper.note).toMatch(/crash through ephemeral container rebound-crash-[0-9a-f]{8} \(kubernetes.instanceFaults: ephemeral\): SIGQUIT to demo-app, PID 1/);

    const pod = await cluster.clients.core.readNamespacedPod({ name: helper.victim, namespace: cluster.workload.namespace });
    const [name] = ephemeralNames(pod);
    expect(name).toMatch(/^rebound-crash-/);
    const status = pod.status?.ephemeralContainerStatuses?.find((candidate) => candidate.name === name);
    // Killed by the kernel with the rest of the namespace when PID 1 ended; never started again.
    expect(status?.state?.terminated?.exitCode).toBe(137);
    expect(status?.state?.terminated?.message).toMatch(/^rebound-crash: signalled signal=SIGQUIT pid=1 comm=demo-app/);
    expect(pod.status?.containerStatuses?.[0]?.state?.running).toBeDefined();
    const rollback = viaHelper.run.rollbacks[0]!;
    expect(rollback.action).toMatch(new RegExp(`restartCount 0 → 1, ephemeral container ${name} ended, exit 137, kept in the pod's spec until the pod is deleted`));
  });

  it('SIGKILLs the process when the pod shares its PID namespace; refuses (exit 3) a PID 1 that handles no signal', async () => {
    const namespace = cluster.workload.namespace;
    const pods = [
      { name: 'shared-pid', shareProcessNamespace: true, containers: [{ name: 'app', image: DEMO_IMAGE, imagePullPolicy: 'Never' }] },
      { name: 'no-handler', shareProcessNamespace: false, containers: [{ name: 'app', image: 'rebound/fault-tools:v1', imagePullPolicy: 'Never', command: ['sleep', '600'] }] },
    ];
    for (const { name, ...spec } of pods) await cluster.clients.core.createNamespacedPod({ namespace, body: { metadata: { name, labels: { app: 'ephemeral-test' } }, spec: { terminationGracePeriodSeconds: 0, ...spec } } });
    const target = await createKubernetesTarget({ kubeconfig: kubeconfigPath!, context: kubeContext!, instanceFaults: 'ephemeral' });
    try {
      for (const { name } of pods) {
        await waitFor(`pod ${name} running`, 60_000, async () => ((await cluster.clients.core.readNamespacedPod({ name, namespace })).status?.containerStatuses?.[0]?.state?.running ? true : undefined));
      }
      const selector: Selector = { labels: { app: 'ephemeral-test' }, namespace };
      const crash = (subject: string) => plannedFault('crash', {}, [subject]);
      const run = injectionRun(selector);

      const shared = await target.inject(crash('shared-pid'), run);
      expect(shared.note).toMatch(/SIGKILL of demo-app \(PID \d+: the pod shares one PID namespace/);
      const restarted = await waitFor('shared-pid restarted', 30_000, async () => {
        const status = (await cluster.clients.core.readNamespacedPod({ name: 'shared-pid', namespace })).status?.containerStatuses?.[0];
        return status?.restartCount === 1 ? status : undefined;
      });
      expect(restarted.lastState?.terminated?.exitCode).toBe(137);

      const refused = await target.inject(crash('no-handler'), run).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(EnvironmentError);
      expect((refused as EnvironmentError).exitCode).toBe(3);
      expect((refused as Error).message).toMatch(/PID 1 of its PID namespace \(sleep\) and handles neither SIGQUIT nor SIGABRT .* stays in pod no-handler's spec/);
      const after = await cluster.clients.core.readNamespacedPod({ name: 'no-handler', namespace });
      expect(after.status?.containerStatuses?.[0]?.restartCount).toBe(0);
    } finally {
      await target.close();
      for (const { name } of pods) await cluster.clients.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
    }
  });

  it('works under PodSecurity "restricted" when the pod names its user: the helper runs as that user with no capability', async () => {
    const namespace = `rebound-restricted-${randomBytes(4).toString('hex')}`;
    await cluster.clients.core.createNamespace({ body: { metadata: { name: namespace, labels: { [TEST_LABEL]: 'kubernetes-target', 'pod-security.kubernetes.io/enforce': 'restricted' } } } });
    const target = await createKubernetesTarget({ kubeconfig: kubeconfigPath!, context: kubeContext!, instanceFaults: 'ephemeral' });
    try {
      await cluster.clients.core.createNamespacedPod({
        namespace,
        body: {
          metadata: { name: 'strict' },
          spec: {
            terminationGracePeriodSeconds: 0,
            securityContext: { runAsUser: 65532, runAsGroup: 65532, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{ name: 'app', image: DEMO_IMAGE, imagePullPolicy: 'Never', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
          },
        },
      });
      await waitFor('pod strict running', 60_000, async () => ((await cluster.clients.core.readNamespacedPod({ name: 'strict', namespace })).status?.containerStatuses?.[0]?.state?.running ? true : undefined));
      const handle = await target.inject(plannedFault('crash', {}, ['strict']), injectionRun({ labels: {}, namespace }));
      expect(handle.note).toMatch(/SIGQUIT to demo-app, PID 1 .* exit code 2/);
      const pod = await cluster.clients.core.readNamespacedPod({ name: 'strict', namespace });
      expect(pod.spec?.ephemeralContainers?.[0]?.securityContext).toMatchObject({ runAsUser: 65532, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      expect(pod.spec?.ephemeralContainers?.[0]?.securityContext?.capabilities?.add).toBeUndefined();
    } finally {
      await target.close();
      await cluster.clients.core.deleteNamespace({ name: namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
    }
  });

  it('is refused before the pod is touched: PodSecurity "restricted" (rebound run exits 3), RBAC without pods/ephemeralcontainers', async () => {
    const namespace = cluster.workload.namespace;
    const before = new Map((await cluster.workload.pods()).map((pod) => [pod.metadata!.name!, ephemeralNames(pod)]));
    const label = (value: string | null) =>
      cluster.clients.core.patchNamespace({ name: namespace, body: { metadata: { labels: { 'pod-security.kubernetes.io/enforce': value } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await label('restricted');
    try {
      const file = experiment('crash-restricted', { probe: { rate: '5/s' }, duration: '8s', faults: [{ crash: { count: 1 }, at: '1s' }] }, { instanceFaults: 'ephemeral' });
      const result = await rebound(['run', file, ...kube(), '--state-dir', join(directory, 'state')]);
      expect(result.exitCode, result.all).toBe(3);
      expect(result.all).toMatch(/PodSecurity admission refuses the crash helper .* violates PodSecurity "restricted:latest"/);
      expect(result.all, 'a located error, not a stack trace').not.toMatch(/\n\s+at /);
    } finally {
      await label(null);
    }

    // A ServiceAccount that may read pods but not add ephemeral containers to them.
    const rbac = cluster.clients.config.makeApiClient(RbacAuthorizationV1Api);
    await cluster.clients.core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'no-debug' } } });
    await rbac.createNamespacedRole({ namespace, body: { metadata: { name: 'no-debug' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }] } });
    await rbac.createNamespacedRoleBinding({ namespace, body: { metadata: { name: 'no-debug' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'no-debug' }, subjects: [{ kind: 'ServiceAccount', name: 'no-debug', namespace }] } });
    const token = await cluster.clients.core.createNamespacedServiceAccountToken({ name: 'no-debug', namespace, body: { spec: { expirationSeconds: 600 } } });
    const kubeCluster = cluster.clients.config.getCurrentCluster()!;
    const config = join(directory, 'no-debug.kubeconfig');
    writeFileSync(
      config,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'kind', cluster: { server: kubeCluster.server, 'certificate-authority-data': readCaData(kubeCluster) } }],
        users: [{ name: 'no-debug', user: { token: token.status!.token } }],
        contexts: [{ name: kubeContext, context: { cluster: 'kind', user: 'no-debug', namespace } }],
        'current-context': kubeContext,
      }),
    );
    const target = await createKubernetesTarget({ kubeconfig: config, context: kubeContext!, instanceFaults: 'ephemeral' });
    try {
      const victim = [...before.keys()][0]!;
      const error = await target.inject(plannedFault('crash', {}, [victim]), injectionRun({ labels: {}, namespace })).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(EnvironmentError);
      expect((error as Error).message).toMatch(/may not add ephemeral containers in namespace .* cannot patch resource "pods\/ephemeralcontainers"/);
    } finally {
      await target.close();
    }
    // Nothing was added to any pod by either refusal.
    const after = new Map((await cluster.workload.pods()).map((pod) => [pod.metadata!.name!, ephemeralNames(pod)]));
    expect(after).toEqual(before);
  });
});

/** The CA of the test kubeconfig's cluster, as base64 data (kind writes it inline). */
function readCaData(kubeCluster: { caData?: string; caFile?: string }): string {
  if (kubeCluster.caData) return kubeCluster.caData;
  return Buffer.from(readFileSync(kubeCluster.caFile!)).toString('base64');
}
