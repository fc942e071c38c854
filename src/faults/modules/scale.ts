import { z } from 'zod';
import { defineFault } from '../fault-module.js';
import { recordedContainer } from '../undo-records.js';

export const scale = defineFault({
  name: 'scale',
  summary: 'Sets the replica count (Deployment/StatefulSet; Docker: starts or removes labelled containers); rollback restores it.',
  actsOn: 'system',
  drivenBy: 'target',
  params: z.strictObject({ replicas: z.int().min(0).max(1000).describe('The new replica count.') }),
  docker: {
    does: 'starts clones of the oldest container (no published port) or removes the newest: no replica controller',
    rollback: 'remove the clones / re-create the removed containers',
    // Clone names are journalled before each clone is created, removed containers' configuration before each removal.
    undo: z.object({ action: z.literal('restore-count'), before: z.int().min(0), clones: z.array(z.string()), removed: z.array(recordedContainer) }),
  },
  kubernetes: {
    does: "patches the owner's `spec.replicas`",
    rollback: 'restore the previous count',
    undo: z.object({
      action: z.literal('restore-replicas'),
      namespace: z.string(),
      /** Unknown until the owner was read: then nothing was patched yet. */
      owner: z.object({ kind: z.enum(['Deployment', 'StatefulSet', 'ReplicaSet']), name: z.string() }).nullable(),
      replicas: z.int().min(0).nullable(),
    }),
  },
});
