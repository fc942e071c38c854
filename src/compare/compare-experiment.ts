import type { RunResult } from '../run/run-result.js';
import type { Experiment } from '../experiments/schema.js';
import { summarize } from '../stats/summarize.js';
import { entriesOf } from '../timeline/timeline.js';
import type { TargetKind } from '../targets/target.js';
import { claimVerdict } from './claim-verdict.js';
import type { ExperimentComparison, MeasureName, MeasureSummary, TargetSide } from './compare-report.js';
import { measureDefinitions, measureNames, runMeasures } from './measures.js';

/** Statistics per target and the claim's verdict, from the runs of one experiment. Pure. */
export function compareExperiment(
  experiment: Experiment,
  file: string,
  targets: readonly TargetKind[],
  runs: readonly RunResult[],
  runIndexes: number[],
  skipped: readonly { target: TargetKind; reason: string }[] = [],
): ExperimentComparison {
  const sides = targets.map((target) => targetSide(target, runs.filter((run) => run.target === target)));
  return {
    experiment: { name: experiment.metadata.name, file, ...(experiment.metadata.description !== undefined && { description: experiment.metadata.description }) },
    ...(experiment.claim && { claim: claimVerdict(experiment.claim, sides) }),
    sides,
    ...(skipped.length > 0 && { skipped: [...skipped] }),
    runIndexes,
  };
}

export function targetSide(target: TargetKind, runs: readonly RunResult[]): TargetSide {
  const perRun = runs.map(runMeasures);
  const measures = Object.fromEntries(
    measureNames.map((name) => {
      const values = perRun.map((measures) => measures[name]);
      // Only recovery time has a "never got there"; other measures are simply absent (no traffic).
      const summary = summarize(name === 'recoveryMs' ? values : values.filter((value) => value !== null));
      return [name, { ...summary, unit: measureDefinitions[name].unit, values } satisfies MeasureSummary];
    }),
  ) as Record<MeasureName, MeasureSummary>;
  return {
    target,
    iterations: runs.length,
    passed: runs.filter((run) => run.outcome === 'passed').length,
    outcomes: runs.map((run) => run.outcome),
    measures,
    notes: [...new Set(runs.flatMap(semanticNotes))],
  };
}

/** What the engine does about the faults (restart policy, manual stop, eviction delay …): the same every iteration, so said once. */
function semanticNotes(run: RunResult): string[] {
  const notes = entriesOf(run.timeline, 'fault-injected').flatMap((entry) => (entry.data.note ? [`${entry.data.name}: ${entry.data.note}`] : []));
  for (const rollback of run.rollbacks) if (!rollback.ok) notes.push(`rollback of ${rollback.name} FAILED: ${rollback.action}${rollback.error ? ` (${rollback.error})` : ''}`);
  if (run.outcome === 'error' || run.outcome === 'interrupted' || run.outcome === 'aborted') notes.push(`iteration ${run.iteration} ${run.outcome}${run.reason ? `: ${run.reason}` : ''}`);
  return notes;
}
