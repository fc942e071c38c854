import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/run/run-result.js';
import { dockerLeftovers, inspectContainerNetns, listHelperContainers, runHelperCommand } from '../../src/targets/docker/fault-helpers.js';
import { reboundLeftovers } from '../../src/targets/fault-tools/index.js';
import { dockerAvailable } from './support/engines.js';
import { faultInEffect, killRunDuringFault } from './support/kill-during-fault.js';
import { TOOLS_IMAGE, getOnce, median } from './support/fault-helper-targets.js';
import { faultWindows, injectedLine, outcomesOf, runExperimentFile } from './support/network-runs.js';
import { rebound, scratchDirectory, writeExperiment } from './support/rebound-cli.js';
import { useDemoContainers } from './support/use-demo-containers.js';

// The network faults on the real Docker engine and this kernel (6.18: no netem), each through the
// real CLI: the probe's view of the fault (the acceptance figures of issue 12, printed for the
// README), the rules gone afterwards, refusals that touch nothing. Every container's namespace is
// looked into at the end: nothing of rebound's may be left.
const docker = new Docker();
const available = await dockerAvailable();
const demoContainers = useDemoContainers();
const touched: string[] = [];

const experiment = (suffix: string, port: number, fault: Record<string, unknown>, { at = '3s', ...extra }: Record<string, unknown> = {}) => ({
  apiVersion: 'rebound/v1',
  kind: 'Experiment',
  metadata: { name: `net-${Object.keys(fault)[0]}` },
  target: 'docker',
  system: { selector: { 'rebound.dev/test': suffix }, url: `http://127.0.0.1:${port}/` },
  probe: { rate: '20/s', timeout: '1s', keepAlive: false },
  ...extra,
  faults: [{ ...fault, at }],
});

async function inspected(id: string): Promise<string> {
  return (await docker.getContainer(id).inspect()).Id;
}

