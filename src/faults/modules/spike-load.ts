import { z } from 'zod';
import { durationSchema, rateSchema } from '../../common/schema-primitives.js';
import { defineFault } from '../fault-module.js';

const stopLoad = z.object({ action: z.literal('stop-load') });

export const spikeLoad = defineFault({
  name: 'spike-load',
  summary: 'Sends extra load at `rate` for `duration` through the shared load generator (loopback only).',
  actsOn: 'system',
  drivenBy: 'runner',
  params: z.strictObject({
    rate: rateSchema,
    duration: durationSchema,
    connections: z.int().min(1).max(1000).default(50),
    keepAlive: z.boolean().optional().describe('Reuse connections (default true). false: a new connection per request, so a Kubernetes Service spreads the extra load over every pod.'),
  }),
  docker: { does: 'extra load through the load generator', rollback: 'stop the load', undo: stopLoad },
  kubernetes: { does: 'extra load through the load generator', rollback: 'stop the load', undo: stopLoad },
  afterDeath: 'the extra load ran in the rebound process and ended with it',
  durationOf: (params) => params.duration,
});
