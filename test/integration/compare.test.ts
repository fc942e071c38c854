import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { CompareReport } from '../../src/compare/compare-report.js';
import { dockerAvailable } from './support/engines.js';
import { rebound, scratchDirectory, writeExperiment } from './support/rebound-cli.js';
import { kindClusterWanted, kubeClients, kubeconfigPath, kubeContext } from './kubernetes/support/kind-cluster.js';
import { useSharedCluster } from './kubernetes/support/use-shared-cluster.js';

// `rebound compare` end to end on both real targets: the experiment deploys its own system on
// Docker and on the kind cluster, 2 iterations each, and the report holds statistics and a claim.
const wanted = kindClusterWanted('the compare test') && (await dockerAvailable());
useSharedCluster();

describe.runIf(wanted)('rebound compare on Docker and Kubernetes', () => {
  it('deploys the same system on both, crashes one instance twice on each, and confirms the claim with statistics', async () => {
    const directory = scratchDirectory();
    const suffix = Math.random().toString(16).slice(2, 8);
    const file = writeExperiment(directory, 'crash', {
      apiVersion: 'rebound/v1',
      kind: 'Experiment',
      metadata: { name: `compare-${suffix}` },
      claim: { text: 'Docker without a restart policy leaves a crashed container down; Kubernetes restarts it', expect: { docker: 'fail', kubernetes: 'pass' } },
      deploy: { image: 'rebound/demo-app:v1', replicas: 2, restartPolicy: 'no', docker: { hostPort: 18191 }, kubernetes: { nodePort: 30086 } },
      kubernetes: { namespace: `rebound-compare-${suffix}` },
      system: { selector: { app: `compare-${suffix}` } },
      probe: { rate: '50/s', timeout: '1s' },
      duration: '10s',
      faults: [{ crash: { count: 1, pick: 'oldest' }, at: '2s' }],
      assertions: [{ recoveryTime: { max: '6s' } }],
    });
    const json = join(directory, 'compare.json');
    const markdown = join(directory, 'compare.md');
    const result = await rebound([
      'compare', file, '--targets', 'docker,kubernetes', '--iterations', '2',
      '--kubeconfig', kubeconfigPath!, '--context', kubeContext!,
      '--reporter', 'console', '--reporter', `json=${json}`, '--reporter', `markdown=${markdown}`, '--state-dir', join(directory, 'state'),
    ]);
    expect(result.exitCode, result.all).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as CompareReport;
    expect(report.runs.map((run) => [run.target, run.iteration])).toEqual([['docker', 1], ['docker', 2], ['kubernetes', 1], ['kubernetes', 2]]);
    const [comparison] = report.comparisons;
    expect(comparison!.claim).toMatchObject({ status: 'confirmed' });
    const docker = comparison!.sides.find((side) => side.target === 'docker')!;
    const kubernetes = comparison!.sides.find((side) => side.target === 'kubernetes')!;
    // Docker never recovered: counted, not averaged in. Kubernetes recovered both times.
    expect(docker.measures.recoveryMs).toMatchObject({ n: 0, notRecovered: 2, median: null });
    expect(kubernetes.measures.recoveryMs).toMatchObject({ n: 2, notRecovered: 0 });
    const { median, ci95, min, max } = kubernetes.measures.recoveryMs;
    expect(median).toBeGreaterThan(0);
    expect(ci95![0]).toBeGreaterThanOrEqual(min!);
    expect(ci95![1]).toBeLessThanOrEqual(max!);
    expect(docker.notes.join('\n')).toMatch(/deployed 2 containers .* restart no, 127\.0\.0\.1:18191-18192/);
    expect(kubernetes.notes.join('\n')).toMatch(/NodePort 30086/);
    expect(report.timing.totalMs).toBeGreaterThan(report.timing.observingMs);
    expect(readFileSync(markdown, 'utf8')).toMatch(/\| 1 \| Docker without a restart policy[^|]*\| ✅ \| CONFIRMED \| recovery time \| not recovered 2\/2 \| \d[^|]* s[^|]* \|/);
    expect(result.stdout).toMatch(/CONFIRMED/);
    // Torn down on both targets: nothing of the experiment is left.
    const containers = await new Docker().listContainers({ all: true, filters: { label: [`rebound.dev/deploy=compare-${suffix}`] } });
    expect(containers).toEqual([]);
    const namespace = (await kubeClients().core.listNamespace()).items.find((item) => item.metadata?.name === `rebound-compare-${suffix}`);
    expect(namespace === undefined || namespace.status?.phase === 'Terminating', `namespace left ${namespace?.status?.phase}`).toBe(true);
  });
});
