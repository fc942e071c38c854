import { z } from 'zod';
import { formatDuration } from '../common/duration.js';
import { durationSchema } from '../common/schema-primitives.js';
import type { AssertionDefinition } from './assertion.js';
import { runWindows } from './chaos-window.js';
import { explainStayedDown } from './explain-down.js';
import { recoveryInstant } from './steady-state.js';

export const recoveryTimeParams = z.strictObject({
  max: durationSchema.describe('Longest acceptable recovery time, e.g. "15s".'),
  fault: z.int().min(0).optional().describe('Index of the fault to measure from (default: every fault; the worst counts).'),
});

/**
 * Recovery time of each injected fault (null: not recovered), in injection order. `end` defaults to
 * the end of observation; a run still in progress passes the instant up to which its timeline is complete.
 */
export function recoveryTimes(entries: Parameters<typeof runWindows>[0], settleMs: number, fault?: number, end?: number) {
  const windows = runWindows(entries);
  return windows.injections
    .filter((injection) => fault === undefined || injection.fault === fault)
    .map((injection) => {
      const instant = recoveryInstant(entries, injection.t, settleMs, end ?? windows.end);
      return { fault: injection.fault, name: injection.name, t: injection.t, injectionMs: injection.injectionMs, ms: instant === undefined ? null : instant - injection.t };
    });
}

export const recoveryTime: AssertionDefinition<z.output<typeof recoveryTimeParams>> = {
  name: 'recoveryTime',
  summary: 'Time from a fault until ready replicas >= desired and the probe succeeds, held for the settle period.',
  params: recoveryTimeParams,
  evaluate(entries, params, context) {
    const threshold = `<= ${formatDuration(params.max)}`;
    const times = recoveryTimes(entries, context.settleMs, params.fault);
    const base = { name: 'recoveryTime', unit: 'ms' as const, threshold };
    if (times.length === 0) {
      return { ...base, passed: false, measured: null, explanation: 'no fault was injected, so there is nothing to recover from (see fault-failed entries)' };
    }
    // Per fault: its recovery time (from the injection's start) and how long the injection itself took.
    const details = Object.fromEntries(
      times.flatMap((time, index) => [
        [`fault${time.fault}#${index}`, time.ms],
        [`fault${time.fault}#${index}.injectionMs`, Math.round(time.injectionMs * 10) / 10],
      ]),
    );
    const never = times.find((time) => time.ms === null);
    if (never) {
      const why = explainStayedDown(entries);
      return { ...base, passed: false, measured: null, details, explanation: `not recovered after ${never.name} before the run ended${why ? `: ${why}` : ''}` };
    }
    const worst = times.reduce((slowest, time) => (time.ms! > slowest.ms! ? time : slowest));
    const passed = worst.ms! <= params.max;
    // Measured from the injection's start; how long the injection itself took is said beside it.
    const injection = worst.injectionMs >= 1 ? `; the injection itself took ${formatDuration(worst.injectionMs)}` : '';
    const what = worst.ms === 0 ? 'the steady state was never visibly broken (recovery time 0)' : `recovered ${formatDuration(worst.ms!)} after the fault started`;
    return { ...base, passed, measured: worst.ms, details, explanation: `${what}${injection} (limit ${formatDuration(params.max)})` };
  },
};
