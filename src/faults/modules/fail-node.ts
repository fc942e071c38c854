import { z } from 'zod';
import { durationSchema } from '../../common/schema-primitives.js';
import { defineFault } from '../fault-module.js';
import { startContainersUndo } from '../undo-records.js';

export const failNode = defineFault({
  name: 'fail-node',
  summary: "A kind node's container stopped or paused; rollback starts or unpauses it.",
  actsOn: 'hosts',
  drivenBy: 'target',
  params: z.strictObject({
    node: z.string().optional().describe('Node name; default: the worker holding the most selected pods.'),
    mode: z.enum(['stop', 'pause']).default('stop').describe('stop: a power cut (docker stop -t 0); pause: a frozen node (docker pause).'),
    duration: durationSchema.optional().describe('Bring the node back after this long (default: at the end of the run).'),
  }),
  docker: {
    does: 'the Docker host itself cannot be failed: every selected container is stopped, and stays down',
    rollback: 'start them',
    undo: startContainersUndo,
  },
  kubernetes: {
    does: 'the kind node\'s container stopped (`docker stop -t 0`) or paused; kind only',
    rollback: 'start / unpause it and wait until the node is Ready',
    undo: z.object({
      action: z.literal('bring-node-back'),
      node: z.string(),
      /** false until rebound is about to stop or pause the node: a node someone else stopped is left alone. */
      failedByRebound: z.boolean(),
    }),
  },
  durationOf: (params) => params.duration,
});
