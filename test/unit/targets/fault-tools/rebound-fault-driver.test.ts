import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { driverCommand, type HelperScript, type HelperTiming } from '../../../../src/targets/fault-tools/index.js';

// The driver is plain bash: these tests run it on this machine, with scripts that write to a file
// instead of touching a network. The integration tests run it in real namespaces.
const DRIVER = new URL('../../../../scripts/kind/fault-tools/rebound-fault', import.meta.url).pathname;

let dir = '';
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  dir = '';
});

function run(script: HelperScript, timing: HelperTiming, options: { appliedFile?: string } = {}) {
  dir ||= mkdtempSync(join(tmpdir(), 'rebound-driver-'));
  const child = spawn('bash', [DRIVER, ...driverCommand(script, timing, options).slice(1)], { cwd: dir });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<{ code: number | null; lines: string[]; ms: number }>((resolve) => {
    const start = performance.now();
    child.on('exit', (code) => resolve({ code, lines: stdout.split('\n').filter((line) => line.startsWith('rebound-fault ')), ms: performance.now() - start }));
  });
  const seen = async (line: string) => {
    while (!stdout.includes(line)) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  return { child, exited, seen };
}

const log = () => readFileSync(join(dir, 'log'), 'utf8').split('\n').filter(Boolean);

describe('the rebound-fault driver', () => {
  it('applies, keeps the fault for its duration, removes it and exits 0', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rebound-driver-'));
    const { exited } = run({ apply: 'echo apply >> log', remove: 'echo remove >> log' }, { durationMs: 300 }, { appliedFile: join(dir, 'applied') });
    const result = await exited;
    expect(result.code).toBe(0);
    expect(result.lines).toEqual(['rebound-fault applied', 'rebound-fault removed']);
    expect(result.ms).toBeGreaterThanOrEqual(290);
    expect(log()).toEqual(['apply', 'remove']);
    expect(existsSync(join(dir, 'applied'))).toBe(true);
  });

  it('removes at once on SIGTERM', async () => {
    const { child, exited, seen } = run({ apply: 'echo apply >> log', remove: 'echo remove >> log' }, { durationMs: 30_000 });
    await seen('rebound-fault applied');
    child.kill('SIGTERM');
    const result = await exited;
    expect(result.code).toBe(0);
    expect(result.ms).toBeLessThan(5000);
    expect(log()).toEqual(['apply', 'remove']);
  });

  it('runs remove after a failed apply and exits 2', async () => {
    const { exited } = run({ apply: 'echo apply >> log; exit 1', remove: 'echo remove >> log' }, { durationMs: 30_000 });
    const result = await exited;
    expect(result.code).toBe(2);
    expect(result.lines).toEqual(['rebound-fault failed: --apply exited non-zero', 'rebound-fault removed']);
    expect(log()).toEqual(['apply', 'remove']);
  });

  it('armed: applies on SIGUSR1, or expires without touching anything', async () => {
    const fired = run({ apply: 'echo apply >> log', remove: 'echo remove >> log' }, { durationMs: 100, armMs: 30_000 });
    await fired.seen('rebound-fault armed');
    fired.child.kill('SIGUSR1');
    expect((await fired.exited).lines).toEqual(['rebound-fault armed', 'rebound-fault applied', 'rebound-fault removed']);
    expect(log()).toEqual(['apply', 'remove']);

    const expired = run({ apply: 'echo apply2 >> log', remove: 'echo remove2 >> log' }, { durationMs: 100, armMs: 200 });
    const result = await expired.exited;
    expect(result.code).toBe(3);
    expect(result.lines).toEqual(['rebound-fault armed', 'rebound-fault expired']);
    expect(log()).toEqual(['apply', 'remove']);
  });

  it('serves a process for the fault, drains it, and stops it before removing', async () => {
    const { exited } = run(
      { apply: 'echo apply >> log', remove: 'echo remove >> log', serve: { command: 'sleep 30', ready: 'test -e log || touch ready-polled; true' }, drain: 'echo drain >> log' },
      { durationMs: 200 },
    );
    const result = await exited;
    expect(result.code).toBe(0);
    expect(log()).toEqual(['apply', 'drain', 'remove']);
  });

  it('ends the fault early when the served process exits', async () => {
    const { exited } = run({ apply: 'echo apply >> log', remove: 'echo remove >> log', serve: { command: 'sleep 0.3', ready: 'true' } }, { durationMs: 30_000 });
    const result = await exited;
    expect(result.ms).toBeLessThan(5000);
    expect(log()).toEqual(['apply', 'remove']);
  });
});
