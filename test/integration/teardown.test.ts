import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentSpecOf } from '../../src/plan/deployment-spec.js';
import { loadExperiment } from '../../src/experiments/load-experiment.js';
import { createKubernetesTarget } from '../../src/targets/kubernetes/index.js';
import type { DeploymentSpec, Target } from '../../src/targets/target.js';
import { lockCluster } from './kubernetes/support/cluster-lock.js';
import { kindClusterWanted, kubeClients, kubeconfigPath, kubeContext } from './kubernetes/support/kind-cluster.js';
import { DEMO_IMAGE } from './support/demo-containers.js';
import { dockerAvailable } from './support/engines.js';
import { rebound, scratchDirectory, writeExperiment } from './support/rebound-cli.js';

// `rebound teardown <file>` against the real engines: it removes what the experiment's deploy left
// (a run killed with -9 never tears down), only that, runs the teardown commands, and a second call
// finds nothing. Ports of its own: Docker 18900-18901, NodePort 30088.
const docker = new Docker();
const dockerUp = await dockerAvailable();
const clusterWanted = kindClusterWanted('the Kubernetes teardown test');
const suffix = () => randomBytes(4).toString('hex');
/** Writes a marker named after the target into the experiment's folder: the teardown command ran there. */
const MARKER_COMMAND = [process.execPath, '-e', "require('fs').writeFileSync('torn-down-' + process.env.REBOUND_TARGET, '')"];

function deployingExperiment(directory: string, name: string, extra: Record<string, unknown> = {}): string {
  return writeExperiment(directory, name, {
    apiVersion: 'rebound/v1',
    kind: 'Experiment',
    metadata: { name },
    system: { selector: { app: name } },
    probe: { rate: '10/s' },
    duration: '60s',
    faults: [{ crash: { count: 1 }, at: '50s' }],
    deploy: { image: DEMO_IMAGE, replicas: 2, docker: { hostPort: 18900 }, kubernetes: { nodePort: 30088, minAvailable: 0 } },
    teardown: [{ run: MARKER_COMMAND }],
    ...extra,
  });
}

const deployedNames = async (name: string) =>
  (await docker.listContainers({ all: true, filters: { label: [`rebound.dev/deploy=${name}`] } })).map((container) => container.Names[0]!.replace(/^\//, '')).sort();

describe('rebound teardown: bad input (exit 2, as for run)', () => {
  it('an unknown file, an invalid experiment and an unknown --target are usage errors', async () => {
    const directory = scratchDirectory();
    const missing = await rebound(['teardown', join(directory, 'missing.yaml')]);
    expect(missing.exitCode, missing.all).toBe(2);
    expect(missing.stderr).toMatch(/cannot read experiment file .*missing\.yaml: ENOENT/);

    const invalid = join(directory, 'invalid.yaml');
    writeFileSync(invalid, 'apiVersion: rebound/v1\nkind: Experiment\nmetadata: { name: x }\nsystem: {}\nfaults: [{ crsh: {} }]\n');
    const located = await rebound(['teardown', invalid]);
    expect(located.exitCode, located.all).toBe(2);
    expect(located.stderr).toMatch(/invalid\.yaml:5:\d+ faults\[0\]/);

    const target = await rebound(['teardown', invalid, '--target', 'nowhere']);
    expect(target.exitCode, target.all).toBe(2);
    expect(target.stderr).toMatch(/Invalid values:\s+Argument: target, Given: "nowhere", Choices: "docker", "kubernetes"/);
  });
});

describe.runIf(dockerUp)('rebound teardown on Docker, after a run killed with -9', () => {
  const name = `teardown-d-${suffix()}`;
  const foreign = [`${name}-foreign`, `${name}-other-deploy`];

  afterAll(async () => {
    for (const container of [...(await deployedNames(name)), ...foreign]) await docker.getContainer(container).remove({ force: true }).catch(() => undefined);
  });

  it('recover names the deploy left behind; teardown removes it and only it, runs the teardown command; a second teardown finds nothing', async () => {
    const directory = scratchDirectory();
    const state = join(directory, 'state');
    const file = deployingExperiment(directory, name);
    // Look-alikes the deploy did not create: the experiment's selector and opt-in label, another deploy's label.
    await docker.createContainer({ name: foreign[0], Image: DEMO_IMAGE, Labels: { app: name, 'rebound.dev/chaos': 'enabled' } });
    await docker.createContainer({ name: foreign[1], Image: DEMO_IMAGE, Labels: { app: name, 'rebound.dev/deploy': `${name}-x` } });

    const started = performance.now();
    const child = rebound(['run', file, '--target', 'docker', '--state-dir', state]);
    await waitForRunStarted(state, 45_000);
    child.kill('SIGKILL');
    await child;
    console.log(`deploy + steady state until kill -9: ${Math.round(performance.now() - started)} ms`);
    expect(await deployedNames(name), 'a killed run leaves its deploy').toEqual([`${name}-0`, `${name}-1`]);
    expect(existsSync(join(directory, 'torn-down-docker'))).toBe(false);

    const recovered = await rebound(['recover', '--state-dir', state]);
    expect(recovered.exitCode, recovered.all).toBe(0);
    expect(recovered.stdout).toContain(`the deploy of ${name} is still on docker`);
    expect(recovered.stdout).toContain(`${name}-0, ${name}-1; rebound teardown ${file} --target docker removes it`);

    const first = performance.now();
    const torn = await rebound(['teardown', file, '--target', 'docker']);
    console.log(`teardown (2 containers + 1 command): ${Math.round(performance.now() - first)} ms`);
    expect(torn.exitCode, torn.all).toBe(0);
    expect(torn.stdout).toBe(`docker: removed ${name}-0, ${name}-1\ndocker: ran ${MARKER_COMMAND.join(' ')}`);
    expect(await deployedNames(name)).toEqual([]);
    expect(existsSync(join(directory, 'torn-down-docker')), 'the teardown command ran in the file\'s folder').toBe(true);
    for (const container of foreign) expect((await docker.getContainer(container).inspect()).Name).toBe(`/${container}`);

    const second = await rebound(['teardown', file, '--target', 'docker']);
    expect(second.exitCode, second.all).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`^docker: nothing to remove \\(no container labelled rebound\\.dev/deploy=${name}\\)\n`));

    const again = await rebound(['recover', '--state-dir', state]);
    expect(again.exitCode, again.all).toBe(0);
    expect(again.stdout, 'nothing left to name once it is torn down').not.toContain('still on docker');
  });
});

