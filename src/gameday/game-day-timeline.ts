import { recoveryTimes } from '../assertions/recovery-time.js';
import { formatDuration } from '../common/duration.js';
import { entriesOf } from '../timeline/timeline.js';
import type { GameDayReport } from './game-day-report.js';
import { gameDayTime } from './place-notes.js';

export interface GameDayTimelineItem {
  /** Game-day t, ms. */
  t: number;
  step?: number;
  kind: 'game-day' | 'note' | 'action-item' | 'fault' | 'rollback' | 'recovered' | 'guard' | 'run';
  text: string;
}

/**
 * The whole game day on one clock, for the post-mortem: its own events, every note where it was
 * typed, and from each run what a reader needs (start and end, faults, rollbacks, recoveries, guard
 * trips), each run's t moved onto the game day's clock. Sorted by t.
 */
export function gameDayTimeline(report: GameDayReport): GameDayTimelineItem[] {
  const items: GameDayTimelineItem[] = report.events.map((event) => ({ t: event.t, ...(event.step !== undefined && { step: event.step }), kind: 'game-day', text: event.text }));
  for (const note of report.notes) {
    if (note.t === undefined) continue;
    items.push({ t: note.t, ...(note.step !== undefined && { step: note.step }), kind: note.actionItem ? 'action-item' : 'note', text: note.text });
  }
  for (const step of report.steps) {
    for (const index of step.runs) {
      const run = report.runs[index]!;
      const at = (t: number) => gameDayTime(run, t, report.wallClockAtZero);
      const add = (t: number, kind: GameDayTimelineItem['kind'], text: string) => items.push({ t: at(t), step: step.index, kind, text });
      add(0, 'run', `run of ${run.experiment.name} on ${run.target} started (iteration ${run.iteration})`);
      for (const entry of entriesOf(run.timeline, 'fault-injected')) {
        add(entry.data.startedAt ?? entry.t, 'fault', `fault ${entry.data.name} → ${entry.data.subjects.join(', ') || 'the system'}${entry.data.note ? ` (${entry.data.note})` : ''}`);
      }
      for (const entry of entriesOf(run.timeline, 'fault-failed')) add(entry.t, 'fault', `fault ${entry.data.name} failed to inject: ${entry.data.error}`);
      for (const entry of entriesOf(run.timeline, 'fault-rolled-back')) {
        add(entry.t, 'rollback', `${entry.data.ok ? 'rolled back' : 'ROLLBACK FAILED:'} ${entry.data.name}${entry.data.action ? `: ${entry.data.action}` : ''}${entry.data.error ? ` (${entry.data.error})` : ''}`);
      }
      for (const time of recoveryTimes(run.timeline, run.plan.settleMs)) {
        if (time.ms !== null) add(time.t + time.ms, 'recovered', `recovered from ${time.name} after ${formatDuration(time.ms)}`);
      }
      for (const entry of entriesOf(run.timeline, 'guard')) if (entry.data.violated) add(entry.t, 'guard', `guard ${entry.data.name} tripped: ${entry.data.detail}`);
      add(run.durationMs, 'run', `run ended: ${run.outcome}${run.reason ? ` (${run.reason})` : ''}`);
    }
  }
  return items.sort((a, b) => a.t - b.t);
}
