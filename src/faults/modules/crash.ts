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
    does: 'SIGKILL through the kind node (`crictl inspect` + `kill -9`); without node access (or `kubernetes.instanceFaults: ephemeral`) an ephemeral container in its PID namespace ends it (SIGKILL if the pod shares that namespace, else SIGQUIT/SIGABRT when the app handles it: Go exits with code 2); the kubelet restarts the container',
    rollback: 'nothing to undo (the kubelet restarts it); reports each restartCount and the ephemeral helpers, which stay in the pod spec until the pod goes',
    undo: z.object({
      action: z.literal('kubelet-restarts'),
      namespace: z.string(),
      pods: z.array(
        z.object({
          pod: z.string(),
          container: z.string(),
          restartCount: z.int(),
          // The ephemeral container that crashed it (absent: through the node). It cannot be removed.
          helper: z.string().optional(),
        }),
      ),
    }),
  },
});
