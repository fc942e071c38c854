import { z } from 'zod';
import type { AssertionDefinition } from './assertion.js';
import { compare } from './comparator.js';
import { comparatorSchema } from './comparator-schema.js';
import { trafficFigures } from './traffic-figures.js';

export const balanceParams = z.strictObject({
  maxShare: comparatorSchema('ratio', '<=').optional().describe('Largest share of answered requests one instance may take during chaos, e.g. "<= 50%".'),
  minInstances: z.int().min(1).optional().describe('At least this many distinct instances must answer during chaos.'),
});

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;

/**
 * Load balancing from the answering instance of each request (the X-Instance header or the body's
 * instance name): the largest share one instance took during chaos and how many answered at all.
 */
export const balance: AssertionDefinition<z.output<typeof balanceParams>> = {
  name: 'balance',
  summary: 'Load balancing: share of answered requests per instance during chaos (probe and load), and how many instances answered.',
  params: balanceParams,
  evaluate(entries, params) {
    const { byInstance } = trafficFigures(entries);
    const counts = Object.entries(byInstance).sort((a, b) => b[1] - a[1]);
    const total = counts.reduce((sum, [, count]) => sum + count, 0);
    const threshold = [params.maxShare && `largest share ${params.maxShare.text}`, params.minInstances !== undefined && `>= ${params.minInstances} instances`].filter(Boolean).join(', ') || 'report only';
    if (total === 0) {
      return { name: 'balance', passed: false, measured: null, unit: 'ratio', threshold, explanation: 'no answer named its instance during chaos (the app must send X-Instance or answer "instance <name>")' };
    }
    const [busiest, busiestCount] = counts[0]!;
    const share = busiestCount / total;
    const failures: string[] = [];
    if (params.maxShare && !compare(share, params.maxShare)) failures.push(`${busiest} took ${percent(share)}`);
    if (params.minInstances !== undefined && counts.length < params.minInstances) failures.push(`only ${counts.length} instance${counts.length === 1 ? '' : 's'} answered`);
    const spread = counts.map(([instance, count]) => `${instance} ${percent(count / total)}`).join(', ');
    return {
      name: 'balance',
      passed: failures.length === 0,
      measured: share,
      unit: 'ratio',
      threshold,
      details: { instances: counts.length, answered: total, busiest, ...Object.fromEntries(counts.map(([instance, count]) => [`share:${instance}`, count / total])) },
      explanation: `${failures.length > 0 ? `${failures.join('; ')} — ` : ''}${total} answers from ${counts.length} instance${counts.length === 1 ? '' : 's'}: ${spread}`,
    };
  },
};
