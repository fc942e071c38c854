import { errorMessage } from '../../../common/errors.js';
import { formatMemory } from '../../../common/resource-quantity.js';
import type { RollbackOutcome, UndoRecordOf } from '../../../faults/index.js';
import { joinCgroupsScript, oomPushArgs, shellCommand, shellQuote } from '../../fault-tools/index.js';
import type { KindNodes } from '../kind/kind-nodes.js';
import { mainContainerStatus } from '../pod-facts.js';
import type { KubernetesFault, KubernetesUndoContext } from './fault-context.js';
import { podProcess } from './pod-process.js';

type Scored = UndoRecordOf<'oom', 'kubernetes'>['pods'][number];

/** bash: whether the process PID with start time START is still alive (not a zombie); prints alive | gone. */
const sameProcessAlive = (pid: number, startTime: string) =>
  `awk -v start=${shellQuote(startTime)} '{ sub(/.*\\) /, ""); alive = ($1 != "Z" && $1 != "X" && $20 == start) } END { print (NR && alive) ? "alive" : "gone" }' /proc/${pid}/stat 2>/dev/null || echo gone`;

/**
 * oom on kind: in one `docker exec` into the pod's node, the main process's oom_score_adj is raised
 * to 1000 (after its old value and start time are journalled), then a child shell joins the
 * container's memory cgroup and execs dd, whose buffer fills the memory cgroup past its limit: the kernel
 * kills the main process, containerd reports the exit with reason OOMKilled, and the kubelet
 * restarts the container under the pod's restartPolicy — at once the first time, after
 * CrashLoopBackOff's 10 s (then 20 s, 40 s … 5 min) when it dies again soon after. dd ends either
 * way (count=1). The injection returns once the process is gone; the kubelet's view follows
 * (lastState.terminated.reason: OOMKilled) and the pod watch records it.
 */
export const oomPods: KubernetesFault<'oom'> = {
  planUndo: (_fault, context) => ({ action: 'after-oom', namespace: context.namespace, pods: [] }),
  async inject(fault, context, run) {
    const scored: Scored[] = [];
    const notes: string[] = [];
    const policies = new Set<string>();
    for (const name of fault.subjects) {
      const target = await podProcess(name, context, 'oom');
      const limit = target.cgroup.memoryLimitBytes;
      if (limit === undefined) throw new Error(`pod ${name} has no memory limit, so there is nothing to run out of: oom needs one (resources.limits.memory, or deploy.resources.memory)`);
      const { pid, startTime, oomScoreAdj } = target;
      scored.push({ pod: name, container: target.container, node: target.node.name, pid, startTime, oomScoreAdj, restartCount: target.restartCount });
      run.record({ action: 'after-oom', namespace: context.namespace, pods: [...scored] });
      // The memory cgroup alone: in the CPU one, the push spinning at the limit would eat the quota the killed process needs to exit.
      const push = `${joinCgroupsScript(pid, { only: ['memory'] })}\nexec ${shellCommand(oomPushArgs(limit))}`;
      // The push ends as soon as the main process is gone: left alone, dd lingers in the memory cgroup
      // (0.7 s seen on Docker) and meets the restarted container there. 15 s at most, then say so.
      const script = [
        `echo 1000 > /proc/${pid}/oom_score_adj || exit 4`,
        `bash -c ${shellQuote(push)} 2>/dev/null & p=$!`,
        'for i in $(seq 1500); do',
        `  if [ "$(${sameProcessAlive(pid, startTime)})" = gone ]; then kill -9 $p 2>/dev/null; wait $p 2>/dev/null; echo killed; exit 0; fi`,
        '  kill -0 $p 2>/dev/null || break',
        '  sleep 0.01',
        'done',
        'kill -9 $p 2>/dev/null; wait $p; echo "push $?"',
        `for i in $(seq 100); do [ "$(${sameProcessAlive(pid, startTime)})" = gone ] && { echo killed; exit 0; }; sleep 0.05; done; echo alive`,
      ].join('\n');
      const result = await context.kindNodes.execScript(target.node, script, { timeoutMs: 60_000 });
      if (!result.stdout.includes('killed')) {
        throw new Error(`the kernel did not OOM-kill the main process of pod ${name} (PID ${pid} in ${target.node.name}) at its ${formatMemory(limit)} limit: ${result.stdout.trim().replace(/\n/g, '; ')} ${result.stderr.trim()}`);
      }
      const policy = target.spec.spec?.restartPolicy ?? 'Always';
      policies.add(policy);
      notes.push(`${name}: OOM-killed at its ${formatMemory(limit)} limit (oom_score_adj ${oomScoreAdj} → 1000, then its cgroup filled; restartCount was ${target.restartCount})`);
    }
    const never = policies.has('Never');
    return {
      undo: { action: 'after-oom', namespace: context.namespace, pods: scored },
      note: `${notes.join('; ')}: the kubelet sees reason OOMKilled and restarts the container under restartPolicy ${[...policies].join(', ')}${
        never ? ' — Never: it stays down' : '; killed again soon after, it waits in CrashLoopBackOff (10 s, then 20 s, 40 s … 5 min) before the restart'
      }`,
      ...(never && { facts: { staysDown: "the pod's restartPolicy is Never: the kubelet does not restart its containers" } }),
    };
  },
  undo: (record, context) => afterOom(record.namespace, record.pods, context),
};

/** The score back on a process the push did not kill; otherwise nothing (the kubelet restarts): report restartCount. */
async function afterOom(namespace: string, pods: readonly Scored[], { api, kindNodes }: KubernetesUndoContext): Promise<RollbackOutcome> {
  const parts: string[] = [];
  const errors: string[] = [];
  for (const scored of pods) {
    try {
      const restored = await restoreScore(kindNodes, scored);
      if (restored) parts.push(restored);
      const pod = await api.core.readNamespacedPod({ name: scored.pod, namespace });
      parts.push(`${scored.pod} restartCount ${scored.restartCount} → ${mainContainerStatus(pod)?.restartCount ?? scored.restartCount}`);
    } catch (error) {
      const status = (error as { code?: number }).code;
      if (status === 404) parts.push(`${scored.pod} is gone (replaced by its controller)`);
      else errors.push(`${scored.pod}: ${errorMessage(error)}`);
    }
  }
  const action = `nothing to undo (the kubelet restarts an OOM-killed container)${parts.length > 0 ? `: ${parts.join('; ')}` : ''}`;
  return errors.length > 0 ? { ok: false, action, error: errors.join('; ') } : { ok: true, action };
}

async function restoreScore(kindNodes: KindNodes, scored: Scored): Promise<string | undefined> {
  const node = await kindNodes.find(scored.node);
  if ('missing' in node || node.state !== 'running') return undefined;
  const result = await kindNodes.execScript(node, `if [ "$(${sameProcessAlive(scored.pid, scored.startTime)})" = alive ]; then echo ${scored.oomScoreAdj} > /proc/${scored.pid}/oom_score_adj && echo restored; fi`);
  if (result.stdout.includes('restored')) return `${scored.pod} was not OOM-killed: its oom_score_adj is back to ${scored.oomScoreAdj}`;
  if (result.exitCode !== 0) throw new Error(`could not put the oom_score_adj of PID ${scored.pid} in ${scored.node} back to ${scored.oomScoreAdj}: ${result.stderr.trim()}`);
  return undefined;
}
