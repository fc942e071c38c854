import { formatDuration } from '../../../common/duration.js';
import { formatCpu, formatMemory } from '../../../common/resource-quantity.js';
import type { FaultRun } from '../../../faults/index.js';
import { memoryAmountInWords, memoryBytesOf } from '../../../faults/resource-amounts.js';
import { type CgroupReading, cpuStressArgs, joinCgroupsScript, memoryStressArgs, newHelperId, stressScript } from '../../fault-tools/index.js';
import { startNodeHelper } from '../kind/node-helper.js';
import type { KubernetesFault, KubernetesFaultContext } from './fault-context.js';
import { podProcess } from './pod-process.js';
import { type NodeHelperRef, stopNodeHelpers } from './stop-node-helpers.js';

type StressUndo = { action: 'stop-node-helpers'; namespace: string; helpers: NodeHelperRef[] };

/**
 * A stress-ng process in each selected pod's main container cgroups, on kind: a transient unit in
 * the pod's node runs it from the fault-tools image mounted there; before it execs stress-ng it
 * moves itself into the container's cgroups (every v1 hierarchy but name=systemd, which keeps it in
 * the unit, so stopping the unit stops it), so the container's CPU and memory limits hold the
 * stress and the app together. The unit ends it at `durationMs`, whatever happens to rebound.
 */
async function startStress(
  fault: string,
  context: KubernetesFaultContext,
  run: FaultRun<StressUndo>,
  subjects: readonly string[],
  durationMs: number,
  stressOf: (pod: string, cgroup: CgroupReading) => { args: string[]; what: string },
): Promise<{ undo: StressUndo; note: string }> {
  const helpers: NodeHelperRef[] = [];
  const notes: string[] = [];
  for (const name of subjects) {
    const target = await podProcess(name, context, fault);
    const { args, what } = stressOf(name, target.cgroup);
    const id = newHelperId();
    helpers.push({ id, node: target.node.name, pod: name });
    run.record({ action: 'stop-node-helpers', namespace: context.namespace, helpers: [...helpers] });
    await startNodeHelper(context.kindNodes, {
      node: target.node,
      id,
      description: `${fault} in pod ${context.namespace}/${name}`,
      script: stressScript(id, args, joinCgroupsScript(target.pid)),
      timing: { durationMs },
    });
    notes.push(`${name} (${target.node.name}): ${what}`);
  }
  return { undo: { action: 'stop-node-helpers', namespace: context.namespace, helpers }, note: `${notes.join('; ')}; it ends by itself after ${formatDuration(durationMs)}` };
}

export const cpuStressPods: KubernetesFault<'cpu-stress'> = {
  planUndo: (_fault, context) => ({ action: 'stop-node-helpers', namespace: context.namespace, helpers: [] }),
  inject: (fault, context, run) => {
    const { workers, load, duration } = fault.params;
    return startStress('cpu-stress', context, run, fault.subjects, duration, (_pod, cgroup) => ({
      args: cpuStressArgs(workers, load, duration),
      what: `stress-ng ${workers} CPU worker${workers === 1 ? '' : 's'} at ${load} % in the container's cgroups, ${
        cgroup.cpuLimitMillicores === undefined ? 'which have no CPU limit: they may take that many cores of the node' : `held with the app to its ${formatCpu(cgroup.cpuLimitMillicores)} limit (the kernel throttles the cgroup)`
      }`,
    }));
  },
  undo: (record, { kindNodes }) => stopNodeHelpers(kindNodes, record.helpers),
};

export const memoryStressPods: KubernetesFault<'memory-stress'> = {
  planUndo: (_fault, context) => ({ action: 'stop-node-helpers', namespace: context.namespace, helpers: [] }),
  inject: (fault, context, run) => {
    const { size, duration } = fault.params;
    return startStress('memory-stress', context, run, fault.subjects, duration, (pod, cgroup) => {
      const limit = cgroup.memoryLimitBytes;
      const bytes = memoryBytesOf(size, limit);
      if (bytes === undefined) throw new Error(`memory-stress size ${size.text} is a share of the memory limit, and pod ${pod} has none: give a size such as "40Mi"`);
      const nearLimit = limit !== undefined && bytes >= limit * 0.9;
      return {
        args: memoryStressArgs(bytes, duration),
        what: `stress-ng holds ${memoryAmountInWords(size, bytes, limit)} in the container's memory cgroup${limit === undefined ? ' (it has no memory limit)' : `, beside the app, under its ${formatMemory(limit)} limit`}${
          nearLimit ? "; that close to the limit the kernel OOM-kills stress-ng's own workers (they respawn), not the app" : ''
        }`,
      };
    });
  },
  undo: (record, { kindNodes }) => stopNodeHelpers(kindNodes, record.helpers),
};
