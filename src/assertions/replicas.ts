import { z } from 'zod';
import { formatDuration } from '../common/duration.js';
import { durationSchema } from '../common/schema-primitives.js';
import type { AssertionDefinition } from './assertion.js';
import { runWindows } from './chaos-window.js';
import { compare } from './comparator.js';
import { comparatorSchema } from './comparator-schema.js';
import { explainStayedDown } from './explain-down.js';
import { replicasAt, replicaSteps } from './steady-state.js';

export const replicasParams = z.strictObject({
  ready: comparatorSchema('count', '>=').optional().describe('Ready replicas at the end, e.g. ">= 3" (default: >= desired).'),
  minDuringChaos: comparatorSchema('count', '>=').optional().describe('Lowest ready count allowed during chaos, e.g. ">= 2".'),
  within: durationSchema.optional().describe('Ready back to desired within this long after each fault.'),
});

/** Minimum ready during chaos, final ready/desired, and time back to desired after the first fault. */
export function replicaFigures(entries: Parameters<typeof runWindows>[0]) {
  const windows = runWindows(entries);
  const steps = replicaSteps(entries);
  const start = windows.chaosStart ?? windows.end;
  const during = steps.filter((step) => step.t >= start && step.t <= windows.end);
  const atStart = replicasAt(steps, start);
  const final = replicasAt(steps, windows.end);
  const minReady = Math.min(...[atStart, ...during].filter((step) => step !== undefined).map((step) => step!.ready));
  // Time to restore: from the first fault to the last moment ready climbed back to >= desired and stayed.
  let restoredAt: number | undefined;
  for (const step of [atStart, ...during]) {
    if (!step) continue;
    if (step.ready >= step.desired) restoredAt ??= Math.max(step.t, start);
    else restoredAt = undefined;
  }
  const brokeAtAll = [atStart, ...during].some((step) => step && step.ready < step.desired);
  return {
    minReady: Number.isFinite(minReady) ? minReady : null,
    finalReady: final?.ready ?? null,
    desired: final?.desired ?? atStart?.desired ?? null,
    timeToRestore: restoredAt === undefined ? null : brokeAtAll ? restoredAt - start : 0,
  };
}

export const replicas: AssertionDefinition<z.output<typeof replicasParams>> = {
  name: 'replicas',
  summary: 'Ready vs desired replicas: minimum during chaos, final count, time to restore.',
  params: replicasParams,
  evaluate(entries, params) {
    const figures = replicaFigures(entries);
    const details = { minReadyDuringChaos: figures.minReady, finalReady: figures.finalReady, desired: figures.desired, timeToRestoreMs: figures.timeToRestore };
    const failures: string[] = [];
    const thresholds: string[] = [];
    const finalText = params.ready?.text ?? `>= ${figures.desired ?? '?'} (desired)`;
    thresholds.push(`final ${finalText}`);
    const finalOk = figures.finalReady !== null && (params.ready ? compare(figures.finalReady, params.ready) : figures.desired !== null && figures.finalReady >= figures.desired);
    if (!finalOk) failures.push(`final ready ${figures.finalReady ?? 'unknown'}, wanted ${finalText}`);
    if (params.minDuringChaos) {
      thresholds.push(`min during chaos ${params.minDuringChaos.text}`);
      if (figures.minReady === null || !compare(figures.minReady, params.minDuringChaos)) failures.push(`ready fell to ${figures.minReady ?? '?'} during chaos, wanted ${params.minDuringChaos.text}`);
    }
    if (params.within !== undefined) {
      thresholds.push(`restored within ${formatDuration(params.within)}`);
      if (figures.timeToRestore === null || figures.timeToRestore > params.within) failures.push(figures.timeToRestore === null ? 'never back to desired' : `back to desired after ${formatDuration(figures.timeToRestore)}`);
    }
    const onlyMin = params.minDuringChaos !== undefined && params.ready === undefined && params.within === undefined;
    const measured = onlyMin ? figures.minReady : figures.finalReady;
    const base = { name: 'replicas', unit: 'count' as const, threshold: thresholds.join(', '), measured, details };
    if (failures.length === 0) {
      return { ...base, passed: true, explanation: `ready ${figures.finalReady}/${figures.desired} at the end, lowest ${figures.minReady} during chaos${figures.timeToRestore ? `, restored after ${formatDuration(figures.timeToRestore)}` : ''}` };
    }
    const why = explainStayedDown(entries);
    return { ...base, passed: false, explanation: `${failures.join('; ')}${why ? `: ${why}` : ''}` };
  },
};
