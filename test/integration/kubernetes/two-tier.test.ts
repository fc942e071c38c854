import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { answerOrigins } from '../../../src/assertions/answer-origins.js';
import type { RunReport } from '../../../src/run/run-result.js';
import { entriesOf } from '../../../src/timeline/timeline.js';
import { DEMO_IMAGE } from './support/demo-workload.js';
import { rebound, scratchDirectory } from '../support/rebound-cli.js';
import { kindClusterWanted, kubeconfigPath, kubeContext } from './support/kind-cluster.js';
import { useSharedCluster } from './support/use-shared-cluster.js';

// The two-tier experiment's Kubernetes side, end to end: the shipped manifests (two Deployments,
// two Services) applied and deleted by the experiment's own kubectl setup/teardown, the api found
// through CoreDNS, one api pod crashed, traffic measured at web, and every answer saying whether
// web and api ran on different nodes. The copy runs in a namespace of its own.
const wanted = kindClusterWanted('the two-tier Kubernetes test');
const cluster = useSharedCluster();
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const namespace = `rebound-test-two-tier-${randomBytes(3).toString('hex')}`;

function twoTierCopy(): string {
  const directory = scratchDirectory();
  cpSync(join(ROOT, 'experiments/compare/two-tier'), join(directory, 'two-tier'), { recursive: true });
  const manifests = join(directory, 'two-tier/kubernetes.yaml');
  writeFileSync(manifests, readFileSync(manifests, 'utf8').replaceAll('rebound/demo-app:v1', DEMO_IMAGE).replaceAll('rebound-compare-8', namespace));
  const experiment = parse(readFileSync(join(ROOT, 'experiments/compare/8-two-tier.yaml'), 'utf8')) as Record<string, any>;
  for (const command of [...experiment.setup, ...experiment.teardown]) command.run = command.run.map((arg: string) => (arg === 'rebound-compare-8' ? namespace : arg));
  experiment.kubernetes.namespace = namespace;
  const file = join(directory, '8-two-tier.yaml');
  writeFileSync(file, stringify(experiment));
  return file;
}

const namespaceExists = () => cluster.clients.core.readNamespace({ name: namespace }).then(() => true, () => false);

describe.runIf(wanted)('the two-tier app on the kind cluster', () => {
  it('kubectl setup applies two Deployments and Services, one api pod crashes (twice: 2 iterations), web answers across nodes, teardown deletes it all', async () => {
    const file = twoTierCopy();
    const report = join(dirname(file), 'r.json');
    // A KUBECONFIG that names no cluster: the setup's kubectl must use the one rebound was given.
    const kubectlDirectory = process.env.REBOUND_KUBECTL_BIN ? dirname(process.env.REBOUND_KUBECTL_BIN) : undefined;
    const result = await rebound(['run', file, '--target', 'kubernetes', '--iterations', '2', '--kubeconfig', kubeconfigPath!, '--context', kubeContext!, '--reporter', 'console', '--reporter', `json=${report}`, '--state-dir', join(dirname(file), 'state')], {
      env: { KUBECONFIG: '/nonexistent/kubeconfig', ...(kubectlDirectory && { PATH: `${kubectlDirectory}:${process.env.PATH}` }) },
    });
    expect(result.exitCode, result.all).toBe(0);
    const runs = (JSON.parse(readFileSync(report, 'utf8')) as RunReport).runs;
    // The second iteration crashes the same (oldest) pod's successor, not a pod under the
    // kubelet's crash back-off: the restarted pod was replaced before it.
    expect(runs.map((run) => run.outcome)).toEqual(['passed', 'passed']);
    expect(runs[1]!.plan.faults[0]!.subjects).not.toEqual(runs[0]!.plan.faults[0]!.subjects);
    const run = runs[0]!;
    expect(run.plan.instances.map((instance) => instance.name).every((name) => name.startsWith('api-'))).toBe(true);
    expect(run.plan.instances).toHaveLength(3);
    expect(new Set(run.plan.instances.map((instance) => instance.host)).size, 'api pods spread over both workers').toBe(2);
    const answered = entriesOf(run.timeline, 'request').filter((request) => request.data.ok);
    expect(answered.length).toBeGreaterThan(200);
    expect(answered.every((request) => request.data.crossedNodes !== undefined && request.data.version === 'v1')).toBe(true);
    // Two web and three api pods over two workers, a new connection per probe request: some
    // answers stay on a node, some cross (about half each).
    const crossing = answerOrigins(run.timeline).crossedNodes!;
    expect(crossing.crossed).toBeGreaterThan(0);
    expect(crossing.same).toBeGreaterThan(0);
    expect(result.stdout).toMatch(/answers that crossed nodes during chaos \(web and api on different nodes\): \d+ of \d+ \(\d+\.\d %\)/);
    expect(await namespaceExists(), 'the teardown deleted the namespace').toBe(false);
  });
});
