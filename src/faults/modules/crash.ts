import { z } from 'zod';
import { defineFault } from '../fault-module.js';
import { selectionShape } from '../selection.js';
import { startContainersUndo } from '../undo-records.js';

export const crash = defineFault({
  name: 'crash',
  summary: "SIGKILL of the main process: Docker's restart policy applies; the kubelet restarts the container.",
  actsOn: 'instances',
  drivenBy: 'target',
  params: z.strictObject({ ...selectionShape }),
  docker: {
    does: 'SIGKILL of the main process from the host (`State.Pid`): the restart policy applies',
    rollback: 'start it if still down at the end',
    undo: startContainersUndo,
  },
  kubernetes: {
    does: 'SIGKILL through the kind node (`crictl inspect` + `kill -9`): the kubelet restarts the container; needs node access',
    rollback: 'nothing to undo (the kubelet restarts it); reports each restartCount',
    undo: z.object({
      action: z.literal('kubelet-restarts'),
      namespace: z.string(),
      pods: z.array(z.object({ pod: z.string(), container: z.string(), restartCount: z.int() })),
    }),
  },
});
