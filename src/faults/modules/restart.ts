import { z } from 'zod';
import { durationSchema } from '../../common/schema-primitives.js';
import { defineFault } from '../fault-module.js';
import { selectionShape } from '../selection.js';
import { startContainersUndo } from '../undo-records.js';

export const restart = defineFault({
  name: 'restart',
  summary: 'Graceful restart of the instance (docker restart; Kubernetes: not supported, use kill).',
  actsOn: 'instances',
  drivenBy: 'target',
  params: z.strictObject({ ...selectionShape, timeout: durationSchema.prefault(10).describe('Grace before SIGKILL (default 10s).') }),
  docker: { does: '`docker restart`', rollback: 'start it if still down', undo: startContainersUndo },
  kubernetes: { unsupported: 'a pod is not restarted in place; use kill or crash' },
});
