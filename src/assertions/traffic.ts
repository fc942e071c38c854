import { z } from 'zod';
import { durationSchema } from '../faults/catalog.js';
import type { AssertionDefinition } from './assertion.js';
import { comparatorSchema } from './comparator-schema.js';

/** "<= 300ms" (absolute) or "<= 3x baseline" (relative to the same percentile before the first fault). */
export const latencyLimitSchema = z.string().transform((value, context) => {
  const relative = /^\s*(?:<=\s*)?(\d+(?:\.\d+)?)\s*x(?:\s*baseline)?\s*$/.exec(value);
  if (relative) return { kind: 'relative' as const, factor: Number(relative[1]), text: value.trim() };
  const absolute = comparatorSchema('ms', '<=').safeParse(value);
  if (absolute.success) return { kind: 'absolute' as const, ms: absolute.data.value, text: absolute.data.text };
  context.addIssue({ code: 'custom', message: `expected "<= 300ms" or "<= 3x baseline", got ${JSON.stringify(value)}` });
  return z.NEVER;
});

export const trafficParams = z.strictObject({
  successRate: comparatorSchema('ratio', '>=').optional().describe('Share of probe requests answered 2xx/3xx during chaos, e.g. ">= 99%".'),
  maxOutage: durationSchema.optional().describe('Longest span without a successful answer during chaos, e.g. "2s".'),
  maxErrors: z.int().min(0).optional().describe('Most failed probe requests allowed during chaos.'),
  p50: latencyLimitSchema.optional(),
  p95: latencyLimitSchema.optional(),
  p99: latencyLimitSchema.optional().describe('Latency percentile limit: "<= 300ms" or "<= 3x baseline".'),
});

export const traffic: AssertionDefinition<z.output<typeof trafficParams>> = {
  name: 'traffic',
  summary: 'Traffic continuity during chaos: success ratio, longest outage, errors, latency vs baseline.',
  params: trafficParams,
  evaluate() {
    throw new Error('traffic: not implemented yet');
  },
};
