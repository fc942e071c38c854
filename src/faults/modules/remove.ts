import { z } from 'zod';
import { defineFault } from '../fault-module.js';
import { selectionShape } from '../selection.js';
import { controllerReplacesUndo, recordedContainer } from '../undo-records.js';

export const remove = defineFault({
  name: 'remove',
  summary: 'Force-removes the container (Docker); rollback recreates it from its recorded configuration.',
  actsOn: 'instances',
  drivenBy: 'target',
  params: z.strictObject({ ...selectionShape }),
  docker: {
    does: '`docker rm -f`, after recording the container\'s configuration in the journal',
    rollback: 're-create it from the recorded configuration (name, labels, env, restart policy, ports, networks) and start it',
    // Each container's configuration is journalled before it is removed.
    undo: z.object({ action: z.literal('recreate'), containers: z.array(recordedContainer) }),
  },
  kubernetes: { does: 'pod delete with grace 0 (same as kill)', rollback: 'nothing to undo (the controller replaces it)', undo: controllerReplacesUndo },
});
