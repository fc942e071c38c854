import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { dockerLeftovers, listHelperContainers, runHelperCommand, startHelperContainer } from '../../src/targets/docker/fault-helpers.js';
import { raiseOomScoreScript } from '../../src/targets/fault-tools/index.js';
import { dockerAvailable } from './support/engines.js';
import { useTargetContainers } from './support/fault-helper-targets.js';

// The helpers under the resource faults, on the real engine (Docker 20.10, cgroupfs driver,
// cgroup v1): a fault-tools container whose cgroup is a child of the target's, so the target's own
// --cpus and --memory apply to the stress. Figures are printed for src/targets/FAULT-MECHANISMS.md.
const enabled = await dockerAvailable();
const MiB = 1024 * 1024;

const cgroupFile = (controller: string, id: string, file: string) => readFileSync(`/sys/fs/cgroup/${controller}/docker/${id}/${file}`, 'utf8');
const cpuStat = (id: string) => Object.fromEntries(cgroupFile('cpu', id, 'cpu.stat').trim().split('\n').map((line) => line.split(' ')).map(([key, value]) => [key!, Number(value)]));
/** Busy and total jiffies of the whole host (/proc/stat). */
function hostCpu(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3]! + fields[4]!;
  const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return { busy: total - idle, total };
}
/** Every process in the target's cgroup subtree (pids controller). */
async function processesIn(id: string): Promise<number[]> {
  const { stdout } = await execa('find', [`/sys/fs/cgroup/pids/docker/${id}`, '-name', 'cgroup.procs', '-exec', 'cat', '{}', ';']);
  return stdout.split('\n').filter(Boolean).map(Number);
}

async function dockerEvents(id: string, sinceSeconds: number): Promise<{ action: string; timeNano: number; exitCode?: string }[]> {
  const { stdout } = await execa('docker', ['events', '--since', String(sinceSeconds), '--until', String(Math.ceil(Date.now() / 1000) + 1), '--filter', `container=${id}`, '--format', '{{json .}}']);
  return stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { Action: string; timeNano: number; Actor: { Attributes: Record<string, string> } })
    .filter((event) => ['oom', 'die', 'start'].includes(event.Action))
    .map((event) => ({ action: event.Action, timeNano: event.timeNano, ...(event.Actor.Attributes.exitCode && { exitCode: event.Actor.Attributes.exitCode }) }));
}

