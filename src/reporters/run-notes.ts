import { answerOrigins } from '../assertions/answer-origins.js';
import { detectionLag } from '../assertions/detection-lag.js';
import { rolloutSummary } from '../assertions/rollout.js';
import { rolloutFigures } from '../assertions/rollout-figures.js';
import { formatDuration } from '../common/duration.js';
import type { RunResult } from '../run/run-result.js';
import { entriesOf } from '../timeline/timeline.js';
import { formatCount, formatLag, formatPercent, plural } from './format.js';
import { hostShareNotes, scalingNotes } from './scaling-notes.js';

/** One line under a run's verdicts. `failed` lines need attention (shown red / flagged). */
export interface RunNote {
  topic: 'deploy' | 'fault' | 'scaling' | 'rollback' | 'rollout' | 'guard' | 'detection-lag' | 'answers' | 'warning' | 'outcome';
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
    const started = entry.data.startedAt ?? entry.t;
    const took = entry.t - started >= 10 ? ` (injection took ${formatDuration(entry.t - started)})` : '';
    add('fault', false, `fault ${entry.data.name} at ${formatDuration(started)}${took} on ${subjectsOf(entry.data.subjects)}${entry.data.note ? `: ${entry.data.note}` : ''}`);
    if (entry.data.incomplete) add('fault', true, `fault ${entry.data.name}'s injection is incomplete (it stopped at ${formatDuration(entry.t)}, the fault stays in effect until its rollback): ${entry.data.incomplete}`);
  }
  for (const entry of entriesOf(run.timeline, 'fault-failed')) {
    const started = entry.data.startedAt ?? entry.t;
    const gaveUp = entry.t - started >= 1 ? `, gave up at ${formatDuration(entry.t)}` : '';
    add('fault', true, `fault ${entry.data.name} at ${formatDuration(started)}${gaveUp} FAILED to inject: ${entry.data.error}`);
  }
  for (const line of hostShareNotes(run)) add('fault', false, line);
  for (const line of scalingNotes(run)) add('scaling', false, line);
  for (const rollback of run.rollbacks) {
    const what = `${rollback.action}${rollback.error ? ` (${rollback.error})` : ''}`;
    add('rollback', !rollback.ok, `rollback of ${rollback.name}: ${rollback.ok ? 'ok' : 'FAILED'} — ${what}`);
  }
  for (const rollout of rolloutFigures(run.timeline, run.plan.settleMs)) add('rollout', false, `rollout at ${formatDuration(rollout.startedAt)}: ${rolloutSummary(rollout)}`);
  for (const guard of entriesOf(run.timeline, 'guard').filter((entry) => entry.data.violated)) {
    add('guard', true, `guard ${guard.data.name} tripped at ${formatDuration(guard.t)}: ${guard.data.detail}`);
  }
  for (const lag of detectionLag(run.timeline)) {
    add('detection-lag', false, `detection lag of "${lag.action}" behind the engine's timestamps: median ${formatLag(lag.medianMs)}, max ${formatLag(lag.maxMs)} over ${plural(lag.samples, 'event')}`);
  }
  const origins = answerOrigins(run.timeline);
  const versions = Object.entries(origins.byVersion);
  const answered = versions.reduce((sum, [, count]) => sum + count, 0);
  if (versions.length > 1) {
    add('answers', false, `answers per version during chaos: ${versions.map(([version, count]) => `${version} ${formatPercent(count / answered)}`).join(', ')} (of ${formatCount(answered)})`);
  }
  if (origins.crossedNodes !== null) {
    const { crossed, same } = origins.crossedNodes;
    add('answers', false, `answers that crossed nodes during chaos (web and api on different nodes): ${formatCount(crossed)} of ${formatCount(crossed + same)}${crossed + same > 0 ? ` (${formatPercent(crossed / (crossed + same))})` : ''}`);
  }
  for (const warning of run.plan.warnings) add('warning', false, `warning: ${warning}`);
  if (run.reason) add('outcome', run.outcome !== 'passed' && run.outcome !== 'failed', `run ${run.outcome}: ${run.reason}`);
  return notes;
}
