import { z } from 'zod';
import { durationSchema } from '../../common/schema-primitives.js';
import { defineFault } from '../fault-module.js';
import { memoryAmountSchema } from '../resource-amounts.js';
import { selectionShape } from '../selection.js';
import { stopHelpersUndo, stopNodeHelpersUndo } from '../undo-records.js';

// Pressure, not a kill: stress-ng's vm worker holds `size` in the instance's memory cgroup. Near the
// limit the kernel OOM-kills stress-ng's own workers first (they make themselves the OOM killer's
// choice and respawn), not the app: use the oom fault to kill the app.
export const memoryStress = defineFault({
  name: 'memory-stress',
  summary: "Holds `size` of memory (stress-ng --vm) inside the instance's own memory cgroup for `duration`; ends by itself.",
  actsOn: 'instances',
  drivenBy: 'target',
  samplesResources: true,
  params: z.strictObject({
    ...selectionShape,
    size: memoryAmountSchema.describe('Memory to hold: "40Mi", bytes, or "50%" of the instance\'s memory limit (a share needs a limit).'),
    duration: durationSchema.describe('How long the memory is held; it is released by itself then, even if rebound dies.'),
  }),
  docker: {
    does: "stress-ng `--vm 1 --vm-bytes size --vm-keep` in a helper container whose cgroup is a child of the container's, so it counts against its `--memory`; ends by itself at `duration`",
    rollback: 'stop the helper (the memory is freed with it)',
    undo: stopHelpersUndo,
  },
  kubernetes: {
    does: "stress-ng `--vm` run by a transient unit in the pod's kind node, moved into the pod container's cgroups, so it counts against its memory limit; ends by itself at `duration`; kind only",
    rollback: 'stop the unit (the memory is freed with it)',
    undo: stopNodeHelpersUndo,
  },
  durationOf: (params) => params.duration,
});
