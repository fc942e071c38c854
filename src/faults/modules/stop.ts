import { z } from 'zod';
import { durationSchema } from '../../common/schema-primitives.js';
import { defineFault } from '../fault-module.js';
import { selectionShape } from '../selection.js';
import { controllerReplacesUndo, startContainersUndo } from '../undo-records.js';

export const stop = defineFault({
  name: 'stop',
  summary: 'Graceful stop (SIGTERM, then SIGKILL after the timeout); a manual stop, no restart on Docker.',
  actsOn: 'instances',
  drivenBy: 'target',
  params: z.strictObject({ ...selectionShape, timeout: durationSchema.prefault(10).describe('Grace before SIGKILL (default 10s).') }),
  docker: { does: '`docker stop` (a manual stop: no restart)', rollback: 'start it', undo: startContainersUndo },
  kubernetes: { does: 'pod delete with `timeout` as grace period', rollback: 'nothing to undo (the controller replaces it)', undo: controllerReplacesUndo },
});
