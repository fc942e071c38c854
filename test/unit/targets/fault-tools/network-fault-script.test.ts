import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultCatalog, type FaultName } from '../../../../src/faults/index.js';
import { type InstanceNetworkFault, networkFaultScript, nodePartitionScript } from '../../../../src/targets/fault-tools/index.js';

// What each network fault applies inside the instance's namespace: the exact commands (the
// integration tests apply the same text to real namespaces), valid bash, and removals that touch
// only what the helper made.
const place = { id: 'rb0123456789', device: 'eth0', declaredPorts: [8080] };
const fault = (name: FaultName, params: Record<string, unknown>) => ({ name, params: faultCatalog[name].params.parse({ duration: '10s', ...params }) }) as InstanceNetworkFault;
const lines = (script: string) => script.split('\n');
const bashSyntaxOk = (script: string) => spawnSync('bash', ['-n', '-c', script]).status === 0;

/** Runs a script with iptables and tc as logging functions; `present` lists what `-S <chain>` finds. */
function runWithFakes(script: string, present: string[] = []): { calls: string[]; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'rebound-unit-net-'));
  writeFileSync(join(dir, 'log'), '');
  const fake = [
    `iptables() { echo "iptables $*" >> "$DIR/log"; case "$*" in *" -S "*) for c in ${present.join(' ')}; do case "$*" in *" $c") return 0 ;; esac; done; return 1 ;; esac; }`,
    'iptables-save() { :; }',
    `tc() { echo "tc $*" >> "$DIR/log"; }`,
    `ip() { echo "ip $*" >> "$DIR/log"; case "$*" in "link show"*) return 1 ;; esac; }`,
    '',
  ].join('\n');
  const result = spawnSync('bash', ['-c', `${fake}${script}`], { encoding: 'utf8', env: { ...process.env, DIR: dir } });
  const calls = readFileSync(join(dir, 'log'), 'utf8').split('\n').filter(Boolean);
  rmSync(dir, { recursive: true, force: true });
  return { calls, status: result.status };
}

