import { z } from 'zod';
import { durationSchema } from '../../common/schema-primitives.js';
import { defineFault } from '../fault-module.js';
import { selectionShape } from '../selection.js';
import { stopHelpersUndo, stopNodeHelpersUndo } from '../undo-records.js';

export const cpuStress = defineFault({
  name: 'cpu-stress',
  summary: "Busy CPU workers (stress-ng) inside the instance's own cgroup for `duration`: its CPU limit applies to them; they end by themselves.",
  actsOn: 'instances',
  drivenBy: 'target',
  samplesResources: true,
  params: z.strictObject({
    ...selectionShape,
    workers: z.int().min(1).max(16).default(1).describe('stress-ng CPU workers (default 1).'),
    load: z.int().min(1).max(100).default(100).describe('Percent of a core each worker tries to use (default 100).'),
    duration: durationSchema.describe('How long the stress runs; it ends by itself then, even if rebound dies.'),
  }),
  docker: {
    does: "stress-ng `--cpu workers --cpu-load load` in a helper container whose cgroup is a child of the container's (`--cgroup-parent`), so its `--cpus` holds both; ends by itself at `duration`",
    rollback: 'stop the helper (the stress ends with it)',
    undo: stopHelpersUndo,
  },
  kubernetes: {
    does: "stress-ng from the fault-tools image, run by a transient systemd unit in the pod's kind node and moved into the pod container's cgroups, so its CPU limit holds both; ends by itself at `duration`; kind only",
    rollback: 'stop the unit (the stress ends with it)',
    undo: stopNodeHelpersUndo,
  },
  durationOf: (params) => params.duration,
});
