import { z } from 'zod';
import { durationSchema } from '../../common/schema-primitives.js';
import { defineFault } from '../fault-module.js';
import { selectionShape } from '../selection.js';
import { unpauseContainersUndo } from '../undo-records.js';

export const pause = defineFault({
  name: 'pause',
  summary: 'Freezes every process of the instance for `duration` (cgroup freezer); rollback unpauses.',
  actsOn: 'instances',
  drivenBy: 'target',
  params: z.strictObject({ ...selectionShape, duration: durationSchema.describe('How long to stay paused.') }),
  docker: { does: '`docker pause` (cgroup freezer): requests hang until unpause', rollback: 'unpause after `duration`', undo: unpauseContainersUndo },
  kubernetes: { unsupported: 'Kubernetes has no pause; use fail-node with mode: pause on kind' },
  durationOf: (params) => params.duration,
});