describe.runIf(enabled)('Docker helper containers: resource mechanisms (cgroup v1, cgroupfs driver)', () => {
  const targets = useTargetContainers();
  const docker = targets.docker;

  it('cpu stress in the target\'s cgroup is held to its --cpus 0.2: throttled, never more than 0.2 of a core', async () => {
    const target = await targets.start({ cpus: 0.2 });
    const before = cpuStat(target.id);
    const helper = await startHelperContainer(docker, {
      target: target.id,
      join: { cgroup: true },
      script: { apply: 'true', remove: 'true', serve: { command: 'stress-ng --cpu 2 --cpu-load 100', ready: 'pgrep -f stress-ng-cpu >/dev/null' } },
      timing: { durationMs: 6000 },
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const usage0 = Number(cgroupFile('cpuacct', target.id, 'cpuacct.usage'));
    const host0 = hostCpu();
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const cores = (Number(cgroupFile('cpuacct', target.id, 'cpuacct.usage')) - usage0) / 1e6 / (performance.now() - t0);
    const host1 = hostCpu();
    const hostBusy = (host1.busy - host0.busy) / (host1.total - host0.total);
    const after = cpuStat(target.id);
    console.log(`stress-ng --cpu 2 --cpu-load 100 in a --cpus 0.2 container: ${cores.toFixed(3)} cores; nr_throttled +${after.nr_throttled! - before.nr_throttled!} of +${after.nr_periods! - before.nr_periods!} periods, throttled_time +${((after.throttled_time! - before.throttled_time!) / 1e9).toFixed(2)} s; host busy ${(hostBusy * 100).toFixed(0)} % of 2 cores (everything on the machine, other work included)`);
    expect(cores).toBeGreaterThan(0.15);
    expect(cores).toBeLessThan(0.23);
    expect(after.nr_throttled! - before.nr_throttled!).toBeGreaterThan(10);
    // The deadline ends it by itself; then only the app is left in the target's cgroup.
    expect(await helper.exited).toEqual({ exitCode: 0, removed: true });
    const left = await processesIn(target.id);
    const appPid = (await docker.getContainer(target.id).inspect()).State.Pid;
    expect(left).toEqual([appPid]);
  });

  it('memory stress counts against the target\'s --memory; stop() ends it', async () => {
    const target = await targets.start({ memoryBytes: 64 * MiB });
    const usage = () => Number(cgroupFile('memory', target.id, 'memory.usage_in_bytes'));
    const idle = usage();
    const helper = await startHelperContainer(docker, {
      target: target.id,
      join: { cgroup: true },
      script: { apply: 'true', remove: 'true', serve: { command: 'stress-ng --vm 1 --vm-bytes 40M --vm-keep', ready: 'pgrep -f stress-ng-vm >/dev/null' } },
      timing: { durationMs: 60_000 },
    });
    let stressed = idle;
    for (let index = 0; index < 50 && stressed < idle + 35 * MiB; index++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      stressed = usage();
    }
    await helper.stop();
    const afterStop = usage();
    console.log(`memory.usage_in_bytes of a 64 MiB container: idle ${(idle / MiB).toFixed(1)} MiB, with --vm-bytes 40M ${(stressed / MiB).toFixed(1)} MiB, after stop ${(afterStop / MiB).toFixed(1)} MiB`);
    expect(stressed).toBeGreaterThan(idle + 35 * MiB);
    expect(stressed).toBeLessThanOrEqual(64 * MiB);
    expect(afterStop).toBeLessThan(idle + 10 * MiB);
    expect((await docker.getContainer(target.id).inspect()).State.OOMKilled).toBe(false);
  });

  for (const restart of ['always', 'no'] as const) {
    it(`oom: the main process (oom_score_adj 1000) is the one the kernel kills → OOMKilled; restart ${restart}`, async () => {
      const target = await targets.start({ memoryBytes: 64 * MiB, restart });
      const since = Math.floor(Date.now() / 1000) - 1;
      const info = await docker.getContainer(target.id).inspect();
      // PID 1 in the target's PID namespace is its main process; raising the score needs no privilege.
      const raise = await runHelperCommand(docker, { target: target.id, join: { pid: true }, command: ['bash', '-c', `cat /proc/1/oom_score_adj; ${raiseOomScoreScript(1, 0).apply}; cat /proc/1/oom_score_adj`] });
      expect(raise.stdout.trim().split('\n')).toEqual(['0', '1000']);
      // Then the cgroup is pushed past its limit by a plain allocation (dd's 128 MiB buffer), not by
      // stress-ng: stress-ng makes its own workers the OOM killer's first choice (seen here: its vm
      // workers were killed and respawned 60 times, the app never).
      const push = await runHelperCommand(docker, { target: target.id, join: { cgroup: true }, command: ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=128M', 'count=1'] });
      let after = await docker.getContainer(target.id).inspect();
      for (let index = 0; index < 50 && restart === 'always' && !(after.State.Status === 'running' && after.RestartCount > 0); index++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        after = await docker.getContainer(target.id).inspect();
      }
      const events = await dockerEvents(target.id, since);
      const die = events.find((event) => event.action === 'die');
      const restarted = events.filter((event) => event.action === 'start').at(-1);
      console.log(`oom (restart ${restart}): push helper exit ${push.exitCode}; events ${events.map((event) => event.action + (event.exitCode ? `(${event.exitCode})` : '')).join(' → ')}; OOMKilled=${after.State.OOMKilled} RestartCount=${after.RestartCount} status=${after.State.Status}${restart === 'always' && die && restarted ? `; die → start ${((restarted.timeNano - die.timeNano) / 1e6).toFixed(0)} ms` : ''}`);
      expect(after.State.OOMKilled).toBe(true);
      expect(die?.exitCode).toBe('137');
      if (restart === 'always') {
        expect(after.State.Status).toBe('running');
        expect(after.RestartCount).toBe(1);
        expect(after.State.Pid).not.toBe(info.State.Pid);
      } else {
        expect(after.State.Status).toBe('exited');
        expect(after.State.ExitCode).toBe(137);
      }
      expect(await listHelperContainers(docker, { 'rebound.dev/helper-target': target.id })).toEqual([]);
    });
  }

  it('squeeze with docker update: lowering memory below usage is refused by runc; the recorded limits come back exactly', async () => {
    const target = await targets.start({ memoryBytes: 64 * MiB, cpus: 0.5 });
    const recorded = (await docker.getContainer(target.id).inspect()).HostConfig;
    const stress = await startHelperContainer(docker, {
      target: target.id,
      join: { cgroup: true },
      script: { apply: 'true', remove: 'true', serve: { command: 'stress-ng --vm 1 --vm-bytes 40M --vm-keep', ready: 'pgrep -f stress-ng-vm >/dev/null' } },
      timing: { durationMs: 60_000 },
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const below = await docker.getContainer(target.id).update({ Memory: 16 * MiB, MemorySwap: 16 * MiB }).then(() => 'accepted', (error: Error) => error.message);
    console.log(`docker update --memory 16m with ~45 MiB in use: ${below.replace(/\s+/g, ' ').slice(0, 240)}`);
    expect(below).toMatch(/unable to set memory limit to 16777216 \(current usage: \d+/);
    await docker.getContainer(target.id).update({ NanoCpus: 0.1e9, Memory: 48 * MiB, MemorySwap: 48 * MiB });
    expect(Number(cgroupFile('memory', target.id, 'memory.limit_in_bytes'))).toBe(48 * MiB);
    expect(Number(cgroupFile('cpu', target.id, 'cpu.cfs_quota_us'))).toBe(10_000);
    await stress.stop();
    await docker.getContainer(target.id).update({ NanoCpus: recorded.NanoCpus, Memory: recorded.Memory, MemorySwap: recorded.MemorySwap });
    const restored = (await docker.getContainer(target.id).inspect()).HostConfig;
    expect([restored.NanoCpus, restored.Memory, restored.MemorySwap]).toEqual([recorded.NanoCpus, recorded.Memory, recorded.MemorySwap]);
    expect(Number(cgroupFile('memory', target.id, 'memory.limit_in_bytes'))).toBe(64 * MiB);
    expect((await dockerLeftovers(docker, [target.id])).helpers).toEqual([]);
  });
});
