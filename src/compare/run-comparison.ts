import { unsupportedReason } from '../faults/index.js';
import type { LoadedExperiment } from '../experiments/load-experiment.js';
import type { RunResult } from '../run/run-result.js';
import { runOnTarget, type RunOnTargetOptions } from '../run/run-on-target.js';
import type { Experiment } from '../experiments/schema.js';
import type { Target, TargetKind } from '../targets/target.js';
import { compareExperiment } from './compare-experiment.js';
import type { CompareReport, CompareTiming, ExperimentComparison } from './compare-report.js';

export interface ComparisonOptions {
  experiments: readonly LoadedExperiment[];
  targets: readonly TargetKind[];
  iterations: number;
  signal: AbortSignal;
  stateDir: string;
  targetFor(kind: TargetKind, experiment: Experiment): Promise<Target>;
  hooks?: Pick<RunOnTargetOptions, 'onRunStart' | 'onEntry' | 'onRunEnd'>;
  tool: CompareReport['tool'];
}

export interface ComparisonOutcome {
  report: CompareReport;
  /** Some teardown left something behind (exit 4). */
  teardownFailed: boolean;
}

/**
 * Every experiment on every target, N iterations each, the same scenario: its `deploy` (or setup)
 * made fresh per target, the steady state re-established before each iteration. Then statistics.
 */
export async function runComparison(options: ComparisonOptions): Promise<ComparisonOutcome> {
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const runs: RunResult[] = [];
  const comparisons: ExperimentComparison[] = [];
  let teardownFailed = false;
  let targetsMs = 0;
  for (const { file, experiment } of options.experiments) {
    if (options.signal.aborted) break;
    const first = runs.length;
    const ran: TargetKind[] = [];
    const skipped: { target: TargetKind; reason: string }[] = [];
    const notes = new Map<TargetKind, string[]>();
    for (const kind of options.targets) {
      if (options.signal.aborted) break;
      const reason = whyNotOn(experiment, kind);
      if (reason !== undefined) {
        skipped.push({ target: kind, reason });
        continue;
      }
      const target = await options.targetFor(kind, experiment);
      const before = performance.now();
      const iterations = Math.min(options.iterations, experiment.maxIterations ?? options.iterations);
      const done = await runOnTarget({ file, experiment, kind, target, iterations, signal: options.signal, stateDir: options.stateDir, ...options.hooks });
      targetsMs += performance.now() - before;
      runs.push(...done.runs);
      ran.push(kind);
      notes.set(kind, [...(iterations < options.iterations ? [`${iterations} iteration${iterations === 1 ? '' : 's'}, not ${options.iterations}: the experiment sets maxIterations: ${iterations} (a slow scenario)`] : []), ...done.notes]);
      teardownFailed ||= !done.releasedOk;
    }
    const indexes = runs.slice(first).map((_, offset) => first + offset);
    const comparison = compareExperiment(experiment, file, ran, runs.slice(first), indexes, skipped);
    for (const side of comparison.sides) side.notes.unshift(...(notes.get(side.target) ?? []));
    comparisons.push(comparison);
  }
  const totalMs = performance.now() - started;
  const observingMs = runs.reduce((sum, run) => sum + run.durationMs, 0);
  const cpu = process.cpuUsage(cpuAtStart);
  // Time inside runOnTarget but outside the runs' observation windows: deploying, restoring,
  // waiting for the steady state, tearing down — the engines' time, not rebound's.
  const engineWaitMs = Math.max(0, targetsMs - observingMs);
  const timing: CompareTiming = { totalMs, engineWaitMs, observingMs, reboundMs: Math.max(0, totalMs - targetsMs), reboundCpuMs: (cpu.user + cpu.system) / 1000 };
  const report: CompareReport = {
    tool: options.tool,
    kind: 'compare',
    startedAt: runs[0]?.startedAt ?? new Date().toISOString(),
    iterations: options.iterations,
    targets: [...options.targets],
    comparisons,
    runs,
    timing,
  };
  return { report, teardownFailed };
}

/** Why an experiment is not run on a target: its `targets` leave it out, or one of its faults cannot be done there. */
export function whyNotOn(experiment: Experiment, kind: TargetKind): string | undefined {
  if (experiment.targets !== undefined && !experiment.targets.includes(kind)) return `the experiment is for ${experiment.targets.join(' and ')} only (targets: [${experiment.targets.join(', ')}])`;
  for (const fault of experiment.faults) {
    const reason = unsupportedReason(fault.name, kind);
    if (reason !== undefined) return `${fault.name} is not supported on ${kind}: ${reason}`;
  }
  return undefined;
}
