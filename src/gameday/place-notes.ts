import type { RunResult } from '../run/run-result.js';
import type { NoteEntry } from '../timeline/timeline.js';
import type { GameDayNote, StepReport } from './game-day-report.js';

/** A note as a notes file gives it: from the game day's start, or from a step's start. */
export interface ScheduledNote {
  /** ms */
  at: number;
  /** Relative to this step's start (its first run's t = 0, where its faults' `at` count from; a manual check: when it began). */
  step?: string;
  text: string;
}

/** Game-day t of a run's t. Both clocks are performance.now() based, so the offset is exact. */
export function gameDayTime(run: Pick<RunResult, 'wallClockAtZero'>, t: number, gameDayZero: number): number {
  return run.wallClockAtZero - gameDayZero + t;
}

/** A typed or scheduled note's text: a leading `!` makes it an action item (and is dropped). */
export function noteOf(text: string): { text: string; actionItem: boolean } {
  const trimmed = text.trim();
  return trimmed.startsWith('!') ? { text: trimmed.slice(1).trim(), actionItem: true } : { text: trimmed, actionItem: false };
}

/** Where a notes file's note lands on the game-day clock, or why it cannot be placed (its step never ran). */
export function placeScheduledNote(note: ScheduledNote, steps: readonly StepReport[], runs: readonly RunResult[], gameDayZero: number): GameDayNote {
  const { text, actionItem } = noteOf(note.text);
  if (note.step === undefined) {
    const during = steps.find((step) => step.startedAt !== undefined && step.endedAt !== undefined && step.startedAt <= note.at && note.at <= step.endedAt);
    return { t: note.at, text, actionItem, from: 'notes file', ...(during && { step: during.index }) };
  }
  const step = steps.find((candidate) => candidate.name === note.step)!;
  const firstRun = step.runs.length > 0 ? runs[step.runs[0]!] : undefined;
  const zero = firstRun ? gameDayTime(firstRun, 0, gameDayZero) : step.kind === 'check' && step.status === 'ran' ? step.startedAt : undefined;
  if (zero === undefined) return { text, actionItem, from: 'notes file', step: step.index, unplaced: `step ${step.name} did not run (${step.status})` };
  return { t: zero + note.at, text, actionItem, from: 'notes file', step: step.index };
}

/**
 * Every placed note that falls within a run goes into that run's timeline too (source `human`, on
 * the run's clock), so the run's own reports show it among its faults and recoveries.
 */
export function notesIntoRuns(notes: readonly GameDayNote[], runs: RunResult[], gameDayZero: number): void {
  for (const run of runs) {
    const zero = gameDayTime(run, 0, gameDayZero);
    for (const note of notes) {
      if (note.t === undefined || note.t < zero || note.t > zero + run.durationMs) continue;
      const entry: NoteEntry = { t: note.t - zero, source: 'human', kind: 'note', data: { text: note.text, ...(note.actionItem && { actionItem: true }) } };
      let index = run.timeline.length;
      while (index > 0 && run.timeline[index - 1]!.t > entry.t) index--;
      run.timeline.splice(index, 0, entry);
    }
  }
}
