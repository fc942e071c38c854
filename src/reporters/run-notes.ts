import { detectionLag } from '../assertions/detection-lag.js';
import { formatDuration } from '../common/duration.js';
import type { RunResult } from '../run/run-result.js';
import { entriesOf } from '../timeline/timeline.js';
import { formatLag, plural } from './format.js';

/** One line under a run's verdicts. `failed` lines need attention (shown red / flagged). */
export interface RunNote {
  topic: 'deploy' | 'fault' | 'rollback' | 'guard' | 'detection-lag' | 'warning' | 'outcome';
  failed: boolean;
  text: string;
}

const subjectsOf = (subjects: readonly string[]) => (subjects.length === 0 ? 'the system' : subjects.join(', '));

/** What every human-facing reporter shows under a run's verdicts, in the order a reader needs it. */
export function runNotes(run: RunResult): RunNote[] {
  const notes: RunNote[] = [];
  const add = (topic: RunNote['topic'], failed: boolean, text: string) => notes.push({ topic, failed, text });
  for (const note of run.plan.deploy?.notes ?? []) add('deploy', false, note);
  for (const entry of entriesOf(run.timeline, 'fault-injected')) {
    // The note says what the engine will do about the fault (e.g. crash vs kill and restart policies).
    add('fault', false, `fault ${entry.data.name} at ${formatDuration(entry.t)} on ${subjectsOf(entry.data.subjects)}${entry.data.note ? `: ${entry.data.note}` : ''}`);
  }
  for (const entry of entriesOf(run.timeline, 'fault-failed')) {
    add('fault', true, `fault ${entry.data.name} at ${formatDuration(entry.t)} FAILED to inject: ${entry.data.error}`);
  }
  for (const rollback of run.rollbacks) {
    const what = `${rollback.action}${rollback.error ? ` (${rollback.error})` : ''}`;
    add('rollback', !rollback.ok, `rollback of ${rollback.name}: ${rollback.ok ? 'ok' : 'FAILED'} — ${what}`);
  }
  for (const guard of entriesOf(run.timeline, 'guard').filter((entry) => entry.data.violated)) {
    add('guard', true, `guard ${guard.data.name} tripped at ${formatDuration(guard.t)}: ${guard.data.detail}`);
  }
  for (const lag of detectionLag(run.timeline)) {
    add('detection-lag', false, `detection lag of "${lag.action}" behind the engine's timestamps: median ${formatLag(lag.medianMs)}, max ${formatLag(lag.maxMs)} over ${plural(lag.samples, 'event')}`);
  }
  for (const warning of run.plan.warnings) add('warning', false, `warning: ${warning}`);
  if (run.reason) add('outcome', run.outcome !== 'passed' && run.outcome !== 'failed', `run ${run.outcome}: ${run.reason}`);
  return notes;
}
