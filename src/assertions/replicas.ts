import { z } from 'zod';
import { durationSchema } from '../faults/catalog.js';
import type { AssertionDefinition } from './assertion.js';
import { comparatorSchema } from './comparator-schema.js';

export const replicasParams = z.strictObject({
  ready: comparatorSchema('count', '>=').optional().describe('Ready replicas at the end, e.g. ">= 3" (default: >= desired).'),
  minDuringChaos: comparatorSchema('count', '>=').optional().describe('Lowest ready count allowed during chaos, e.g. ">= 2".'),
  within: durationSchema.optional().describe('Ready back to desired within this long after each fault.'),
});

export const replicas: AssertionDefinition<z.output<typeof replicasParams>> = {
  name: 'replicas',
  summary: 'Ready vs desired replicas: minimum during chaos, final count, time to restore.',
  params: replicasParams,
  evaluate() {
    throw new Error('replicas: not implemented yet');
  },
};
