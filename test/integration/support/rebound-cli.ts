import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { stringify } from 'yaml';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const REBOUND_BIN = join(ROOT, 'bin/rebound.js');

/** A scratch directory for experiment files and reports of one test. */
export function scratchDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'rebound-test-'));
}

/** Writes an experiment object as YAML and returns its path. */
export function writeExperiment(directory: string, name: string, experiment: Record<string, unknown>): string {
  const file = join(directory, `${name}.yaml`);
  writeFileSync(file, stringify(experiment));
  return file;
}

/**
 * Runs the real CLI as a separate process (signals, exit codes and stdout are the real ones).
 * `script`: a wrapper that imports bin/rebound.js itself (e.g. after dropping privileges).
 */
export function rebound(args: string[], options: { env?: Record<string, string>; script?: string } = {}): ResultPromise<{ reject: false; all: true }> {
  return execa(process.execPath, [options.script ?? REBOUND_BIN, ...args], {
    reject: false,
    all: true,
    cwd: ROOT,
    env: { NO_COLOR: '1', ...options.env },
    timeout: 240_000,
  }) as ResultPromise<{ reject: false; all: true }>;
}