describe.runIf(dockerUp && clusterWanted)('rebound teardown on both targets (Kubernetes deploy)', () => {
  const name = `teardown-k-${suffix()}`;
  const namespace = `rebound-teardown-${suffix()}`;
  let releaseCluster: (() => void) | undefined;
  let target: Target | undefined;
  let spec: DeploymentSpec | undefined;
  let file: string;

  beforeAll(async () => {
    releaseCluster = await lockCluster();
    file = deployingExperiment(scratchDirectory(), name, { kubernetes: { namespace }, teardown: [{ run: MARKER_COMMAND, target: 'kubernetes' }] });
    spec = deploymentSpecOf((await loadExperiment(file)).experiment, 'kubernetes', file);
    target = await createKubernetesTarget({ kubeconfig: kubeconfigPath!, context: kubeContext! });
  });

  afterAll(async () => {
    try {
      if (spec) await target?.removeDeployment(spec);
      await kubeClients().core.deleteNamespace({ name: namespace }).catch(() => undefined);
      await target?.close();
    } finally {
      releaseCluster?.();
    }
  });

  it('without --target: each target the experiment means something on; a second call finds nothing on either', async () => {
    const started = performance.now();
    await target!.deploy(spec!, { timeoutMs: 120_000 });
    console.log(`deploy (2 pods, NodePort, PDB, own namespace): ${Math.round(performance.now() - started)} ms`);

    const first = performance.now();
    const torn = await rebound(['teardown', file, '--kubeconfig', kubeconfigPath!, '--context', kubeContext!]);
    console.log(`teardown on both targets: ${Math.round(performance.now() - first)} ms`);
    expect(torn.exitCode, torn.all).toBe(0);
    expect(torn.stdout.split('\n')).toEqual([
      `docker: nothing to remove (no container labelled rebound.dev/deploy=${name})`,
      `kubernetes: removed Service ${name}, PodDisruptionBudget ${name}, Deployment ${name}, namespace ${namespace}`,
      `kubernetes: ran ${MARKER_COMMAND.join(' ')}`,
    ]);
    const clients = kubeClients();
    await expect(clients.apps.readNamespacedDeployment({ name, namespace })).rejects.toMatchObject({ code: 404 });
    const services = (await clients.core.listServiceForAllNamespaces()).items;
    expect(services.some((service) => service.spec?.ports?.some((port) => port.nodePort === 30088)), 'NodePort 30088 is free again').toBe(false);

    const second = await rebound(['teardown', file, '--kubeconfig', kubeconfigPath!, '--context', kubeContext!]);
    expect(second.exitCode, second.all).toBe(0);
    expect(second.stdout).toContain(`docker: nothing to remove (no container labelled rebound.dev/deploy=${name})`);
    expect(second.stdout).toContain(`kubernetes: nothing to remove (no Deployment, Service, PodDisruptionBudget or HorizontalPodAutoscaler ${name} labelled rebound.dev/deploy=${name} in namespace ${namespace})`);
  });
});

/** Until the killed run's journal says its first iteration started: deployed, steady, planned. */
async function waitForRunStarted(state: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const directory = join(state, 'journal');
  for (;;) {
    const files = existsSync(directory) ? readdirSync(directory) : [];
    if (files.some((name) => readFileSync(join(directory, name), 'utf8').includes('"run-started"'))) return;
    if (performance.now() > deadline) throw new Error(`no run-started line in ${directory} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
