import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/common/errors.js';
import { experimentFileSize, experimentFiles } from '../../../src/experiments/experiment-files.js';

const root = mkdtempSync(join(tmpdir(), 'rebound-experiment-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const usageErrorOf = (action: () => unknown): UsageError => {
  try {
    action();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
};

describe('experimentFiles', () => {
  it('gives a file as it is and a directory as its *.yaml / *.yml in name order, without subdirectories', () => {
    const suite = join(root, 'suite');
    mkdirSync(join(suite, 'nested'), { recursive: true });
    for (const name of ['b.yaml', 'a.yml', 'c.yaml', 'notes.md', 'nested/d.yaml']) writeFileSync(join(suite, name), '');
    expect(experimentFiles(suite)).toEqual([join(suite, 'a.yml'), join(suite, 'b.yaml'), join(suite, 'c.yaml')]);
    expect(experimentFiles(join(suite, 'b.yaml'))).toEqual([join(suite, 'b.yaml')]);
  });

  it('orders numbered files by number: the compare suite runs 2- before 10-', () => {
    const numbered = join(root, 'numbered');
    mkdirSync(numbered);
    for (const name of ['10-broken.yaml', '2-crash.yaml', '1-crash.yaml', '9-rollout.yaml']) writeFileSync(join(numbered, name), '');
    expect(experimentFiles(numbered)).toEqual(['1-crash.yaml', '2-crash.yaml', '9-rollout.yaml', '10-broken.yaml'].map((name) => join(numbered, name)));
  });

  it('refuses an empty directory, a missing path and a dangling link, naming the path and what to do', () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'README.md'), '');
    const none = usageErrorOf(() => experimentFiles(empty));
    expect(none.message).toBe(`${empty} is a directory without experiment files (*.yaml or *.yml)`);
    expect(none.hint).toMatch(/experiments\/docker/);

    const missing = usageErrorOf(() => experimentFiles(join(root, 'missing')));
    expect(missing.message).toBe(`cannot read experiment file ${join(root, 'missing')}: ENOENT (no such file or directory)`);
    expect(missing.hint).toMatch(/^check the path/);

    const link = join(root, 'dangling.yaml');
    symlinkSync(join(root, 'gone.yaml'), link);
    expect(usageErrorOf(() => experimentFiles(link)).message).toBe(`cannot read experiment file ${link}: ENOENT (a symbolic link to ${join(root, 'gone.yaml')}, which does not exist)`);

    const loop = join(root, 'loop.yaml');
    symlinkSync(loop, loop);
    expect(usageErrorOf(() => experimentFiles(loop)).message).toMatch(/ELOOP \(symbolic links that loop\)$/);
    const throughFile = join(root, 'suite', 'b.yaml', 'x.yaml');
    expect(usageErrorOf(() => experimentFiles(throughFile)).message).toMatch(/ENOTDIR \(a part of the path is a file, not a directory\)$/);
  });
});

describe('experimentFileSize', () => {
  it('refuses what is not a regular file: a FIFO would block the read forever, a directory cannot be read', () => {
    const fifo = join(root, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const pipe = usageErrorOf(() => experimentFileSize(fifo));
    expect(pipe.message).toBe(`cannot read experiment file ${fifo}: it is a FIFO (named pipe), not a regular file`);
    expect(usageErrorOf(() => experimentFileSize(root)).message).toMatch(/it is a directory, not a regular file$/);
    writeFileSync(join(root, 'sized.yaml'), 'kind: Experiment\n');
    expect(experimentFileSize(join(root, 'sized.yaml'))).toBe(17);
  });
});