describe('network fault scripts', () => {
  it('network-loss: one chain per direction, loopback exempt, statistic DROP with the share as a probability', () => {
    const planned = networkFaultScript(fault('network-loss', { loss: '30%' }), place);
    const { calls, status } = runWithFakes(planned.script.apply);
    expect(status).toBe(0);
    expect(calls).toEqual([
      'iptables -w -t filter -N REBOUND-rb0123456789-in',
      'iptables -w -t filter -A REBOUND-rb0123456789-in -i lo -j RETURN',
      'iptables -w -t filter -A REBOUND-rb0123456789-in -o lo -j RETURN',
      'iptables -w -t filter -A REBOUND-rb0123456789-in -m statistic --mode random --probability 0.3 -j DROP',
      'iptables -w -t filter -I INPUT 1 -j REBOUND-rb0123456789-in',
      'iptables -w -t filter -N REBOUND-rb0123456789-out',
      'iptables -w -t filter -A REBOUND-rb0123456789-out -i lo -j RETURN',
      'iptables -w -t filter -A REBOUND-rb0123456789-out -o lo -j RETURN',
      'iptables -w -t filter -A REBOUND-rb0123456789-out -m statistic --mode random --probability 0.3 -j DROP',
      'iptables -w -t filter -I OUTPUT 1 -j REBOUND-rb0123456789-out',
    ]);
    expect(planned.effect).toMatch(/TCP sends the lost ones again .* late or time out/);
    expect(bashSyntaxOk(planned.script.remove)).toBe(true);
  });

  it('network-loss on ports: TCP and UDP of the instance\'s port, by destination in and by source out', () => {
    const planned = networkFaultScript(fault('network-loss', { loss: 10, ports: [8080, 9090], direction: 'egress' }), place);
    expect(lines(planned.script.apply).filter((line) => line.includes('-A REBOUND-rb0123456789-out -p'))).toEqual([
      'iptables -w -t filter -A REBOUND-rb0123456789-out -p tcp -m multiport --sports 8080,9090 -m statistic --mode random --probability 0.1 -j DROP',
      'iptables -w -t filter -A REBOUND-rb0123456789-out -p udp -m multiport --sports 8080,9090 -m statistic --mode random --probability 0.1 -j DROP',
    ]);
  });

  it('partition: drop, or reject with a TCP reset first; only with the given peers', () => {
    const drop = networkFaultScript(fault('partition', { direction: 'ingress' }), place);
    expect(lines(drop.script.apply).filter((line) => line.includes(' -A '))).toEqual([
      'iptables -w -t filter -A REBOUND-rb0123456789-in -i lo -j RETURN',
      'iptables -w -t filter -A REBOUND-rb0123456789-in -o lo -j RETURN',
      'iptables -w -t filter -A REBOUND-rb0123456789-in -j DROP',
    ]);
    const reject = networkFaultScript(fault('partition', { direction: 'egress', action: 'reject', peers: { cidrs: ['10.0.0.0/8'] } }), { ...place, peerAddresses: ['172.17.0.9'] });
    expect(lines(reject.script.apply).filter((line) => line.includes(' -A ') && !line.includes(' lo '))).toEqual([
      'iptables -w -t filter -A REBOUND-rb0123456789-out -d 172.17.0.9 -p tcp -j REJECT --reject-with tcp-reset',
      'iptables -w -t filter -A REBOUND-rb0123456789-out -d 172.17.0.9 -j REJECT',
      'iptables -w -t filter -A REBOUND-rb0123456789-out -d 10.0.0.0/8 -p tcp -j REJECT --reject-with tcp-reset',
      'iptables -w -t filter -A REBOUND-rb0123456789-out -d 10.0.0.0/8 -j REJECT',
    ]);
    expect(() => networkFaultScript(fault('partition', { peers: { selector: { app: 'db' } } }), { ...place, peerAddresses: [] })).toThrow(/matched no address/);
  });

  it('network-delay: Toxiproxy per port, a latency toxic per direction, new connections redirected', () => {
    const planned = networkFaultScript(fault('network-delay', { delay: '100ms', jitter: '10ms', direction: 'both', ports: [8080, 9090] }), place);
    expect(planned.script.serve?.command).toBe('env LOG_LEVEL=warn toxiproxy-server -host 127.0.0.1 -port 17261');
    expect(lines(planned.script.apply).filter((line) => line.startsWith('toxiproxy-cli'))).toEqual([
      'toxiproxy-cli -h 127.0.0.1:17261 create -l 0.0.0.0:17262 -u 127.0.0.1:8080 rebound',
      'toxiproxy-cli -h 127.0.0.1:17261 toxic add -t latency -n rebound-0 -d --tox 1 -a latency=100 -a jitter=10 rebound',
      'toxiproxy-cli -h 127.0.0.1:17261 toxic add -t latency -n rebound-1 -u --tox 1 -a latency=100 -a jitter=10 rebound',
      'toxiproxy-cli -h 127.0.0.1:17261 create -l 0.0.0.0:17263 -u 127.0.0.1:9090 rebound-9090',
      'toxiproxy-cli -h 127.0.0.1:17261 toxic add -t latency -n rebound-0 -d --tox 1 -a latency=100 -a jitter=10 rebound-9090',
      'toxiproxy-cli -h 127.0.0.1:17261 toxic add -t latency -n rebound-1 -u --tox 1 -a latency=100 -a jitter=10 rebound-9090',
    ]);
    expect(planned.script.apply).toContain('-A REBOUND-rb0123456789 -p tcp --syn --dport 9090 -j REDIRECT --to-ports 17263');
    expect(planned.script.drain).toContain("'( sport = :17262 or sport = :17263 )'");
    expect(planned.refusal).toEqual({ redirectPorts: [8080, 9090] });
    expect(planned.proxy?.routes).toEqual([
      { port: 8080, listen: '0.0.0.0:17262', upstream: '127.0.0.1:8080' },
      { port: 9090, listen: '0.0.0.0:17263', upstream: '127.0.0.1:9090' },
    ]);
  });

  it('a proxy fault on an instance that declares no port asks for ports', () => {
    expect(() => networkFaultScript(fault('network-delay', { delay: '100ms' }), { ...place, declaredPorts: [] })).toThrow(/give them in network-delay.ports/);
  });

  it('connection-fault: reset_peer, timeout or slow_close on the given share of new connections', () => {
    const toxic = (params: Record<string, unknown>) => networkFaultScript(fault('connection-fault', params), place).proxy!.toxics;
    expect(toxic({ mode: 'reset', share: '50%' })).toEqual([{ type: 'reset_peer', stream: 'upstream', toxicity: 0.5, attributes: { timeout: 0 } }]);
    expect(toxic({ mode: 'timeout' })).toEqual([{ type: 'timeout', stream: 'upstream', toxicity: 1, attributes: { timeout: 0 } }]);
    expect(toxic({ mode: 'slow-close', delay: '2s', share: 25 })).toEqual([{ type: 'slow_close', stream: 'downstream', toxicity: 0.25, attributes: { delay: 2000 } }]);
  });

  it('network-bandwidth: tbf under rebound\'s handle, a default burst of 10 ms at the rate (at least 4000 bytes), marked as this helper\'s', () => {
    const planned = networkFaultScript(fault('network-bandwidth', { rate: '1mbit' }), place);
    expect(lines(planned.script.apply)).toContain('tc qdisc add dev eth0 root handle 7262: tbf rate 1mbit burst 4000 latency 400ms || { iptables -w -X REBOUND-rb0123456789-qe; exit 1; }');
    expect(networkFaultScript(fault('network-bandwidth', { rate: '1gbit' }), place).mechanism).toContain('burst 1250000');
    expect(planned.refusal).toEqual({ shapeDevice: 'eth0', shapeDirection: 'egress' });
    expect(planned.effect).toMatch(/1 MiB takes at least 8.4 s/);
  });

  it('a qdisc is removed only by the helper whose mark is there: a failed add never removes another fault\'s', () => {
    const planned = networkFaultScript(fault('network-bandwidth', { rate: '1mbit', direction: 'both' }), place);
    expect(runWithFakes(planned.script.remove).calls.filter((call) => call.startsWith('tc') || call.startsWith('ip '))).toEqual([]);
    const owned = runWithFakes(planned.script.remove, ['REBOUND-rb0123456789-qe', 'REBOUND-rb0123456789-qi']);
    expect(owned.calls).toContain('tc qdisc del dev eth0 root handle 7262:');
    expect(owned.calls).toContain('ip link del rebound-ifb');
    expect(owned.calls).toContain('iptables -w -X REBOUND-rb0123456789-qe');
  });

  it('network-corrupt / network-duplicate and delay by netem need the kernel\'s netem', () => {
    const corrupt = networkFaultScript(fault('network-corrupt', { corrupt: '1%' }), place);
    expect(corrupt.needsNetem).toBe(true);
    expect(corrupt.script.apply).toContain('tc qdisc add dev eth0 root handle 7262: netem corrupt 1%');
    expect(networkFaultScript(fault('network-duplicate', { duplicate: 2 }), place).script.apply).toContain('netem duplicate 2%');
    const netem = networkFaultScript(fault('network-delay', { delay: '100ms', mechanism: 'netem' }), place);
    expect(netem.needsNetem).toBe(true);
    expect(netem.script.apply).toContain('netem delay 100ms');
    expect(() => networkFaultScript(fault('network-delay', { delay: '100ms', mechanism: 'netem', ports: [80] }), place)).toThrow(/remove ports/);
  });

  it('partition-node: the node\'s way to the API server (OUTPUT, FORWARD) and the API server\'s to the kubelet (INPUT)', () => {
    const script = nodePartitionScript('rb0123456789', [{ ip: '172.18.0.2', port: 6443 }], 'drop');
    const { calls, status } = runWithFakes(script.apply);
    expect(status).toBe(0);
    expect(calls.filter((call) => call.includes(' -A ') || call.includes(' -I '))).toEqual([
      'iptables -w -t filter -A REBOUND-rb0123456789-out -d 172.18.0.2 -p tcp --dport 6443 -j DROP',
      'iptables -w -t filter -I OUTPUT 1 -j REBOUND-rb0123456789-out',
      'iptables -w -t filter -I FORWARD 1 -j REBOUND-rb0123456789-out',
      'iptables -w -t filter -A REBOUND-rb0123456789-in -s 172.18.0.2 -p tcp --dport 10250 -j DROP',
      'iptables -w -t filter -I INPUT 1 -j REBOUND-rb0123456789-in',
    ]);
  });

  it('every script is valid bash', () => {
    const all = [
      fault('network-loss', { loss: 5 }),
      fault('partition', { action: 'reject', ports: [80] }),
      fault('network-delay', { delay: 1 }),
      fault('connection-fault', { mode: 'timeout' }),
      fault('network-bandwidth', { rate: '2mbps', direction: 'ingress' }),
      fault('network-duplicate', { duplicate: 1 }),
    ].map((entry) => networkFaultScript(entry, place).script);
    for (const script of all) for (const part of [script.apply, script.remove, script.drain ?? '']) expect(bashSyntaxOk(part), part).toBe(true);
  });
});
