import { z } from 'zod';
import { durationSchema } from '../../common/schema-primitives.js';
import { defineFault } from '../fault-module.js';
import { selectionShape } from '../selection.js';
import { controllerReplacesUndo, startContainersUndo } from '../undo-records.js';

export const kill = defineFault({
  name: 'kill',
  summary: 'Docker: `docker kill`, a manual stop (the restart policy does NOT apply). Kubernetes: pod delete.',
  actsOn: 'instances',
  drivenBy: 'target',
  params: z.strictObject({
    ...selectionShape,
    gracePeriod: durationSchema.prefault(0).describe('Kubernetes pod deletion grace period (default 0).'),
  }),
  docker: { does: '`docker kill` (a manual stop: no restart)', rollback: 'start it if still down', undo: startContainersUndo },
  kubernetes: { does: 'pod delete with `gracePeriod`; the controller creates a replacement', rollback: 'nothing to undo (the controller replaces it)', undo: controllerReplacesUndo },
});
