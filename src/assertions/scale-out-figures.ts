import { entriesOf, type TimelineEntry } from '../timeline/timeline.js';
import { runWindows } from './chaos-window.js';
import { replicasAt, replicaSteps } from './steady-state.js';

/** How an autoscaler answered a load rise, in ms after it (the first fault: the spike-load). Null: did not happen. */
export interface ScaleOutFigures {
  /** t of the load rise. */
  loadRiseAt: number;
  /** Desired replicas when the load rose. */
  initialDesired: number;
  /** Until the first autoscaler entry asking for more than initialDesired, as rebound saw it. */
  firstDecisionMs: number | null;
  /** The same from the autoscaler's own status.lastScaleTime (1 s precision). */
  firstDecisionEngineMs: number | null;
  /** What that first decision asked for. */
  firstDesired: number | null;
  /** Until ready replicas reached firstDesired. */
  firstReadyMs: number | null;
  /** The most the autoscaler asked for before the observation ended, and until ready reached it. */
  maxDesired: number | null;
  maxReadyMs: number | null;
  /** Ready replicas when the observation ended. */
  finalReady: number | null;
}

/**
 * Scale-out figures of a run with an autoscaler entry (Kubernetes with deploy.autoscale), measured
 * from the first fault, which for these experiments is the load rising; undefined without a fault
 * or without autoscaler entries.
 */
export function scaleOutFigures(entries: readonly TimelineEntry[]): ScaleOutFigures | undefined {
  const windows = runWindows(entries);
  const autoscaler = entriesOf(entries, 'autoscaler');
  if (windows.chaosStart === undefined || autoscaler.length === 0) return undefined;
  const rise = windows.chaosStart;
  const steps = replicaSteps(entries).filter((step) => step.t <= windows.end);
  const initialDesired = replicasAt(steps, rise)?.desired ?? autoscaler[0]!.data.min;
  const during = autoscaler.filter((entry) => entry.t >= rise && entry.t <= windows.end);
  const first = during.find((entry) => entry.data.desired > initialDesired);
  const wallClockAtZero = entriesOf(entries, 'run-started')[0]?.data.wallClockAtZero;
  const readyAt = (count: number, from: number) => steps.find((step) => step.t >= from && step.ready >= count)?.t;
  const maxDesired = during.length === 0 ? null : Math.max(...during.map((entry) => entry.data.desired));
  const firstReady = first && readyAt(first.data.desired, first.t);
  const maxDecision = maxDesired === null ? undefined : during.find((entry) => entry.data.desired === maxDesired);
  const maxReady = maxDecision && maxDesired! > initialDesired ? readyAt(maxDesired!, maxDecision.t) : undefined;
  const since = (t: number | undefined) => (t === undefined ? null : t - rise);
  return {
    loadRiseAt: rise,
    initialDesired,
    firstDecisionMs: since(first?.t),
    firstDecisionEngineMs: first?.engineTime !== undefined && wallClockAtZero !== undefined ? first.engineTime - wallClockAtZero - rise : null,
    firstDesired: first?.data.desired ?? null,
    firstReadyMs: since(firstReady),
    maxDesired,
    maxReadyMs: since(maxReady),
    finalReady: replicasAt(steps, windows.end)?.ready ?? null,
  };
}
