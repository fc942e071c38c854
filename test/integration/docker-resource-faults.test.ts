import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { RunReport, RunResult } from '../../src/run/run-result.js';
import { createDockerTarget } from '../../src/targets/docker/docker-target.js';
import { listHelperContainers } from '../../src/targets/docker/fault-helpers.js';
import { entriesOf } from '../../src/timeline/timeline.js';
import type { DemoContainers } from './support/demo-containers.js';
import { dockerAvailable } from './support/engines.js';
import { injectionRun, plannedFault } from './support/inject-fault.js';
import { rebound, scratchDirectory, writeExperiment } from './support/rebound-cli.js';
import { useDemoContainers } from './support/use-demo-containers.js';

// The resource faults on the real engine (Docker 20.10, cgroupfs driver, cgroup v1): the stress in
// the container's own cgroup and held by its limits, a real OOM kill of its main process with the
// restart policy deciding what follows, and docker update squeezes restored exactly.
const docker = new Docker();
const available = await dockerAvailable();
const demoContainers = useDemoContainers();
const MiB = 1024 * 1024;

const cgroupFile = (controller: string, id: string, file: string) => readFileSync(`/sys/fs/cgroup/${controller}/docker/${id}/${file}`, 'utf8').trim();
const idOf = async (name: string) => (await docker.getContainer(name).inspect()).Id;
/** Every process in the container's cgroup subtree (helpers under --cgroup-parent included). */
async function processesIn(id: string): Promise<number[]> {
  const { stdout } = await execa('find', [`/sys/fs/cgroup/pids/docker/${id}`, '-name', 'cgroup.procs', '-exec', 'cat', '{}', ';']);
  return stdout.split('\n').filter(Boolean).map(Number);
}
/** Busy and total jiffies of the whole host (/proc/stat). */
function hostCpu(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { busy: fields.slice(0, 8).reduce((sum, value) => sum + value, 0) - fields[3]! - fields[4]!, total: fields.slice(0, 8).reduce((sum, value) => sum + value, 0) };
}

async function runExperiment(demo: DemoContainers, name: string, rest: Record<string, unknown>): Promise<{ exitCode: number | undefined; run: RunResult; output: string }> {
  const directory = scratchDirectory();
  const file = writeExperiment(directory, name, {
    apiVersion: 'rebound/v1',
    kind: 'Experiment',
    metadata: { name },
    target: 'docker',
    system: { selector: { 'rebound.dev/test': demo.suffix }, url: `http://127.0.0.1:${demo.ports[0]}/` },
    probe: { rate: '20/s' },
    ...rest,
  });
  const result = await rebound(['run', file, '--reporter', `json=${join(directory, 'r.json')}`, '--state-dir', join(directory, 'state')]);
  const report = JSON.parse(readFileSync(join(directory, 'r.json'), 'utf8')) as RunReport;
  return { exitCode: result.exitCode, run: report.runs[0]!, output: result.all };
}

