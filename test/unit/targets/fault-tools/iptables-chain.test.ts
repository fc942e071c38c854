import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainName, iptablesChain, iptablesChainSteps } from '../../../../src/targets/fault-tools/index.js';

// The scripts run under bash with iptables and iptables-save replaced by functions that log their
// arguments: this checks the script's own logic (removal by name, the regex boundary); the
// integration tests run the same scripts against real namespaces.
function runWithFakeIptables(script: string, saved: string): { calls: string[]; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'rebound-unit-iptables-'));
  writeFileSync(join(dir, 'saved'), saved);
  const fake = `iptables() { echo "iptables $*" >> "$DIR/log"; case "$*" in *" -S "*) return 1 ;; esac; }\niptables-save() { cat "$DIR/saved"; }\n`;
  const result = spawnSync('bash', ['-c', `${fake}${script}`], { encoding: 'utf8', env: { ...process.env, DIR: dir } });
  const calls = readFileSync(join(dir, 'log'), 'utf8').split('\n').filter(Boolean);
  rmSync(dir, { recursive: true, force: true });
  return { calls, status: result.status };
}

describe('iptables chain', () => {
  it('names chains REBOUND-<id> and refuses ids iptables cannot take', () => {
    expect(chainName('rb0123456789')).toBe('REBOUND-rb0123456789');
    expect(() => chainName('x'.repeat(21))).toThrow(/1-20/);
    expect(() => chainName('Bad id')).toThrow();
  });

  it('creates the chain, fills it, and jumps to it first from each built-in chain', () => {
    const script = iptablesChain({ id: 'loss1', from: ['INPUT', 'OUTPUT'], rules: [['-p', 'tcp', '--dport', '8080', '-m', 'statistic', '--mode', 'random', '--probability', '0.3', '-j', 'DROP']], exemptLoopback: true });
    const { calls, status } = runWithFakeIptables(script.apply, '');
    expect(status).toBe(0);
    expect(calls).toEqual([
      'iptables -w -t filter -N REBOUND-loss1',
      'iptables -w -t filter -A REBOUND-loss1 -i lo -j RETURN',
      'iptables -w -t filter -A REBOUND-loss1 -o lo -j RETURN',
      'iptables -w -t filter -A REBOUND-loss1 -p tcp --dport 8080 -m statistic --mode random --probability 0.3 -j DROP',
      'iptables -w -t filter -I INPUT 1 -j REBOUND-loss1',
      'iptables -w -t filter -I OUTPUT 1 -j REBOUND-loss1',
    ]);
  });

  it('removes every jump to the chain by name, and only to that chain', () => {
    const saved = [
      '*nat',
      ':PREROUTING ACCEPT [0:0]',
      ':REBOUND-px - [0:0]',
      ':REBOUND-px2 - [0:0]',
      '-A PREROUTING -j REBOUND-px',
      '-A PREROUTING -p tcp -m tcp --dport 80 -j REBOUND-px',
      '-A PREROUTING -j REBOUND-px2',
      '-A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT',
      'COMMIT',
    ].join('\n');
    const script = iptablesChain({ id: 'px', table: 'nat', from: ['PREROUTING'], rules: [] });
    const { calls, status } = runWithFakeIptables(script.remove, saved);
    expect(status).toBe(0);
    expect(calls).toEqual([
      'iptables -w -t nat -D PREROUTING -j REBOUND-px',
      'iptables -w -t nat -D PREROUTING -p tcp -m tcp --dport 80 -j REBOUND-px',
      'iptables -w -t nat -F REBOUND-px',
      'iptables -w -t nat -X REBOUND-px',
      'iptables -w -t nat -S REBOUND-px',
    ]);
  });
});

describe('iptablesChainSteps', () => {
  it('is apply in two steps: the chain and its rules, then the jumps that put them in effect', () => {
    const chain = { id: 'st1', from: ['INPUT', 'OUTPUT'] as const, rules: [['-p', 'tcp', '--dport', '8080', '-j', 'DROP']], exemptLoopback: true };
    const steps = iptablesChainSteps({ ...chain, from: [...chain.from] });
    expect(steps.jumps).toEqual(['iptables -w -t filter -I INPUT 1 -j REBOUND-st1', 'iptables -w -t filter -I OUTPUT 1 -j REBOUND-st1']);
    expect(steps.create.every((line) => !line.includes(' -I '))).toBe(true);
    const whole = iptablesChain({ ...chain, from: [...chain.from] });
    expect(['set -e', ...steps.create, ...steps.jumps].join('\n')).toBe(whole.apply);
    expect(steps.remove).toBe(whole.remove);
  });
});
