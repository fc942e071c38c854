import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { joinCgroupsScript, raiseOomScoreScript, tbfShaping, toxiproxyRedirect } from '../../../../src/targets/fault-tools/index.js';

const bashSyntaxOk = (script: string) => spawnSync('bash', ['-n', '-c', script]).status === 0;

describe('tbf shaping', () => {
  it('adds (never replaces) tbf under rebound\'s handle on egress', () => {
    const script = tbfShaping({ device: 'eth0', direction: 'egress', rate: '1mbit', burst: '32kbit' });
    expect(script.apply).toBe('tc qdisc add dev eth0 root handle 7262: tbf rate 1mbit burst 32kbit latency 400ms');
    expect(script.remove).toContain('tc qdisc del dev eth0 root handle 7262:');
    expect(bashSyntaxOk(script.remove)).toBe(true);
  });

  it('shapes ingress through rebound\'s ifb, and removes the ingress qdisc only when it redirects there', () => {
    const script = tbfShaping({ device: 'eth0', direction: 'ingress', rate: '8mbit', burst: '64kbit', latency: '1s' });
    expect(script.apply.split('\n')).toEqual([
      'set -e',
      'ip link add rebound-ifb type ifb',
      'ip link set rebound-ifb up',
      'tc qdisc add dev rebound-ifb root handle 7262: tbf rate 8mbit burst 64kbit latency 1s',
      'tc qdisc add dev eth0 handle ffff: ingress',
      'tc filter add dev eth0 parent ffff: protocol all u32 match u32 0 0 action mirred egress redirect dev rebound-ifb',
    ]);
    expect(script.remove).toMatch(/grep -q 'Redirect to device rebound-ifb\)'; then tc qdisc del dev eth0 ingress/);
    expect(() => tbfShaping({ device: 'eth0; reboot', direction: 'egress', rate: '1mbit', burst: '1k' })).toThrow(/device name/);
  });
});

describe('Toxiproxy redirect', () => {
  const script = toxiproxyRedirect({ id: 'tx1', port: 8080, proxyPort: 17262, apiPort: 17263, toxics: [{ type: 'latency', attributes: { latency: 100, jitter: 10 } }, { type: 'reset_peer', stream: 'upstream', toxicity: 0.5, attributes: { timeout: 0 } }] });

  it('starts the proxy first, then the toxics, then redirects only new connections', () => {
    expect(script.serve).toEqual({ command: 'env LOG_LEVEL=warn toxiproxy-server -host 127.0.0.1 -port 17263', ready: 'toxiproxy-cli -h 127.0.0.1:17263 list' });
    const lines = script.apply.split('\n');
    expect(lines[1]).toBe('toxiproxy-cli -h 127.0.0.1:17263 create -l 0.0.0.0:17262 -u 127.0.0.1:8080 rebound');
    expect(lines[2]).toBe('toxiproxy-cli -h 127.0.0.1:17263 toxic add -t latency -n rebound-0 -d --tox 1 -a latency=100 -a jitter=10 rebound');
    expect(lines[3]).toBe('toxiproxy-cli -h 127.0.0.1:17263 toxic add -t reset_peer -n rebound-1 -u --tox 0.5 -a timeout=0 rebound');
    expect(script.apply).toContain('iptables -w -t nat -A REBOUND-tx1 -p tcp --syn --dport 8080 -j REDIRECT --to-ports 17262');
    expect(script.apply).toContain('iptables -w -t nat -I PREROUTING 1 -j REBOUND-tx1');
  });

  it('splits for an armed helper: proxy, toxics and the REDIRECT chain while arming, only the jump at the instant', () => {
    const { prepare, fire } = script.armed!;
    expect(prepare).not.toContain('PREROUTING');
    expect(prepare).toContain('iptables -w -t nat -N REBOUND-tx1');
    expect(prepare).toContain('iptables -w -t nat -A REBOUND-tx1 -p tcp --syn --dport 8080 -j REDIRECT --to-ports 17262');
    expect(fire.split('\n')).toEqual(['set -e', 'iptables -w -t nat -I PREROUTING 1 -j REBOUND-tx1']);
    // prepare then fire runs the same commands, in the same order, as apply
    const commands = (text: string) => text.split('\n').filter((line) => !/^(set -e|\(|\))/.test(line.trim())).map((line) => line.replace(/^\( /, ''));
    expect([...commands(prepare), ...commands(fire)]).toEqual(commands(script.apply));
    for (const part of [prepare, fire]) expect(bashSyntaxOk(part)).toBe(true);
  });

  it('drains: redirect away first, then waits for the proxied connections, toxics left in place', () => {
    const drain = script.drain!;
    expect(drain.indexOf('REBOUND-tx1')).toBeLessThan(drain.indexOf("ss -Htn state established '( sport = :17262 )'"));
    expect(drain).not.toContain('toxic remove');
    for (const part of [script.apply, script.remove, drain]) expect(bashSyntaxOk(part)).toBe(true);
  });
});

describe('process scripts', () => {
  it('joins the cgroups of a process, but not name=systemd or devices', () => {
    const script = joinCgroupsScript(4242);
    expect(script).toContain('< /proc/4242/cgroup');
    expect(script).toContain('name=systemd|devices) continue');
    expect(bashSyntaxOk(script)).toBe(true);
    expect(() => joinCgroupsScript('1; rm -rf /')).toThrow(/process id/);
  });

  it('raises the OOM score and writes the old one back', () => {
    expect(raiseOomScoreScript(77, -997)).toEqual({
      apply: 'echo 1000 > /proc/77/oom_score_adj',
      remove: '[ ! -e /proc/77/oom_score_adj ] || echo -997 > /proc/77/oom_score_adj || [ ! -e /proc/77/oom_score_adj ]',
    });
  });
});
