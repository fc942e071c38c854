import { z } from 'zod';
import { durationSchema } from '../../common/schema-primitives.js';
import { defineFault } from '../fault-module.js';

export const drainNode = defineFault({
  name: 'drain-node',
  summary: 'Cordon + Eviction API for every evictable pod, honouring PodDisruptionBudgets; rollback uncordons.',
  actsOn: 'hosts',
  drivenBy: 'target',
  params: z.strictObject({
    node: z.string().optional().describe('Node name; default: the worker holding the most selected pods.'),
    timeout: durationSchema.prefault(120).describe('Give up evicting (429 from a PDB is retried) after this long (default 120s).'),
  }),
  docker: { unsupported: 'a Docker host has no scheduler to move containers to another host' },
  kubernetes: {
    does: 'cordon + Eviction API for the pods of the namespace on the node, honouring PDBs (429 retried until `timeout`)',
    rollback: 'uncordon (unless it was cordoned before)',
    undo: z.object({
      action: z.literal('uncordon'),
      node: z.string(),
      /** false until rebound is about to cordon a node that was schedulable: a node cordoned by someone else stays cordoned. */
      cordonedByRebound: z.boolean(),
    }),
  },
});
