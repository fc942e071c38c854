import type { Verdict } from '../assertions/verdict.js';
import type { TargetKind } from '../targets/target.js';
import type { PlanSummary } from '../plan/plan-summary.js';
import type { TimelineEntry } from '../timeline/timeline.js';

export type { PlanSummary };

export type RunOutcome = 'passed' | 'failed' | 'aborted' | 'interrupted' | 'error';

/** One run of one experiment on one target (one iteration): everything reporters need. */
export interface RunResult {
  experiment: { name: string; file: string; description?: string };
  target: TargetKind;
  iteration: number;
  /** ISO wall-clock time of t = 0. */
  startedAt: string;
  /** Epoch ms of t = 0 (fractional), to line up timeline t with engine timestamps. */
  wallClockAtZero: number;
  durationMs: number;
  plan: PlanSummary;
  timeline: TimelineEntry[];
  verdicts: Verdict[];
  outcome: RunOutcome;
  /** Why the run was aborted / interrupted / errored. */
  reason?: string;
  rollbacks: { fault: number; repetition: number; name: string; ok: boolean; action: string; error?: string }[];
}

/** Everything one `rebound run` produced: several files × iterations. */
export interface RunReport {
  tool: { name: 'rebound'; version: string };
  startedAt: string;
  durationMs: number;
  runs: RunResult[];
}
