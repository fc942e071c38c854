import { formatDuration } from '../../common/duration.js';
import type { LiveSnapshot } from '../../gameday/live-figures.js';
import type { Preflight } from '../../gameday/game-day-report.js';
import type { GameDayStep } from '../../experiments/load-game-day.js';
import { printable } from '../../reporters/format.js';
import type { TimelineEntry } from '../../timeline/timeline.js';

const ms = (value: number) => (value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`);

/** The live view of a running step: header, traffic and replicas per second, each fault's state. */
export function liveLines(step: { index: number; name: string; target: string }, snapshot: LiveSnapshot, durationMs: number | undefined): string[] {
  const length = durationMs === undefined ? '' : ` / ${formatDuration(durationMs)}`;
  const lines = [`▶ step ${step.index + 1} ${step.name} · ${step.target} · ${formatDuration(snapshot.elapsedMs)}${length} · ${snapshot.phase}`];
  const latency = snapshot.latency ? `latency p50 ${ms(snapshot.latency.p50)} · p95 ${ms(snapshot.latency.p95)}` : 'latency —';
  const load = snapshot.load ? ` · load/s ${snapshot.load.ok} ok / ${snapshot.load.failed} failed` : '';
  lines.push(`  requests/s ${snapshot.probe.ok} ok / ${snapshot.probe.failed} failed · ${latency}${load} · ready ${snapshot.ready ?? '?'}/${snapshot.desired ?? '?'}`);
  for (const fault of snapshot.faults) {
    const recovered = fault.recoveredAfterMs !== undefined ? ` · recovered after ${formatDuration(fault.recoveredAfterMs)}` : '';
    lines.push(`  fault ${fault.name} → ${fault.subjects.join(', ') || 'the system'} at ${formatDuration(fault.at)}: ${fault.state}${recovered}`);
  }
  return lines;
}

/** The preflight as a person reads it: each check ✔ / ✘ with what was found or what to fix, each step's plan under it. */
export function preflightLines(preflight: Preflight): string[] {
  const lines = [`Preflight (${formatDuration(preflight.durationMs)}): ${preflight.ok ? 'every check passed' : 'FAILED — fix what is marked ✘, then start again'}`];
  for (const check of preflight.checks) {
    lines.push(`  ${check.ok ? '✔' : '✘'} ${check.check}: ${printable(check.detail)}`);
    if (check.plan) lines.push(...check.plan.split('\n').map((line) => `    ${line}`));
  }
  return lines;
}

/** A step as the team sees it before it runs. */
export function stepLines(step: GameDayStep, total: number): string[] {
  const what = step.kind === 'check' ? `manual check: ${printable(step.check)}` : `${step.inline ? 'inline experiment' : `experiment ${step.file}`} on ${step.target}: ${step.experiment.faults.map((fault) => fault.name).join(', ')}`;
  return [`━━ step ${step.index + 1}/${total}: ${step.name}${step.title ? ` — ${printable(step.title)}` : ''}`, `  ${what}`, `  hypothesis: ${printable(step.hypothesis)}`];
}

/** The lines that stay in the scrollback while a step runs: faults, rollbacks, guards. */
export function eventLine(entry: TimelineEntry): string | undefined {
  const at = `  ${(entry.t / 1000).toFixed(2).padStart(7)} s  `;
  switch (entry.kind) {
    case 'fault-injected':
      return `${at}fault ${entry.data.name} → ${entry.data.subjects.join(', ') || 'the system'}${entry.data.note ? ` (${printable(entry.data.note)})` : ''}`;
    case 'fault-failed':
      return `${at}fault ${entry.data.name} FAILED: ${printable(entry.data.error)}`;
    case 'fault-rolled-back':
      return `${at}${entry.data.ok ? 'rolled back' : 'ROLLBACK FAILED'} ${entry.data.name}${entry.data.action ? `: ${printable(entry.data.action)}` : ''}${entry.data.error ? ` (${printable(entry.data.error)})` : ''}`;
    case 'guard':
      return entry.data.violated ? `${at}guard ${entry.data.name} tripped: ${printable(entry.data.detail)}` : undefined;
    default:
      return undefined;
  }
}
