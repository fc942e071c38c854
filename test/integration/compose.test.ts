import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { RunReport } from '../../src/run/run-result.js';
import { DEMO_IMAGE, freeLoopbackPort } from './support/demo-containers.js';
import { dockerAvailable, enginesRequired } from './support/engines.js';
import { rebound, scratchDirectory, writeExperiment } from './support/rebound-cli.js';

// The real Compose binary (scripts/ensure-compose.sh) against the real Docker engine: the
// two-tier experiment's Docker side brought up and down by its own setup/teardown commands, and
// `system.service` scoped by `system.project` when two projects have a service of the same name.
// Every project is uniquely named, and `docker compose down` runs in afterAll for each.
const docker = new Docker();
const available = (await dockerAvailable()) && (await composeAvailable());
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const suffix = randomBytes(4).toString('hex');
const projects: { name: string; file: string }[] = [];

async function composeAvailable(): Promise<boolean> {
  const version = await execa('docker', ['compose', 'version', '--short'], { reject: false });
  if (version.exitCode === 0) return true;
  if (enginesRequired) throw new Error(`docker compose does not answer and engines are required here: ${version.stderr}`);
  console.warn('skipping the Compose tests: `docker compose` is missing; run bash scripts/ensure-compose.sh');
  return false;
}

const compose = (file: string, project: string, ...args: string[]) => execa('docker', ['compose', '-f', file, '-p', project, ...args], { reject: false, all: true });
const containersOf = async (project: string) =>
  (await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } })).map((container) => container.Names[0]!.replace(/^\//, '')).sort();

afterAll(async () => {
  for (const { name, file } of projects) await compose(file, name, 'down', '--timeout', '0');
});

/**
 * The shipped two-tier experiment (experiments/compare/8-two-tier.yaml and its two-tier/ folder),
 * copied to a scratch folder with this run's image, a unique Compose project and a free port.
 */
function twoTierCopy(change: (experiment: Record<string, any>) => void = () => undefined) {
  const directory = scratchDirectory();
  cpSync(join(ROOT, 'experiments/compare/two-tier'), join(directory, 'two-tier'), { recursive: true });
  const project = `rebound-test-${suffix}-${projects.length}`;
  const composeFile = join(directory, 'two-tier/compose.yaml');
  projects.push({ name: project, file: composeFile });
  const experiment = parse(readFileSync(join(ROOT, 'experiments/compare/8-two-tier.yaml'), 'utf8')) as Record<string, any>;
  const swap = (args: string[]) => args.map((arg) => (arg === 'rebound-two-tier' ? project : arg));
  for (const command of [...experiment.setup, ...experiment.teardown]) command.run = swap(command.run);
  experiment.system.project = project;
  change(experiment);
  return { directory, project, composeFile, experiment };
}

describe.runIf(available)('Compose: the two-tier app and project scope (Docker)', () => {
  it('setup brings the two-tier app up with docker compose, the run selects system.service api of that project, teardown removes it', async () => {
    const port = await freeLoopbackPort();
    const { directory, project, composeFile, experiment } = twoTierCopy((experiment) => {
      experiment.system.url = { docker: `http://127.0.0.1:${port}/` };
    });
    writeFileSync(composeFile, readFileSync(composeFile, 'utf8').replaceAll('rebound/demo-app:v1', DEMO_IMAGE).replace('127.0.0.1:18181:8080', `127.0.0.1:${port}:8080`));
    const file = join(directory, '8-two-tier.yaml');
    writeFileSync(file, stringify(experiment));
    const result = await rebound(['run', file, '--target', 'docker', '--reporter', `json=${join(directory, 'r.json')}`, '--state-dir', join(directory, 'state')]);
    expect(result.exitCode, result.all).toBe(0);
    const run = (JSON.parse(readFileSync(join(directory, 'r.json'), 'utf8')) as RunReport).runs[0]!;
    expect(run.plan.instances.map((instance) => instance.name).sort()).toEqual([`${project}-api-1`, `${project}-api-2`, `${project}-api-3`]);
    expect(run.plan.faults[0]!.subjects).toHaveLength(1);
    // Traffic is measured at web: its answers name web's version; web called an api for each.
    const answered = run.timeline.filter((entry) => entry.kind === 'request' && entry.data.ok);
    expect(answered.length).toBeGreaterThan(100);
    expect(answered.every((entry) => entry.kind === 'request' && entry.data.version === 'v1' && entry.data.crossedNodes === undefined)).toBe(true);
    expect(await containersOf(project), 'teardown ran docker compose down').toEqual([]);
  });

  it('tears the app down also when the run fails after compose up (a later setup command fails: exit 3)', async () => {
    const { directory, project, composeFile, experiment } = twoTierCopy((experiment) => {
      experiment.setup.push({ target: 'docker', run: ['false'] });
    });
    const port = await freeLoopbackPort();
    writeFileSync(composeFile, readFileSync(composeFile, 'utf8').replaceAll('rebound/demo-app:v1', DEMO_IMAGE).replace('127.0.0.1:18181:8080', `127.0.0.1:${port}:8080`));
    const file = join(directory, '8-two-tier.yaml');
    writeFileSync(file, stringify(experiment));
    const result = await rebound(['run', file, '--target', 'docker', '--state-dir', join(directory, 'state')]);
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toMatch(/setup command failed: false: exit 1/);
    expect(await containersOf(project), 'the teardown command ran after the failed setup').toEqual([]);
  });

  it('refuses a system.service that two Compose projects have (exit 2, naming both), and scopes it with system.project', async () => {
    const directory = scratchDirectory();
    mkdirSync(join(directory, 'app'));
    const composeFile = join(directory, 'app/compose.yaml');
    writeFileSync(composeFile, stringify({ services: { web: { image: DEMO_IMAGE, pull_policy: 'never', scale: 2, labels: { 'rebound.dev/chaos': 'enabled', 'rebound.dev/test': suffix } } } }));
    const [shop, blog] = [`rebound-test-${suffix}-shop`, `rebound-test-${suffix}-blog`];
    for (const project of [shop, blog]) {
      projects.push({ name: project, file: composeFile });
      const up = await compose(composeFile, project, 'up', '-d', '--wait');
      expect(up.exitCode, up.all).toBe(0);
    }
    const experiment = (system: Record<string, unknown>) => ({
      apiVersion: 'rebound/v1',
      kind: 'Experiment',
      metadata: { name: 'compose-scope' },
      target: 'docker',
      system: { selector: { 'rebound.dev/test': suffix }, service: 'web', ...system },
      duration: '5s',
      faults: [{ crash: { count: 1 }, at: '1s' }],
    });
    const ambiguous = await rebound(['run', writeExperiment(directory, 'ambiguous', experiment({})), '--dry-run']);
    expect(ambiguous.exitCode, ambiguous.all).toBe(2);
    expect(ambiguous.stderr).toContain(`system.service web matches containers of 2 Compose projects (${blog}: ${blog}-web-1, ${blog}-web-2; ${shop}: ${shop}-web-1, ${shop}-web-2): refusing to guess which one is under test`);
    expect(ambiguous.stderr).toContain(`set system.project to one of: ${blog}, ${shop}`);
    expect(ambiguous.stderr).not.toMatch(/\n\s+at /);

    const scoped = await rebound(['run', writeExperiment(directory, 'scoped', experiment({ project: shop })), '--dry-run']);
    expect(scoped.exitCode, scoped.all).toBe(0);
    expect(scoped.stdout).toContain('instances matched: 2');
    expect(scoped.stdout).toContain(`+ ${shop}-web-1`);
    expect(scoped.stdout).not.toContain(blog);
  });
});
