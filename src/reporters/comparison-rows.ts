import { recoveryTimes } from '../assertions/recovery-time.js';
import { replicaFigures } from '../assertions/replicas.js';
import { trafficFigures } from '../assertions/traffic-figures.js';
import type { RunResult } from '../run/run-result.js';

export interface ComparisonRow {
  experiment: string;
  target: string;
  iteration: number;
  /** Faults injected: without one there is no recovery to measure. */
  injected: number;
  /** Worst recovery time over the run's faults; null: not recovered (or nothing injected). */
  recoveryMs: number | null;
  minReady: number | null;
  desired: number | null;
  successRatio: number | null;
  longestOutageMs: number | null;
  outcome: string;
}

/** The measures that answer "how did it recover?", one row per run, computed from the timeline. */
export function comparisonRow(run: RunResult): ComparisonRow {
  const times = recoveryTimes(run.timeline, run.plan.settleMs);
  const replicas = replicaFigures(run.timeline);
  const traffic = trafficFigures(run.timeline);
  return {
    experiment: run.experiment.name,
    target: run.target,
    iteration: run.iteration,
    injected: times.length,
    recoveryMs: times.length === 0 || times.some((time) => time.ms === null) ? null : Math.max(...times.map((time) => time.ms!)),
    minReady: replicas.minReady,
    desired: replicas.desired,
    successRatio: traffic.successRatio,
    longestOutageMs: traffic.sent > 0 ? (traffic.longestOutage?.ms ?? 0) : null,
    outcome: run.outcome,
  };
}
