import { z } from 'zod';
import { formatDuration } from '../common/duration.js';
import { durationSchema } from '../common/schema-primitives.js';
import type { AssertionDefinition } from './assertion.js';
import { compare } from './comparator.js';
import { comparatorSchema } from './comparator-schema.js';
import { type RolloutFigures, rolloutFigures } from './rollout-figures.js';
import type { Verdict } from './verdict.js';

export const rolloutParams = z
  .strictObject({
    completes: durationSchema.optional().describe('The rollout completes (every instance runs the new release and is ready) within this long of its start.'),
    stalls: durationSchema.optional().describe('The engine reports the rollout stalled (Kubernetes: ProgressDeadlineExceeded) within this long of its start, and it never completes.'),
    maxFailed: z.int().min(0).optional().describe('Most probe and load requests allowed to fail during the rollout (its start → its rollback or the end of observation).'),
    maxOutage: durationSchema.optional().describe('Longest span without a successful answer during the rollout.'),
    previousVersionShare: comparatorSchema('ratio', '>=').optional().describe('Share of the probe requests during the rollout answered by the version that answered before it, e.g. ">= 99%" (a failure counts against it).'),
    rolledBackWithin: durationSchema.optional().describe('After the rollback starts, only the previous version answers and the steady state holds again within this long (needs rollout.duration: the rollback must happen while the run observes).'),
    fault: z.int().min(0).optional().describe('Index of the rollout fault to judge (default: the first).'),
  })
  .refine((params) => Object.keys(params).some((key) => key !== 'fault'), { message: 'say what to check: completes, stalls, maxFailed, maxOutage, previousVersionShare or rolledBackWithin' });

type Params = z.output<typeof rolloutParams>;
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;

/** The figures as a sentence: what a person reads under the verdict. */
export function rolloutSummary(figures: RolloutFigures): string {
  const parts = [
    figures.completedMs !== null ? `complete ${formatDuration(figures.completedMs)} after it started` : figures.stalledMs !== null ? `stalled (ProgressDeadlineExceeded) ${formatDuration(figures.stalledMs)} after it started` : 'not complete',
    `${figures.failed + figures.loadFailed} failed requests, longest outage ${formatDuration(figures.longestOutageMs)}`,
    ...(figures.previousShare !== null ? [`${percent(figures.previousShare)} answered by ${figures.previousVersions.join('/')}`] : []),
    ...(figures.rollbackAt !== null ? [figures.rolledBackMs === null ? 'the previous version not fully back before observation ended' : `rolled back ${formatDuration(figures.rolledBackMs)} after the rollback began`] : []),
  ];
  return parts.join('; ');
}

export const rollout: AssertionDefinition<Params> = {
  name: 'rollout',
  summary: 'A rollout, measured: completed or stalled in time, failed requests and outage while it ran, who answered, time to roll back.',
  params: rolloutParams,
  evaluate(entries, params, context) {
    const all = rolloutFigures(entries, context.settleMs);
    const figures = params.fault === undefined ? all[0] : all.find((candidate) => candidate.fault === params.fault);
    const { measured, unit } = headline(params, figures);
    const base = { name: 'rollout', unit, threshold: thresholdText(params) };
    if (figures === undefined) {
      return { ...base, passed: false, measured: null, explanation: 'no rollout fault was injected (see fault-failed entries)' };
    }
    const failures: string[] = [];
    if (params.completes !== undefined && (figures.completedMs === null || figures.completedMs > params.completes)) {
      failures.push(figures.completedMs === null ? 'the rollout did not complete' : `completed only after ${formatDuration(figures.completedMs)}`);
    }
    if (params.stalls !== undefined) {
      if (figures.completedMs !== null) failures.push('the rollout completed: nothing stalled it (the new release replaced every instance)');
      else if (figures.stalledMs === null || figures.stalledMs > params.stalls) failures.push(figures.stalledMs === null ? 'the engine never reported the rollout stalled' : `stall reported only after ${formatDuration(figures.stalledMs)}`);
    }
    const failed = figures.failed + figures.loadFailed;
    if (params.maxFailed !== undefined && failed > params.maxFailed) failures.push(`${failed} requests failed`);
    if (params.maxOutage !== undefined && figures.longestOutageMs > params.maxOutage) failures.push(`longest outage ${formatDuration(figures.longestOutageMs)}`);
    if (params.previousVersionShare !== undefined && (figures.previousShare === null || !compare(figures.previousShare, params.previousVersionShare))) {
      failures.push(figures.previousShare === null ? 'no answer named its version' : `the previous version answered ${percent(figures.previousShare)}`);
    }
    if (params.rolledBackWithin !== undefined && (figures.rolledBackMs === null || figures.rolledBackMs > params.rolledBackWithin)) {
      failures.push(figures.rollbackAt === null ? 'no rollback during observation (set rollout.duration)' : figures.rolledBackMs === null ? 'the previous version was not back before observation ended' : `rolled back only after ${formatDuration(figures.rolledBackMs)}`);
    }
    const summary = rolloutSummary(figures);
    return {
      ...base,
      passed: failures.length === 0,
      measured,
      details: {
        completedMs: figures.completedMs,
        stalledMs: figures.stalledMs,
        failedRequests: failed,
        longestOutageMs: figures.longestOutageMs,
        previousVersionShare: figures.previousShare,
        newVersionShareAtEnd: figures.newShareAtEnd,
        rolledBackMs: figures.rolledBackMs,
        undoMs: figures.undoMs === null ? null : Math.round(figures.undoMs),
        previousVersions: figures.previousVersions.join(', '),
      },
      explanation: failures.length === 0 ? summary : `${failures.join('; ')} — ${summary}`,
    };
  },
};

/** The verdict's one number: the first thing the parameters ask about. */
function headline(params: Params, figures: RolloutFigures | undefined): Pick<Verdict, 'measured' | 'unit'> {
  if (params.completes !== undefined) return { measured: figures?.completedMs ?? null, unit: 'ms' };
  if (params.stalls !== undefined) return { measured: figures?.stalledMs ?? null, unit: 'ms' };
  if (params.rolledBackWithin !== undefined) return { measured: figures?.rolledBackMs ?? null, unit: 'ms' };
  if (params.previousVersionShare !== undefined) return { measured: figures?.previousShare ?? null, unit: 'ratio' };
  if (params.maxOutage !== undefined) return { measured: figures?.longestOutageMs ?? null, unit: 'ms' };
  return { measured: figures === undefined ? null : figures.failed + figures.loadFailed, unit: 'count' };
}

function thresholdText(params: Params): string {
  return [
    ...(params.completes !== undefined ? [`completes <= ${formatDuration(params.completes)}`] : []),
    ...(params.stalls !== undefined ? [`stalls <= ${formatDuration(params.stalls)}`] : []),
    ...(params.maxFailed !== undefined ? [`failed <= ${params.maxFailed}`] : []),
    ...(params.maxOutage !== undefined ? [`outage <= ${formatDuration(params.maxOutage)}`] : []),
    ...(params.previousVersionShare !== undefined ? [`previous version ${params.previousVersionShare.text}`] : []),
    ...(params.rolledBackWithin !== undefined ? [`rolled back <= ${formatDuration(params.rolledBackWithin)}`] : []),
  ].join(', ');
}
