import { entriesOf, type TimelineEntry } from '../timeline/timeline.js';

/** The parts of a run every assertion agrees on. */
export interface RunWindows {
  /** t of the first injected fault, or undefined when none was injected. */
  chaosStart: number | undefined;
  /** End of the observation window: the rollback phase, else run-ended, else the last entry. */
  end: number;
  /** Baseline: from the baseline phase (or 0) to the first fault. */
  baselineStart: number;
  /**
   * Each injected fault: `t` when its injection started (the first instant it can have had an
   * effect: recovery is measured from here), `injectionMs` how long the injection took.
   */
  injections: { t: number; injectionMs: number; fault: number; name: string; subjects: string[]; note?: string }[];
}

// Observation ends when rebound starts rolling back: what the engine does after that is rebound's
// own clean-up, not the system recovering by itself.
export function runWindows(entries: readonly TimelineEntry[]): RunWindows {
  const injections = entriesOf(entries, 'fault-injected').map((entry) => ({
    // Reports of rebound 0.1 kept only the injection's end.
    t: entry.data.startedAt ?? entry.t,
    injectionMs: entry.t - (entry.data.startedAt ?? entry.t),
    fault: entry.data.fault,
    name: entry.data.name,
    subjects: entry.data.subjects,
    ...(entry.data.note !== undefined && { note: entry.data.note }),
  }));
  const phases = entriesOf(entries, 'phase');
  const rollback = phases.find((entry) => entry.data.phase === 'rollback');
  const ended = entriesOf(entries, 'run-ended')[0];
  const end = rollback?.t ?? ended?.t ?? entries.at(-1)?.t ?? 0;
  const baseline = phases.find((entry) => entry.data.phase === 'baseline');
  return { chaosStart: injections[0]?.t, end, baselineStart: baseline?.t ?? 0, injections };
}