describe.runIf(available)('resource faults on Docker', () => {
  it('cpu-stress load 100 in a 0.2-CPU container: throttled in its own cgroup, never above 0.2 of a core; the stress gone after the rollback', async () => {
    const demo = await demoContainers.start({ count: 1, resources: { cpus: 0.2, memoryBytes: 64 * MiB } });
    const id = await idOf(demo.names[0]!);
    const directory = scratchDirectory();
    const file = writeExperiment(directory, 'cpu-stress', {
      apiVersion: 'rebound/v1',
      kind: 'Experiment',
      metadata: { name: 'docker-cpu-stress' },
      target: 'docker',
      system: { selector: { 'rebound.dev/test': demo.suffix }, url: `http://127.0.0.1:${demo.ports[0]}/` },
      probe: { rate: '20/s' },
      duration: '7s',
      faults: [{ 'cpu-stress': { count: 1, workers: 2, load: 100, duration: '4s' }, at: '1s' }],
    });
    const run = rebound(['run', file, '--reporter', `json=${join(directory, 'r.json')}`, '--state-dir', join(directory, 'state')]);
    // The host, measured while the stress runs: the cgroup's own usage says what the stress can take.
    const deadline = Date.now() + 15_000;
    while ((await listHelperContainers(docker, { 'rebound.dev/helper-target': id })).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const usage0 = Number(cgroupFile('cpuacct', id, 'cpuacct.usage'));
    const host0 = hostCpu();
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const cores = (Number(cgroupFile('cpuacct', id, 'cpuacct.usage')) - usage0) / 1e6 / (performance.now() - started);
    const host1 = hostCpu();
    const hostBusy = (host1.busy - host0.busy) / (host1.total - host0.total);
    const result = await run;
    expect(result.exitCode, result.all).toBe(0);
    const report = (JSON.parse(readFileSync(join(directory, 'r.json'), 'utf8')) as RunReport).runs[0]!;
    const injected = entriesOf(report.timeline, 'fault-injected')[0]!;
    const rolledBack = entriesOf(report.timeline, 'fault-rolled-back')[0]!;
    const during = entriesOf(report.timeline, 'resource-sample').filter((sample) => sample.t > injected.t + 600 && sample.t < rolledBack.t);
    const first = during[0]!.data;
    const last = during.at(-1)!.data;
    const throttledShare = (last.throttledPeriods - first.throttledPeriods) / (last.periods - first.periods);
    const sampledCores = (last.cpuUsageMs - first.cpuUsageMs) / (during.at(-1)!.t - during[0]!.t);
    console.log(`cpu-stress 2 workers at 100 % in a --cpus 0.2 container: ${cores.toFixed(3)} cores over 2 s (cpuacct.usage), ${sampledCores.toFixed(3)} in the run's samples, throttled in ${(throttledShare * 100).toFixed(0)} % of the periods; the host's 2 cores were ${(hostBusy * 100).toFixed(0)} % busy meanwhile (everything on the machine: the stress can take at most 0.2 of a core, 10 % of the host)`);
    expect(cores).toBeLessThan(0.23);
    expect(cores).toBeGreaterThan(0.15);
    expect(sampledCores).toBeLessThan(0.23);
    expect(throttledShare).toBeGreaterThan(0.5);
    expect(rolledBack.data.ok).toBe(true);
    expect(await listHelperContainers(docker, { 'rebound.dev/helper-target': id })).toEqual([]);
    expect(await processesIn(id)).toEqual([(await docker.getContainer(id).inspect()).State.Pid]);
  });

  it('cpu-stress ends by itself at its deadline (no rollback: the helper removes itself and the stress with it)', async () => {
    const demo = await demoContainers.start({ count: 1, resources: { cpus: 0.2 } });
    const id = await idOf(demo.names[0]!);
    const target = createDockerTarget();
    const handle = await target.inject(plannedFault('cpu-stress', { count: 1, workers: 1, duration: '2s' }, [demo.names[0]!]), injectionRun({ labels: { 'rebound.dev/test': demo.suffix } }));
    const applied = performance.now();
    expect((await processesIn(id)).length).toBeGreaterThan(2);
    while ((await listHelperContainers(docker, { 'rebound.dev/helper-target': id })).length > 0 && performance.now() - applied < 12_000) await new Promise((resolve) => setTimeout(resolve, 50));
    const goneAfter = performance.now() - applied;
    console.log(`cpu-stress with duration 2 s: its helper was gone ${(goneAfter / 1000).toFixed(2)} s after it applied`);
    expect(goneAfter).toBeLessThan(5000);
    expect(await processesIn(id)).toEqual([(await docker.getContainer(id).inspect()).State.Pid]);
    expect(await handle.rollback()).toEqual({ ok: true, action: expect.stringMatching(/already gone \(ended by itself at its deadline\)$/) });
    await target.close();
  });

  it('oom with restart always: OOMKilled in inspect, RestartCount + 1, the die event says OOMKilled, recovered', async () => {
    const demo = await demoContainers.start({ count: 1, restartPolicy: 'always', resources: { memoryBytes: 64 * MiB } });
    const before = await docker.getContainer(demo.names[0]!).inspect();
    const { exitCode, run, output } = await runExperiment(demo, 'docker-oom-always', { duration: '8s', until: 'recovered', faults: [{ oom: { count: 1 }, at: '1s' }], assertions: [{ recoveryTime: { max: '5s' } }] });
    const after = await docker.getContainer(demo.names[0]!).inspect();
    const die = entriesOf(run.timeline, 'instance-event').find((event) => event.data.action === 'die');
    console.log(`oom, restart always: ${run.verdicts[0]!.explanation}; OOMKilled=${after.State.OOMKilled} RestartCount ${before.RestartCount} → ${after.RestartCount}; die ${JSON.stringify(die?.data)}`);
    expect(exitCode, output).toBe(0);
    expect(after.State.OOMKilled).toBe(true);
    expect(after.RestartCount).toBe(before.RestartCount + 1);
    expect(after.State.Running).toBe(true);
    expect(die?.data).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  });

  it('oom without a restart policy: not recovered, and the explanation says it was OOM-killed and nothing restarts it; the rollback starts it', async () => {
    const demo = await demoContainers.start({ count: 1, restartPolicy: 'no', resources: { memoryBytes: 64 * MiB } });
    const { exitCode, run } = await runExperiment(demo, 'docker-oom-no', { duration: '4s', faults: [{ oom: { count: 1 }, at: '1s' }], assertions: [{ recoveryTime: { max: '2s' } }] });
    console.log(`oom, restart no: ${run.verdicts[0]!.explanation}`);
    expect(exitCode).toBe(1);
    expect(run.verdicts[0]!.explanation).toMatch(/not recovered .*stayed down: it was OOM-killed \(the kernel killed it at its memory limit\); Docker does not restart a container without a restart policy \(RestartPolicy=no\)/);
    expect(run.rollbacks[0]).toMatchObject({ ok: true, action: expect.stringMatching(/started .* again/) });
    // Docker 20.10 keeps OOMKilled from the last exit even after the start: it is running again.
    expect((await docker.getContainer(demo.names[0]!).inspect()).State.Running).toBe(true);
  });

  it('oom refuses an instance without a memory limit, clearly, and changes nothing', async () => {
    const demo = await demoContainers.start({ count: 1 });
    const target = createDockerTarget();
    await expect(target.inject(plannedFault('oom', { count: 1 }, [demo.names[0]!]), injectionRun({ labels: {} }))).rejects.toThrow(`${demo.names[0]} has no memory limit, so there is nothing to run out of: oom needs one (deploy.resources.memory, or docker run --memory)`);
    await target.close();
  });

  it('squeeze: memory below current usage is refused by the kernel (nothing changes); above it applies in place, and the rollback restores the recorded limits exactly', async () => {
    const demo = await demoContainers.start({ count: 1, resources: { cpus: 0.2, memoryBytes: 64 * MiB } });
    const name = demo.names[0]!;
    const id = await idOf(name);
    const recorded = (await docker.getContainer(name).inspect()).HostConfig;
    const target = createDockerTarget();
    const run = injectionRun({ labels: {} });
    const stress = await target.inject(plannedFault('memory-stress', { count: 1, size: '40Mi', duration: '30s' }, [name]), run);
    const inUse = () => Number(cgroupFile('memory', id, 'memory.usage_in_bytes'));
    for (let index = 0; index < 50 && inUse() < 40 * MiB; index++) await new Promise((resolve) => setTimeout(resolve, 100));
    const usage = inUse();
    const below = await target.inject(plannedFault('squeeze', { count: 1, memory: '16Mi' }, [name]), run).then(() => 'applied', (error: Error) => error.message);
    console.log(`squeeze to 16 MiB with ${(usage / MiB).toFixed(1)} MiB in use: ${below}`);
    expect(below).toMatch(new RegExp(`^docker update refused ${name}'s memory 64 MiB → 16 MiB: the kernel cannot take a cgroup's memory limit below what it uses \\(\\d+(\\.\\d)? MiB in use, 16 MiB asked`));
    expect(Number(cgroupFile('memory', id, 'memory.limit_in_bytes'))).toBe(64 * MiB);
    const squeezed = await target.inject(plannedFault('squeeze', { count: 1, cpu: '50%', memory: '56Mi' }, [name]), run);
    expect(Number(cgroupFile('memory', id, 'memory.limit_in_bytes'))).toBe(56 * MiB);
    expect(Number(cgroupFile('cpu', id, 'cpu.cfs_quota_us'))).toBe(10_000);
    expect(await squeezed.rollback()).toEqual({ ok: true, action: `restored the recorded limits of ${name}` });
    expect(await squeezed.rollback()).toBe(await squeezed.rollback()); // once: the same outcome again
    const restored = (await docker.getContainer(name).inspect()).HostConfig;
    expect([restored.NanoCpus, restored.Memory, restored.MemorySwap, restored.CpuQuota]).toEqual([recorded.NanoCpus, recorded.Memory, recorded.MemorySwap, recorded.CpuQuota]);
    expect([Number(cgroupFile('memory', id, 'memory.limit_in_bytes')), Number(cgroupFile('cpu', id, 'cpu.cfs_quota_us'))]).toEqual([64 * MiB, 20_000]);
    expect((await stress.rollback()).ok).toBe(true);
    expect(inUse()).toBeLessThan(20 * MiB);
    await target.close();
  });
});
