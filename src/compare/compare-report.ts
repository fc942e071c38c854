import type { RunResult } from '../run/run-result.js';
import type { Summary } from '../stats/summarize.js';
import type { TargetKind } from '../targets/target.js';
import type { MeasureName } from '../experiments/measure-names.js';

/** The measures compared across targets, each computed from one run's timeline (defined in measures.ts). */
export type { MeasureName };

export interface MeasureSummary extends Summary {
  /** ms | ratio (0..1) | count. */
  unit: 'ms' | 'ratio' | 'count';
  /** One value per iteration, in iteration order; null = not recovered / not measured. */
  values: (number | null)[];
}

/** One target's side of a comparison: N iterations of the same experiment. */
export interface TargetSide {
  target: TargetKind;
  iterations: number;
  /** Iterations whose assertions all passed. */
  passed: number;
  outcomes: RunResult['outcome'][];
  measures: Record<MeasureName, MeasureSummary>;
  /** Engine semantics worth a line in the report (restart policy, eviction delay …), deduplicated. */
  notes: string[];
}

export type ClaimStatus = 'confirmed' | 'contradicted' | 'mixed' | 'not tested';

export interface ClaimVerdict {
  text: string;
  expect: Partial<Record<TargetKind, 'pass' | 'fail'>>;
  status: ClaimStatus;
  /** e.g. "docker: 0/5 passed (expected fail) · kubernetes: 5/5 passed (expected pass)". */
  explanation: string;
  /** The measure the claim names as its headline (claim.headline), if it names one. */
  headline?: MeasureName;
}

/** One experiment run on every target, N iterations each. */
export interface ExperimentComparison {
  experiment: { name: string; file: string; description?: string };
  claim?: ClaimVerdict;
  sides: TargetSide[];
  /** Targets asked for but not run, and why (a fault the target cannot do, an experiment for one target). */
  skipped?: { target: TargetKind; reason: string }[];
  /** Indexes into CompareReport.runs. */
  runIndexes: number[];
}

/** Where the wall-clock time of a compare went. */
export interface CompareTiming {
  totalMs: number;
  /** Deploying, restoring and tearing down, and waiting for the steady state before each run. */
  engineWaitMs: number;
  /** Inside runs: the scheduled observation windows (faults, probes, recovery). */
  observingMs: number;
  /** The rest: validation, planning, assertions, statistics, reports. */
  reboundMs: number;
  /** rebound's own CPU time (user + system). */
  reboundCpuMs: number;
}

/** Everything `rebound compare` produced. */
export interface CompareReport {
  tool: { name: 'rebound'; version: string };
  kind: 'compare';
  startedAt: string;
  iterations: number;
  targets: TargetKind[];
  comparisons: ExperimentComparison[];
  /** Every run of every comparison (each with its full timeline). */
  runs: RunResult[];
  timing: CompareTiming;
}
