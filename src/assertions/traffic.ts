import { z } from 'zod';
import { formatDuration } from '../common/duration.js';
import { durationSchema } from '../common/schema-primitives.js';
import type { AssertionDefinition } from './assertion.js';
import { compare } from './comparator.js';
import { comparatorSchema } from './comparator-schema.js';
import { entriesOf } from '../timeline/timeline.js';
import { trafficFigures } from './traffic-figures.js';

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
  from: durationSchema.optional().describe('Judge only the traffic sent from this instant (from run start) on, e.g. once a scale-out had time to act; default: the first fault.'),
  to: durationSchema.optional().describe('… and before this instant (default: the end of observation).'),
});

const percent = (ratio: number) => `${(ratio * 100).toFixed(2)} %`;

export const traffic: AssertionDefinition<z.output<typeof trafficParams>> = {
  name: 'traffic',
  summary: 'Traffic continuity during chaos: success ratio, longest outage, errors, latency vs baseline.',
  params: trafficParams,
  evaluate(entries, params) {
    const figures = trafficFigures(entries, { ...(params.from !== undefined && { from: params.from }), ...(params.to !== undefined && { to: params.to }) });
    const outage = figures.longestOutage;
    const details = {
      sent: figures.sent,
      ok: figures.ok,
      failed: figures.failed,
      successRatio: figures.successRatio,
      longestOutageMs: outage?.ms ?? 0,
      outageStillOpen: outage?.open ?? false,
      p50Ms: figures.latency.p50,
      p95Ms: figures.latency.p95,
      p99Ms: figures.latency.p99,
      baselineP50Ms: figures.baselineLatency.p50,
      baselineP99Ms: figures.baselineLatency.p99,
      loadSent: figures.load.sent,
      loadFailed: figures.load.failed,
      ...(figures.load.sent > 0 && { loadP50Ms: figures.load.latency?.p50 ?? null, loadP99Ms: figures.load.latency?.p99 ?? null }),
    };
    const thresholds: string[] = [];
    const failures: string[] = [];
    if (figures.sent === 0) {
      return { name: 'traffic', passed: false, measured: null, unit: 'ratio', threshold: 'probe traffic during chaos', details, explanation: 'no probe request was sent during chaos (no system.url, or no fault injected)' };
    }
    if (params.successRate) {
      thresholds.push(`success ${params.successRate.text}`);
      if (!compare(figures.successRatio!, params.successRate)) failures.push(`success ${percent(figures.successRatio!)}`);
    }
    if (params.maxOutage !== undefined) {
      thresholds.push(`outage <= ${formatDuration(params.maxOutage)}`);
      if ((outage?.ms ?? 0) > params.maxOutage) failures.push(`longest outage ${formatDuration(outage!.ms)}${outage!.open ? ' (still out at the end)' : ''}`);
    }
    if (params.maxErrors !== undefined) {
      thresholds.push(`errors <= ${params.maxErrors}`);
      if (figures.failed > params.maxErrors) failures.push(`${figures.failed} errors`);
    }
    for (const key of ['p50', 'p95', 'p99'] as const) {
      const limit = params[key];
      if (!limit) continue;
      const measured = figures.latency[key];
      const base = figures.baselineLatency[key];
      const allowed = limit.kind === 'absolute' ? limit.ms : base === null ? null : base * limit.factor;
      thresholds.push(`${key} ${limit.text}`);
      if (measured !== null && allowed !== null && measured > allowed) failures.push(`${key} ${formatDuration(measured)} > ${formatDuration(allowed)}`);
    }
    const during = params.from !== undefined || params.to !== undefined ? `from ${formatDuration(params.from ?? 0)}${params.to !== undefined ? ` to ${formatDuration(params.to)}` : ''}: ` : '';
    const summary = `${during}${figures.ok}/${figures.sent} ok (${percent(figures.successRatio!)}), longest outage ${formatDuration(outage?.ms ?? 0)}${outage?.open ? ' (still out at the end)' : ''}, p99 ${figures.latency.p99 === null ? 'n/a' : formatDuration(figures.latency.p99)}`;
    return {
      name: 'traffic',
      passed: failures.length === 0,
      measured: figures.successRatio,
      unit: 'ratio',
      threshold: thresholds.join(', ') || 'report only',
      details,
      explanation: failures.length === 0 ? summary : `${failures.join('; ')} — ${summary}${networkEffects(entries)}`,
    };
  },
};

/**
 * What the run's network faults did to the traffic, from their facts ("30 % of packets dropped:
 * TCP retransmits them, so requests come late or time out"): a failed traffic verdict during a
 * network fault says why the probe saw what it saw.
 */
function networkEffects(entries: Parameters<typeof entriesOf>[0]): string {
  const effects = entriesOf(entries, 'fault-injected').flatMap((entry) => (entry.data.facts?.network ? [`${entry.data.name}: ${entry.data.facts.network.effect}`] : []));
  return effects.length > 0 ? `; during ${[...new Set(effects)].join('; ')}` : '';
}
