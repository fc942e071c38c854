import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { combineScripts, driverCommand } from '../../../../src/targets/fault-tools/index.js';

describe('helper scripts', () => {
  it('builds the driver command line', () => {
    expect(driverCommand({ apply: 'a', remove: 'r' }, { durationMs: 1500 })).toEqual(['rebound-fault', '--duration', '1.500', '--apply', 'a', '--remove', 'r']);
    expect(driverCommand({ apply: 'a', remove: 'r', serve: { command: 's', ready: 'q' }, drain: 'd' }, { durationMs: 30_000, armMs: 250 }, { appliedFile: '/run/x' })).toEqual([
      'rebound-fault', '--duration', '30.000', '--apply', 'a', '--remove', 'r', '--arm', '0.250', '--serve', 's', '--ready', 'q', '--drain', 'd', '--applied-file', '/run/x',
    ]);
  });

  it('applies combined scripts in order, stops at the first failure, removes in reverse and tries every remove', () => {
    const combined = combineScripts({ apply: 'echo a1', remove: 'echo r1' }, { apply: 'echo a2; false', remove: 'echo r2; false' }, { apply: 'echo a3', remove: 'echo r3' });
    const apply = spawnSync('bash', ['-c', combined.apply], { encoding: 'utf8' });
    expect(apply.stdout).toBe('a1\na2\n');
    expect(apply.status).toBe(1);
    const remove = spawnSync('bash', ['-c', combined.remove], { encoding: 'utf8' });
    expect(remove.stdout).toBe('r3\nr2\nr1\n');
    expect(remove.status).toBe(1);
  });

  it('refuses two long-running processes in one helper', () => {
    const served = { apply: 'true', remove: 'true', serve: { command: 'sleep 1', ready: 'true' } };
    expect(() => combineScripts(served, served)).toThrow(/at most one/);
  });
});
