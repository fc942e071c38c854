import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { validateCommand } from '../../../src/cli/commands/validate.js';

// `rebound validate` in-process: directories expand to their *.yaml, and a path that cannot be
// read is reported like an invalid file (exit 2), without stopping the files after it.
const root = mkdtempSync(join(tmpdir(), 'rebound-validate-unit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let stdout: string[];
let stderr: string[];

beforeEach(() => {
  stdout = [];
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (stdout.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (stderr.push(String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

describe('rebound validate', () => {
  it('takes a directory: each of its experiment files, in name order', async () => {
    const shipped = readdirSync('experiments/docker').filter((name) => name.endsWith('.yaml')).sort();
    expect(await validateCommand({ files: ['experiments/docker'] })).toBe(0);
    expect(stdout.filter((line) => /: ok \(/.test(line)).map((line) => line.split(':')[0])).toEqual(shipped.map((name) => join('experiments/docker', name)));
    expect(stderr).toEqual([]);
  });

  it('reports every bad path and every bad file, checks the rest, and exits 2', async () => {
    const suite = join(root, 'suite');
    mkdirSync(suite);
    copyFileSync('experiments/docker/crash-with-restart-policy.yaml', join(suite, 'a-good.yaml'));
    writeFileSync(join(suite, 'b-bad.yaml'), 'apiVersion: rebound/v1\nkind: Experiment\nmetadata: { name: x }\nsystem: {}\nfaults: [{ crsh: {} }]\n');
    symlinkSync(join(suite, 'nowhere.yaml'), join(suite, 'c-dangling.yaml'));
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const code = await validateCommand({ files: [join(root, 'missing.yaml'), empty, suite, 'experiments/docker/pause-under-probe.yaml'] });
    expect(code).toBe(2);
    const errors = stderr.join('');
    expect(errors).toContain(`rebound: cannot read experiment file ${join(root, 'missing.yaml')}: ENOENT (no such file or directory)\n  check the path;`);
    expect(errors).toContain(`rebound: ${empty} is a directory without experiment files (*.yaml or *.yml)\n`);
    expect(errors).toMatch(/b-bad\.yaml:5:\d+ faults\[0\]\.crsh: unknown field `crsh`/);
    expect(errors).toContain(`c-dangling.yaml: ENOENT (a symbolic link to ${join(suite, 'nowhere.yaml')}, which does not exist)`);
    expect(errors).not.toMatch(/internal error|\n\s+at /);
    expect(stdout.join('')).toMatch(/a-good\.yaml: ok[^]*pause-under-probe\.yaml: ok/);
  });
});