describe.runIf(available)('network faults on Docker', () => {
  // Registered after useDemoContainers' hook, so it runs first: the namespaces are looked into
  // while their containers still run.
  afterEach(async () => {
    const mine = touched.splice(0);
    const left = await dockerLeftovers(docker, mine);
    expect(left.namespaces.flatMap((namespace) => namespace.leftovers)).toEqual([]);
    expect(left.helpers.filter((helper) => mine.includes(helper.target))).toEqual([]);
  });

  it('network-delay 100ms: the probe\'s p50 is 100 ± 10 ms above the baseline, and back within ± 2 ms 1 s after the rollback', async () => {
    const demo = await demoContainers.start({ count: 1 });
    touched.push(await inspected(demo.names[0]!));
    const { run, exitCode, output } = await runExperimentFile('delay', { ...experiment(demo.suffix, demo.ports[0]!, { 'network-delay': { delay: '100ms', duration: '5s' } }, { duration: '11s' }) });
    expect(exitCode, output).toBe(0);
    const windows = faultWindows(run.timeline);
    const baseline = windows.p50(500, windows.started);
    const during = windows.p50(windows.injected.t + 100, windows.rollbackStarted);
    const after = windows.p50(windows.rolledBack + 1000, Infinity);
    console.info(`network-delay 100ms (Docker): probe p50 baseline ${baseline.toFixed(1)} ms, during ${during.toFixed(1)} ms (+${(during - baseline).toFixed(1)}), 1 s after the rollback ${after.toFixed(1)} ms; injection took ${(windows.injected.t - windows.started).toFixed(0)} ms`);
    expect(during - baseline).toBeGreaterThan(90);
    expect(during - baseline).toBeLessThan(110);
    // Back to the baseline: not more than 2 ms above it (a baseline the first requests of a run
    // inflated — a cold JIT, a loaded machine — may lie above the latency after; that is back too).
    expect(after - baseline).toBeLessThanOrEqual(2);
    expect(run.timeline.find((entry) => entry.kind === 'fault-injected')?.data).toMatchObject({ facts: { network: { proxy: { routes: [{ port: 8080, listen: '0.0.0.0:17262' }] } } } });
  });

  it('network-loss 30 %: TCP retransmissions turn loss into slow answers and timeouts, not refusals, and the verdict says so', async () => {
    const demo = await demoContainers.start({ count: 1 });
    touched.push(await inspected(demo.names[0]!));
    const { run } = await runExperimentFile('loss', {
      ...experiment(demo.suffix, demo.ports[0]!, { 'network-loss': { loss: '30%', duration: '6s' } }, { duration: '10s' }),
      assertions: [{ traffic: { successRate: '>= 99%' } }],
    });
    const windows = faultWindows(run.timeline);
    const during = windows.sentIn(windows.injected.t, windows.rollbackStarted - 1000);
    const outcomes = outcomesOf(during);
    const answered = during.filter((request) => request.data.ok).map((request) => request.data.ms);
    const baseline = windows.sentIn(500, windows.started).map((request) => request.data.ms);
    const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)] ?? Number.NaN;
    console.info(`network-loss 30% (Docker), probe 20/s, a new connection each, timeout 1 s: ${JSON.stringify(outcomes)} of ${during.length}; answered p50 ${median(answered).toFixed(0)} ms p95 ${p95(answered).toFixed(0)} ms (baseline p50 ${median(baseline).toFixed(1)} ms p95 ${p95(baseline).toFixed(1)} ms)`);
    expect(outcomes.answered ?? 0).toBeGreaterThan(during.length * 0.2);
    expect(outcomes.timeout ?? 0).toBeGreaterThan(during.length * 0.1);
    // Lost packets are retransmitted, never refused: no ECONNREFUSED.
    expect(outcomes.ECONNREFUSED ?? 0).toBe(0);
    expect(p95(answered)).toBeGreaterThan(5 * p95(baseline));
    expect(run.verdicts[0]).toMatchObject({ passed: false, explanation: expect.stringMatching(/during network-loss: 30 % of the packets both ways are dropped at random; TCP sends the lost ones again/) });
  });

  it('connection-fault reset on 50 % of new connections: about half the probe\'s requests are reset, the rest answer', async () => {
    const demo = await demoContainers.start({ count: 1 });
    touched.push(await inspected(demo.names[0]!));
    const { run } = await runExperimentFile('reset', experiment(demo.suffix, demo.ports[0]!, { 'connection-fault': { mode: 'reset', share: '50%', duration: '6s' } }, { duration: '10s' }));
    const windows = faultWindows(run.timeline);
    const during = windows.sentIn(windows.injected.t, windows.rollbackStarted - 1000);
    const outcomes = outcomesOf(during);
    console.info(`connection-fault reset 50% (Docker): ${JSON.stringify(outcomes)} of ${during.length}`);
    const failed = during.length - (outcomes.answered ?? 0);
    expect(failed / during.length).toBeGreaterThan(0.3);
    expect(failed / during.length).toBeLessThan(0.7);
    // A reset peer: the connection was accepted (by the proxy) and reset, never refused or timed out.
    expect(Object.keys(outcomes).filter((key) => key !== 'answered').every((key) => /RESET|SOCKET|ECONNRESET/i.test(key)), JSON.stringify(outcomes)).toBe(true);
    expect(outcomesOf(windows.sentIn(windows.rolledBack + 500, Infinity))).toEqual({ answered: expect.any(Number) });
  });

  it('partition (ingress) of one of three: the port reaching it fails for the whole fault, the other two answer, Docker still calls it healthy', async () => {
    const demo = await demoContainers.start({ count: 3, restartPolicy: 'always' });
    for (const name of demo.names) touched.push(await inspected(name));
    const directory = scratchDirectory();
    const file = writeExperiment(directory, 'partition', experiment(demo.suffix, demo.ports[0]!, { partition: { direction: 'ingress', pick: 'oldest', duration: '6s' } }, { duration: '11s' }));
    const child = rebound(['run', file, '--reporter', `json=${directory}/report.json`, '--reporter', 'console', '--state-dir', `${directory}/state`]);
    const deadline = Date.now() + 20_000;
    while (!faultInEffect(`${directory}/state`) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const others = await Promise.all(demo.ports.slice(1).map((port) => getOnce(`http://127.0.0.1:${port}/`)));
    const health = (await docker.getContainer(demo.names[0]!).inspect()).State.Health?.Status;
    const result = await child;
    expect(result.exitCode, result.all).toBe(0);
    const run = (JSON.parse(readFileSync(`${directory}/report.json`, 'utf8')) as RunReport).runs[0]!;
    const windows = faultWindows(run.timeline);
    // The helper ends the fault by itself at its deadline, the same instant rebound's rollback is
    // due: a request sent in the last moments before the rollback may find the rule already gone.
    const during = windows.sentIn(windows.injected.t, windows.rollbackStarted - 300);
    const answeredAt = windows.sentIn(windows.injected.t, windows.rollbackStarted).filter((request) => request.data.ok).map((request) => `${(request.t - windows.rollbackStarted).toFixed(0)} ms`);
    console.info(`partition ingress of the probed container (Docker): ${JSON.stringify(outcomesOf(during))} of ${during.length} during the fault; answered relative to the rollback: [${answeredAt.join(', ')}]; others answered: ${others.map((answer) => answer.ok).join(', ')}; its health: ${health}`);
    expect(outcomesOf(during).answered ?? 0).toBe(0);
    expect(others.every((answer) => answer.ok)).toBe(true);
    expect(health).toBe('healthy');
    expect(outcomesOf(windows.sentIn(windows.rolledBack + 500, Infinity))).toEqual({ answered: expect.any(Number) });
  });

  describe('network-bandwidth', () => {
    const sinks: string[] = [];
    afterEach(async () => {
      await Promise.all(sinks.splice(0).map((id) => docker.getContainer(id).remove({ force: true }).catch(() => undefined)));
    });

    it('1mbit on egress: a 1 MiB response takes ≈ 8.4 s ± 15 %, and a moment once removed', async () => {
      const suffix = `bw${Date.now()}`;
      const container = await docker.createContainer({
        Image: TOOLS_IMAGE,
        Cmd: ['bash', '-c', 'while true; do head -c 1048576 /dev/zero | nc -N -l 8080 >/dev/null; done'],
        Labels: { 'rebound.dev/test': suffix, 'rebound.dev/chaos': 'enabled' },
        HostConfig: { AutoRemove: false },
      });
      sinks.push(container.id);
      await container.start();
      touched.push(container.id);
      const ip = (await container.inspect()).NetworkSettings.Networks.bridge!.IPAddress;
      const download = () =>
        new Promise<{ bytes: number; ms: number }>((resolve, reject) => {
          const socket = connect(8080, ip);
          const started = performance.now();
          let bytes = 0;
          socket.on('data', (chunk) => (bytes += chunk.length));
          socket.on('end', () => resolve({ bytes, ms: performance.now() - started }));
          socket.on('error', reject);
          socket.setTimeout(30_000, () => socket.destroy(new Error('timeout')));
        });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const before = await download();
      const directory = scratchDirectory();
      const file = writeExperiment(directory, 'bandwidth', {
        apiVersion: 'rebound/v1',
        kind: 'Experiment',
        metadata: { name: 'net-bandwidth' },
        target: 'docker',
        system: { selector: { 'rebound.dev/test': suffix } },
        duration: '13s',
        faults: [{ 'network-bandwidth': { rate: '1mbit', duration: '11s' }, at: '500ms' }],
      });
      const child = rebound(['run', file, '--state-dir', `${directory}/state`]);
      const deadline = Date.now() + 20_000;
      while (!faultInEffect(`${directory}/state`) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const shaped = await download();
      const result = await child;
      expect(result.exitCode, result.all).toBe(0);
      const after = await download();
      const theory = (8 * 1024 ** 2) / 1e6;
      console.info(`network-bandwidth 1mbit egress (Docker): 1 MiB in ${(before.ms / 1000).toFixed(3)} s before, ${(shaped.ms / 1000).toFixed(2)} s shaped (theory ${theory.toFixed(2)} s without TCP/IP headers), ${(after.ms / 1000).toFixed(3)} s after`);
      expect(shaped.bytes).toBe(1024 ** 2);
      expect(shaped.ms / 1000).toBeGreaterThan(theory * 0.85);
      expect(shaped.ms / 1000).toBeLessThan(theory * 1.15);
      expect(after.ms).toBeLessThan(1000);
    });
  });

  it('refuses a foreign root qdisc and a foreign redirect of the port, touches nothing, says why; --dry-run prints the rules', async () => {
    const demo = await demoContainers.start({ count: 1 });
    const id = await inspected(demo.names[0]!);
    touched.push(id);
    const foreign = await runHelperCommand(docker, {
      target: id,
      join: { network: true },
      command: ['bash', '-c', 'tc qdisc add dev eth0 root handle 1: htb && iptables -t nat -A PREROUTING -p tcp --dport 8080 -j REDIRECT --to-ports 9999'],
    });
    expect(foreign.exitCode, foreign.stderr).toBe(0);
    try {
      for (const [fault, reason] of [
        [{ 'network-bandwidth': { rate: '1mbit', duration: '5s' } }, /network-bandwidth refuses to touch .*, and changed nothing: eth0 already has a root qdisc that is not rebound's \(htb 1:\)/],
        [{ 'network-delay': { delay: '100ms', duration: '5s' } }, /network-delay refuses to touch .*, and changed nothing: port 8080 is already redirected by someone else/],
      ] as const) {
        const { run } = await runExperimentFile('refuse', experiment(demo.suffix, demo.ports[0]!, fault, { duration: '2s', at: '500ms' }));
        expect(run.timeline.find((entry) => entry.kind === 'fault-failed')?.data).toMatchObject({ error: expect.stringMatching(reason) });
        const inventory = await inspectContainerNetns(docker, id);
        expect(inventory.foreignRootQdiscs.map((qdisc) => qdisc.kind)).toEqual(['htb']);
        expect(inventory.foreignRedirects.filter((rule) => rule.port === 8080)).toHaveLength(1);
        expect(reboundLeftovers(inventory)).toEqual([]);
      }
    } finally {
      await runHelperCommand(docker, { target: id, join: { network: true }, command: ['bash', '-c', 'tc qdisc del dev eth0 root; iptables -t nat -F PREROUTING'] });
    }
    const directory = scratchDirectory();
    const dry = await rebound(['run', writeExperiment(directory, 'dry', experiment(demo.suffix, demo.ports[0]!, { partition: { action: 'reject', ports: [8080], duration: '5s' } })), '--dry-run']);
    expect(dry.exitCode, dry.all).toBe(0);
    expect(dry.stdout).toContain('iptables -w -t filter -A REBOUND-rb0000000000-in -p tcp -m multiport --dports 8080 -j REJECT --reject-with tcp-reset');
    expect(dry.stdout).toContain('(dry run: nothing was touched)');
  });

  it('kill -9 of rebound during a 12 s delay and a 12 s partition: rules and proxy gone by themselves ≤ 1 s after the deadline', async () => {
    const demo = await demoContainers.start({ count: 2 });
    const ids = await Promise.all(demo.names.map(inspected));
    touched.push(...ids);
    const faults = [{ 'network-delay': { delay: '100ms', duration: '12s' } }, { partition: { duration: '12s' } }];
    const states = await Promise.all(
      faults.map(async (fault, index) => {
        const directory = scratchDirectory();
        const file = writeExperiment(directory, `kill-${index}`, { ...experiment(demo.suffix, demo.ports[index]!, fault, { duration: '60s', at: '500ms' }), system: { selector: { 'rebound.dev/test': demo.suffix }, name: demo.names[index], url: `http://127.0.0.1:${demo.ports[index]}/` } });
        await killRunDuringFault(['run', file, '--state-dir', `${directory}/state`], `${directory}/state`);
        return `${directory}/state`;
      }),
    );
    const injectedAt = states.map((state) => Date.parse(injectedLine(state).at));
    // Watched from inside each namespace every 20 ms: rebound's chains and qdiscs, and the proxy's port.
    const watch = (id: string) =>
      runHelperCommand(docker, {
        target: id,
        join: { network: true },
        timeoutMs: 60_000,
        command: ['bash', '-c', "end=$(( $(date +%s) + 45 )); while [ $(date +%s) -lt $end ]; do if ! { iptables-nft-save; tc qdisc show; ss -Hltn; } 2>/dev/null | grep -q -e REBOUND- -e 7262: -e :17262; then date +%s%3N; exit 0; fi; sleep 0.02; done; exit 1"],
      }).then((result) => Number(result.stdout.trim()));
    const gone = await Promise.all(ids.map(watch));
    const late = gone.map((epoch, index) => epoch - injectedAt[index]! - 12_000);
    console.info(`kill -9 during a 12 s network-delay / partition (Docker): rules and proxy gone ${late.map((ms) => `${ms.toFixed(0)} ms`).join(' / ')} after the deadline (journalled injection + 12 s)`);
    for (const ms of late) {
      expect(ms).toBeLessThan(1000);
      expect(ms).toBeGreaterThan(-300);
    }
    for (const state of states) {
      const recovered = await rebound(['recover', '--all', '--state-dir', state]);
      expect(recovered.exitCode, recovered.all).toBe(0);
      expect(recovered.stdout).toMatch(/^undone: .*(removed|went with it)/m);
    }
  });

  it('network-corrupt on this kernel: exit 3 naming sch_netem, nothing left behind', async () => {
    const demo = await demoContainers.start({ count: 1 });
    const id = await inspected(demo.names[0]!);
    touched.push(id);
    const { exitCode, output, run } = await runExperimentFile('corrupt', experiment(demo.suffix, demo.ports[0]!, { 'network-corrupt': { corrupt: '1%', duration: '5s' } }, { duration: '5s', at: '500ms' }));
    expect(exitCode, output).toBe(3);
    expect(output).toMatch(/network-corrupt needs tc netem, and this kernel has no sch_netem \(CONFIG_NET_SCH_NETEM\).*Specified qdisc kind is unknown/);
    expect(run.rollbacks.every((rollback) => rollback.ok)).toBe(true);
    expect(reboundLeftovers(await inspectContainerNetns(docker, id))).toEqual([]);
    expect((await listHelperContainers(docker)).filter((helper) => helper.target === id)).toEqual([]);
  });
});
