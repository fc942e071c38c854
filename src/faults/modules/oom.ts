import { z } from 'zod';
import { defineFault } from '../fault-module.js';
import { selectionShape } from '../selection.js';

/** The main process before its oom_score_adj was raised: restored only if it is still the same process. */
const scoredProcess = z.object({
  pid: z.int(),
  /** /proc/<pid>/stat starttime (clock ticks since boot): tells a reused pid from the process rebound raised. */
  startTime: z.string(),
  oomScoreAdj: z.int(),
});

// A real OOM kill of the instance's main process, so that the engine's own recovery runs: its
// oom_score_adj is raised to 1000 (raising needs no privilege, only lowering does), then the
// container's memory cgroup is filled past its limit by a plain allocation (dd's buffer). The
// kernel kills the process with the highest badness in the cgroup: rss + oom_score_adj x limit /
// 1000, i.e. the main process. Not stress-ng: its workers make themselves the OOM killer's choice.
export const oom = defineFault({
  name: 'oom',
  summary: "The kernel OOM-kills the instance's main process at its memory limit (oom_score_adj 1000, then the cgroup is filled); needs a memory limit.",
  actsOn: 'instances',
  drivenBy: 'target',
  samplesResources: true,
  params: z.strictObject({ ...selectionShape }),
  docker: {
    does: "`oom_score_adj` of the main process raised to 1000, then the container's memory cgroup filled past `--memory` by `dd` (a host process that joined that cgroup alone): `OOMKilled: true`, exit 137, the restart policy applies; needs a memory limit and the engine on this machine",
    rollback: 'put the score back if the process still lives; start the container if it is still down',
    undo: z.object({ action: z.literal('after-oom'), containers: z.array(scoredProcess.extend({ name: z.string() })) }),
  },
  kubernetes: {
    does: "the same in the kind node: `oom_score_adj` 1000, the pod container's memory cgroup filled by `dd`: `lastState.terminated.reason: OOMKilled`, the kubelet restarts it (with back-off when it happens again); needs a memory limit; kind only",
    rollback: 'put the score back if the process still lives; nothing else (the kubelet restarts it); reports each restartCount',
    undo: z.object({
      action: z.literal('after-oom'),
      namespace: z.string(),
      pods: z.array(scoredProcess.extend({ pod: z.string(), container: z.string(), node: z.string(), restartCount: z.int() })),
    }),
  },
});
