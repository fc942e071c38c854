import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BatchV1Api } from '@kubernetes/client-node';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import type { RunReport } from '../../../src/run/run-result.js';
import { kindClusterWanted, kubeconfigPath, kubeContext, waitFor } from './support/kind-cluster.js';
import { ensureReboundImage } from './support/rebound-image.js';
import { useSharedClusterWithDemoWorkload } from './support/use-shared-cluster.js';

// rebound as a Job (experiments/kubernetes/manifests/rebound-job.yaml): the documented manifest,
// applied as a user would (only its namespace and the experiment's selector changed to the test's
// workload), runs `rebound run` inside the kind cluster with a namespace Role and no node access,
// deletes a pod, and writes its report to the pod's log.
const wanted = kindClusterWanted('the rebound-as-a-Job test');
const cluster = useSharedClusterWithDemoWorkload();
const MANIFEST = fileURLToPath(new URL('../../../experiments/kubernetes/manifests/rebound-job.yaml', import.meta.url));

/** The manifest's documents for the test's namespace and workload, as YAML for kubectl apply. */
function manifestFor(namespace: string, selector: Record<string, string>, image: string): string {
  const text = readFileSync(MANIFEST, 'utf8').replaceAll('rebound-demo', namespace);
  const docs = parseAllDocuments(text).map((doc) => doc.toJS() as Record<string, any>);
  for (const doc of docs) {
    if (doc.kind === 'ConfigMap') {
      const experiment = parse(doc.data['experiment.yaml']);
      experiment.system.selector = selector;
      doc.data['experiment.yaml'] = stringify(experiment);
    }
    if (doc.kind === 'Job') doc.spec.template.spec.containers[0].image = image;
  }
  return docs.map((doc) => stringify(doc)).join('---\n');
}

const kubectl = (args: string[], input?: string) =>
  execa(process.env.REBOUND_KUBECTL_BIN ?? 'kubectl', ['--kubeconfig', kubeconfigPath!, '--context', kubeContext!, ...args], { ...(input !== undefined && { input }) });

describe.runIf(wanted)('rebound as a Job inside the cluster', () => {
  let image: string;
  beforeAll(async () => {
    image = await ensureReboundImage();
  });

  it('runs a Docker-free experiment (kill a pod) with a namespace Role and reports to its log', async () => {
    const started = performance.now();
    const { namespace, labels } = cluster.workload;
    await kubectl(['apply', '-f', '-'], manifestFor(namespace, labels, image));
    const batch = cluster.clients.config.makeApiClient(BatchV1Api);
    const done = await waitFor('the rebound Job to finish', 120_000, async () => {
      const job = await batch.readNamespacedJob({ name: 'rebound-kill-a-pod', namespace });
      return job.status?.succeeded || job.status?.failed ? job.status : undefined;
    });
    const logs = (await kubectl(['-n', namespace, 'logs', 'job/rebound-kill-a-pod'])).stdout;
    console.info(`rebound as a Job: ${((performance.now() - started) / 1000).toFixed(1)} s from apply to its report`);
    expect(done.succeeded, logs).toBe(1);
    const report = JSON.parse(logs.slice(logs.indexOf('{'))) as RunReport;
    const run = report.runs[0]!;
    expect(run.outcome).toBe('passed');
    expect(run.target).toBe('kubernetes');
    expect(run.plan.targetDescription).toMatch(/context inClusterContext/);
    expect(run.verdicts.map((verdict) => [verdict.name, verdict.passed])).toEqual([
      ['recoveryTime', true],
      ['replicas', true],
    ]);
    expect(run.timeline.some((entry) => entry.kind === 'fault-injected' && entry.data.name === 'kill')).toBe(true);
    // No ClusterRole: it said so and went on.
    const notes = run.timeline.flatMap((entry) => (entry.kind === 'note' ? [entry.data.text] : []));
    expect(notes.some((text) => /nodes are not observed/.test(text)), notes.join('\n')).toBe(true);
    await kubectl(['-n', namespace, 'delete', 'job/rebound-kill-a-pod', '--wait=true', '--cascade=foreground']);
  });
});
