import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../../src/common/errors.js';
import { writeReport } from '../../../src/reporters/write-report.js';

describe('writeReport', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'rebound-write-report-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('creates missing directories and writes the file', async () => {
    const file = join(directory, 'out', 'nested', 'junit.xml');
    await writeReport('<testsuites/>\n', file);
    expect(await readFile(file, 'utf8')).toBe('<testsuites/>\n');
  });

  it('writes to stdout when no file is given', async () => {
    const stdout = new PassThrough();
    await writeReport('report text', undefined, stdout);
    expect(stdout.read()?.toString()).toBe('report text');
  });

  it('says which path it could not write, as an environment error', async () => {
    const blocker = join(directory, 'a-file');
    await writeFile(blocker, '');
    const failure = writeReport('x', join(blocker, 'report.json'));
    await expect(failure).rejects.toThrow(EnvironmentError);
    await expect(failure).rejects.toThrow(`cannot write the report to ${join(blocker, 'report.json')}`);
  });
});
