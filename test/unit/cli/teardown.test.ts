import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { type TargetSource, teardownCommand } from '../../../src/cli/commands/teardown.js';
import { EnvironmentError, UsageError } from '../../../src/common/errors.js';
import type { DeploymentSpec, RollbackOutcome, Target, TargetKind } from '../../../src/targets/target.js';

// The command without an engine: fake targets that hold a set of leftovers, or do not answer.
const directory = mkdtempSync(join(tmpdir(), 'rebound-teardown-unit-'));
let output: string[];

beforeEach(() => {
  output = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (output.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (output.push(String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

function experimentFile(name: string, extra: Record<string, unknown> = {}): string {
  const file = join(directory, `${name}.yaml`);
  writeFileSync(file, stringify({
    apiVersion: 'rebound/v1',
    kind: 'Experiment',
    metadata: { name },
    system: { selector: { app: name } },
    faults: [{ crash: { count: 1 }, at: '1s' }],
    deploy: { image: 'rebound/demo-app:v1', replicas: 2, docker: { hostPort: 18900 }, kubernetes: { nodePort: 30088 } },
    kubernetes: { namespace: `ns-${name}` },
    ...extra,
  }));
  return file;
}

/** A target whose engine holds `left` of the deploy until it is removed. */
function fakeTarget(kind: TargetKind, left: string[], removal: Partial<RollbackOutcome> = {}) {
  const asked: Pick<DeploymentSpec, 'name' | 'namespace'>[] = [];
  const target = {
    kind,
    findDeployment: async (spec: Pick<DeploymentSpec, 'name' | 'namespace'>) => (asked.push(spec), { found: [...left], lookedFor: `thing labelled rebound.dev/deploy=${spec.name}` }),
    removeDeployment: async () => {
      const outcome = { ok: true, action: `removed ${left.join(', ')}`, ...removal };
      if (outcome.ok) left.splice(0);
      return outcome;
    },
  } as unknown as Target;
  return { target, asked };
}

function targets(available: Partial<Record<TargetKind, Target>>): TargetSource & { requested: TargetKind[] } {
  const requested: TargetKind[] = [];
  return {
    requested,
    get: async (kind: TargetKind) => {
      requested.push(kind);
      const target = available[kind];
      if (target === undefined) throw new EnvironmentError(`the ${kind} engine does not answer`, { hint: `start ${kind}` });
      return target;
    },
    close: async () => undefined,
  };
}

describe('rebound teardown', () => {
  it('removes the deploy on every reachable target, skips the others saying why; a second call finds nothing', async () => {
    const file = experimentFile('both');
    const docker = fakeTarget('docker', ['both-0', 'both-1']);
    const source = targets({ docker: docker.target });
    expect(await teardownCommand({ files: [file] }, { targets: source })).toBe(0);
    expect(output.join('')).toBe([
      'docker: removed both-0, both-1',
      'kubernetes: skipped, the kubernetes engine does not answer',
      '  start kubernetes',
      '',
    ].join('\n'));
    expect(docker.asked).toEqual([expect.objectContaining({ name: 'both' })]);

    output = [];
    expect(await teardownCommand({ files: [file] }, { targets: source })).toBe(0);
    expect(output[0]).toBe('docker: nothing to remove (no thing labelled rebound.dev/deploy=both)\n');
  });

  it('looks where the deploy went: the experiment\'s namespace on Kubernetes', async () => {
    const file = experimentFile('namespaced');
    const kubernetes = fakeTarget('kubernetes', ['Service namespaced', 'Deployment namespaced', 'namespace ns-namespaced']);
    expect(await teardownCommand({ files: [file], target: 'kubernetes' }, { targets: targets({ kubernetes: kubernetes.target }) })).toBe(0);
    expect(kubernetes.asked).toEqual([expect.objectContaining({ name: 'namespaced', namespace: 'ns-namespaced' })]);
    expect(output.join('')).toBe('kubernetes: removed Service namespaced, Deployment namespaced, namespace ns-namespaced\n');
  });

  it('only the experiment\'s targets: the others are said to be skipped, and not asked', async () => {
    const file = experimentFile('docker-only', { targets: ['docker'] });
    const source = targets({ docker: fakeTarget('docker', []).target });
    expect(await teardownCommand({ files: [file] }, { targets: source })).toBe(0);
    expect(source.requested).toEqual(['docker']);
    expect(output.join('')).toBe([
      "kubernetes: skipped, not one of the experiment's targets (targets: docker)",
      'docker: nothing to remove (no thing labelled rebound.dev/deploy=docker-only)',
      '',
    ].join('\n'));
  });

  it('runs the teardown commands for the target from the file\'s folder, also when nothing is deployed', async () => {
    const marker = `process.env.REBOUND_TARGET + '-' + process.env.REBOUND_EXPERIMENT`;
    const file = experimentFile('commands', { teardown: [{ run: [process.execPath, '-e', `require('fs').writeFileSync(${marker}, '')`], target: 'docker' }] });
    expect(await teardownCommand({ files: [file], target: 'docker' }, { targets: targets({ docker: fakeTarget('docker', []).target }) })).toBe(0);
    expect(output[1]).toMatch(/^docker: ran .* -e /);
    expect(existsSync(join(directory, 'docker-commands'))).toBe(true);
  });

  it('exit 4 when a removal or a teardown command fails, saying what', async () => {
    const file = experimentFile('broken', { teardown: [{ run: ['rebound-no-such-program'] }] });
    const docker = fakeTarget('docker', ['broken-0'], { ok: false, action: 'remove broken-0', error: 'device busy' });
    expect(await teardownCommand({ files: [file], target: 'docker' }, { targets: targets({ docker: docker.target }) })).toBe(4);
    expect(output.join('')).toBe([
      'docker: FAILED: remove broken-0 (device busy)',
      'docker: teardown command FAILED: rebound-no-such-program: rebound-no-such-program not found',
      'rebound: teardown of ' + file + ' left something behind (FAILED above); fix the cause and run it again',
      '',
    ].join('\n'));
  });

  it('exit 3 when the named target, or every target, does not answer', async () => {
    const file = experimentFile('unreachable');
    await expect(teardownCommand({ files: [file], target: 'kubernetes' }, { targets: targets({}) })).rejects.toThrow(EnvironmentError);
    await expect(teardownCommand({ files: [file] }, { targets: targets({}) })).rejects.toThrow(/nothing was torn down: no engine answered \(docker, kubernetes\)/);
  });

  it('an experiment that deploys nothing and has no teardown: nothing to remove, no engine asked', async () => {
    const file = experimentFile('bring-your-own', { deploy: undefined });
    const source = targets({});
    expect(await teardownCommand({ files: [file] }, { targets: source })).toBe(0);
    expect(source.requested).toEqual([]);
    expect(output.join('')).toMatch(/^nothing to remove: .*bring-your-own\.yaml has no deploy: section and no teardown: commands\n$/);
  });

  it('bad input: the same errors as run (exit 2)', async () => {
    await expect(teardownCommand({ files: [join(directory, 'missing.yaml')] }, { targets: targets({}) })).rejects.toThrow(UsageError);
    const invalid = join(directory, 'invalid.yaml');
    writeFileSync(invalid, 'apiVersion: rebound/v1\nkind: Experiment\n');
    await expect(teardownCommand({ files: [invalid] }, { targets: targets({}) })).rejects.toMatchObject({ exitCode: 2 });
  });

  it('several files (or a directory): each experiment torn down, one line prefix per experiment, an unreachable engine asked once', async () => {
    const first = experimentFile('first', {});
    const second = experimentFile('second', {});
    const source = targets({ docker: fakeTarget('docker', []).target });
    expect(await teardownCommand({ files: [first, second] }, { targets: source })).toBe(0);
    expect(source.requested.filter((kind) => kind === 'kubernetes')).toHaveLength(1);
    const text = output.join('');
    expect(text).toMatch(/^first: docker: /m);
    expect(text).toMatch(/^second: docker: /m);
    expect(text).toMatch(/^second: kubernetes: skipped, its engine did not answer \(above\)$/m);
  });
});
