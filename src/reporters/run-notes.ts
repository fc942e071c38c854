import { detectionLag } from '../assertions/detection-lag.js';
import { formatDuration } from '../common/duration.js';
import type { RunResult } from '../experiments/run-result.js';
import { entriesOf } from '../experiments/timeline.js';

/** Lines every human-facing reporter shows under a run's verdicts: fault notes, rollbacks, detection lag. */
export function runNotes(run: RunResult): string[] {
  const lines: string[] = [];
  for (const entry of entriesOf(run.timeline, 'fault-injected')) {
    lines.push(`fault ${entry.data.name} at ${formatDuration(entry.t)} on ${entry.data.subjects.join(', ') || 'the system'}${entry.data.note ? `: ${entry.data.note}` : ''}`);
  }
  for (const entry of entriesOf(run.timeline, 'fault-failed')) lines.push(`fault ${entry.data.name} FAILED to inject: ${entry.data.error}`);
  for (const rollback of run.rollbacks) lines.push(`rollback ${rollback.name}: ${rollback.ok ? 'ok' : 'FAILED'} — ${rollback.action}${rollback.error ? ` (${rollback.error})` : ''}`);
  for (const lag of detectionLag(run.timeline)) {
    lines.push(`detection lag of ${lag.action} events vs engine timestamps: median ${lag.medianMs.toFixed(1)} ms, max ${lag.maxMs.toFixed(1)} ms (${lag.samples} samples)`);
  }
  for (const warning of run.plan.warnings) lines.push(`warning: ${warning}`);
  if (run.reason) lines.push(`run ${run.outcome}: ${run.reason}`);
  return lines;
}
