import { formatDuration } from '../../../common/duration.js';
import { formatCpu, formatMemory } from '../../../common/resource-quantity.js';
import type { FaultRun } from '../../../faults/index.js';
import { memoryAmountInWords, memoryBytesOf } from '../../../faults/resource-amounts.js';
import { cpuStressArgs, memoryStressArgs, newHelperId, stressScript } from '../../fault-tools/index.js';
import { startHelperContainer } from '../helper-container.js';
import type { DockerFault, DockerFaultContext } from './docker-fault.js';
import { type HelperRef, stopHelperContainers } from './stop-helpers.js';

interface Limits {
  /** What the container may use: NanoCpus (or CpuQuota / CpuPeriod) in millicores; undefined: no limit. */
  cpuMillicores: number | undefined;
  memoryBytes: number | undefined;
}

type StressUndo = { action: 'stop-helpers'; helpers: HelperRef[] };

/**
 * A stress-ng process in each selected container's cgroup: a helper container with
 * `--cgroup-parent` <the container's cgroup>, so the container's own --cpus / --memory hold the
 * stress and the app together (a limit applies to every descendant cgroup). Each helper's id is
 * journalled before it starts; it ends by itself at `durationMs` even if rebound dies.
 */
async function startStress(
  context: DockerFaultContext,
  run: FaultRun<StressUndo>,
  subjects: readonly string[],
  durationMs: number,
  stressOf: (name: string, limits: Limits) => { args: string[]; what: string },
): Promise<{ undo: StressUndo; note: string }> {
  const helpers: HelperRef[] = [];
  const notes: string[] = [];
  for (const name of subjects) {
    const { args, what } = stressOf(name, await limitsOf(context, name));
    const id = newHelperId();
    helpers.push({ id, target: name });
    run.record({ action: 'stop-helpers', helpers: [...helpers] });
    await startHelperContainer(context.docker, { target: name, id, join: { cgroup: true }, script: stressScript(id, args), timing: { durationMs } });
    notes.push(`${name}: ${what}`);
  }
  return { undo: { action: 'stop-helpers', helpers }, note: `${notes.join('; ')}; it ends by itself after ${formatDuration(durationMs)}` };
}

async function limitsOf(context: DockerFaultContext, name: string): Promise<Limits> {
  const { HostConfig: host } = await context.docker.getContainer(name).inspect();
  const nanoCpus = host.NanoCpus ?? 0;
  const quota = host.CpuQuota ?? 0;
  return {
    cpuMillicores: nanoCpus > 0 ? nanoCpus / 1e6 : quota > 0 ? (quota / (host.CpuPeriod || 100_000)) * 1000 : undefined,
    memoryBytes: (host.Memory ?? 0) > 0 ? host.Memory : undefined,
  };
}

export const cpuStressContainers: DockerFault<'cpu-stress'> = {
  planUndo: () => ({ action: 'stop-helpers', helpers: [] }),
  inject: (fault, context, run) => {
    const { workers, load, duration } = fault.params;
    return startStress(context, run, fault.subjects, duration, (_name, limits) => ({
      args: cpuStressArgs(workers, load, duration),
      what: `stress-ng ${workers} CPU worker${workers === 1 ? '' : 's'} at ${load} % in its cgroup, ${
        limits.cpuMillicores === undefined ? 'which has no CPU limit: they may take that many cores of the host' : `held with the app to its ${formatCpu(limits.cpuMillicores)} (the kernel throttles the cgroup)`
      }`,
    }));
  },
  undo: (record, { docker }) => stopHelperContainers(docker, record.helpers),
};

export const memoryStressContainers: DockerFault<'memory-stress'> = {
  planUndo: () => ({ action: 'stop-helpers', helpers: [] }),
  inject: (fault, context, run) => {
    const { size, duration } = fault.params;
    return startStress(context, run, fault.subjects, duration, (name, limits) => {
      const bytes = memoryBytesOf(size, limits.memoryBytes);
      if (bytes === undefined) throw new Error(`memory-stress size ${size.text} is a share of the memory limit, and ${name} has none: give a size such as "40Mi"`);
      const nearLimit = limits.memoryBytes !== undefined && bytes >= limits.memoryBytes * 0.9;
      return {
        args: memoryStressArgs(bytes, duration),
        what: `stress-ng holds ${memoryAmountInWords(size, bytes, limits.memoryBytes)} in its memory cgroup${limits.memoryBytes === undefined ? ' (it has no memory limit)' : `, beside the app, under its ${formatMemory(limits.memoryBytes)} limit`}${
          nearLimit ? "; that close to the limit the kernel OOM-kills stress-ng's own workers (they respawn), not the app" : ''
        }`,
      };
    });
  },
  undo: (record, { docker }) => stopHelperContainers(docker, record.helpers),
};
