import { z } from 'zod';
import { durationSchema } from '../faults/catalog.js';
import type { AssertionDefinition } from './assertion.js';

export const recoveryTimeParams = z.strictObject({
  max: durationSchema.describe('Longest acceptable recovery time, e.g. "15s".'),
  fault: z.int().min(0).optional().describe('Index of the fault to measure from (default: every fault; the worst counts).'),
});

export const recoveryTime: AssertionDefinition<z.output<typeof recoveryTimeParams>> = {
  name: 'recoveryTime',
  summary: 'Time from a fault until ready replicas >= desired and the probe succeeds, held for the settle period.',
  params: recoveryTimeParams,
  evaluate() {
    throw new Error('recoveryTime: not implemented yet');
  },
};
