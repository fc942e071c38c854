import type { RunStartInfo } from './run-start-info.js';
import type { Target, TargetKind } from '../targets/target.js';
import { reportLeftBehind } from './release-system.js';
import { prepareSystem } from './prepare-system.js';
import { runIteration } from './run-iteration.js';
import type { RunResult } from './run-result.js';
import type { Experiment } from '../experiments/schema.js';
import type { TimelineEntry } from '../timeline/timeline.js';

export interface RunOnTargetOptions {
  file: string;
  experiment: Experiment;
  kind: TargetKind;
  target: Target;
  iterations: number;
  signal: AbortSignal;
  stateDir: string;
  onRunStart?: (info: RunStartInfo) => void;
  onEntry?: (entry: TimelineEntry) => void;
  onRunEnd?: (result: RunResult) => void;
}

export interface TargetRuns {
  runs: RunResult[];
  /** What setup and deploy did, and what teardown did. */
  notes: string[];
  /** false: teardown left something behind (said in notes). */
  releasedOk: boolean;
  /** Time spent deploying, restoring and tearing down (engine work between runs). */
  preparationMs: number;
}

/**
 * One experiment on one target, N iterations: setup and deploy once, back to the deployed steady
 * state before every iteration after the first, teardown at the end whatever happened.
 */
export async function runOnTarget(options: RunOnTargetOptions): Promise<TargetRuns> {
  const { experiment, kind, signal } = options;
  let preparationMs = 0;
  const timed = async <T>(work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      preparationMs += performance.now() - started;
    }
  };
  const system = await timed(() => prepareSystem(experiment, options.file, kind, options.target, signal));
  const runs: RunResult[] = [];
  let released = { ok: false, notes: ['teardown did not run'] };
  try {
    for (let iteration = 1; iteration <= options.iterations && !signal.aborted; iteration++) {
      if (iteration > 1) await timed(() => system.restore(signal));
      const result = await runIteration({
        file: options.file,
        experiment,
        kind,
        target: options.target,
        iteration,
        signal,
        stateDir: options.stateDir,
        onStart: (plan) => options.onRunStart?.({ experiment: experiment.metadata.name, target: kind, iteration, iterations: options.iterations, durationMs: plan.durationMs }),
        ...(options.onEntry && { onEntry: options.onEntry }),
      });
      options.onRunEnd?.(result);
      runs.push(result);
      // A tripped guard is a stop button: the remaining iterations of this experiment do not run.
      if (result.outcome === 'aborted') break;
    }
  } finally {
    released = await timed(() => system.release());
    if (!released.ok) reportLeftBehind(released.notes, options.file, kind);
  }
  return { runs, notes: [...system.notes, ...released.notes], releasedOk: released.ok, preparationMs };
}
