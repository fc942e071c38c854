import { Chalk, type ChalkInstance } from 'chalk';
import { formatDuration } from '../common/duration.js';
import type { RunReport, RunResult } from '../run/run-result.js';
import { comparisonRow } from './comparison-rows.js';
import { formatMeasured, formatPercent, formatTotals, printable, reportTotals } from './format.js';
import { runNotes } from './run-notes.js';
import { textTable } from './text-table.js';

const plain = new Chalk({ level: 0 });

/** The console's final text: per run a table of verdicts and its notes, then the totals. */
export function renderConsole(report: RunReport, color: ChalkInstance = plain): string {
  const lines: string[] = [];
  for (const run of report.runs) lines.push('', ...renderRun(run, color));
  if (report.runs.length > 1) lines.push('', ...renderComparison(report, color));
  const totals = reportTotals(report.runs);
  const ok = totals.failed === 0 && totals.incomplete === 0;
  lines.push('', (ok ? color.green : color.red).bold(formatTotals(totals)), '');
  return lines.join('\n');
}

function outcomeText(run: RunResult, color: ChalkInstance): string {
  const text = run.outcome.toUpperCase();
  return run.outcome === 'passed' ? color.green(text) : color.red(text);
}

function renderRun(run: RunResult, color: ChalkInstance): string[] {
  const title = `${printable(run.experiment.name)} · ${run.target} · iteration ${run.iteration} · ${outcomeText(run, color)} in ${formatDuration(run.durationMs)}`;
  const lines = [color.bold(title), color.dim(printable(`  ${run.plan.targetDescription} · ${run.experiment.file}`))];
  if (run.verdicts.length === 0) lines.push('  (no verdicts)');
  else {
    const header = ['', 'assertion', 'measured', 'threshold', 'explanation'].map((cell) => color.dim(cell));
    const rows = run.verdicts.map((verdict) => [
      verdict.passed ? color.green('✓') : color.red('✗'),
      verdict.name,
      formatMeasured(verdict),
      printable(verdict.threshold),
      printable(verdict.explanation),
    ]);
    lines.push(...textTable([header, ...rows]));
  }
  for (const note of runNotes(run)) lines.push(`  ${note.failed ? color.red(`! ${printable(note.text)}`) : color.dim(`· ${printable(note.text)}`)}`);
  return lines;
}

/** Every run side by side: the measured answer to "how did each target recover?". */
function renderComparison(report: RunReport, color: ChalkInstance): string[] {
  const header = ['experiment', 'target', 'it.', 'recovery', 'min ready', 'success', 'longest outage', 'outcome'];
  const rows = report.runs.map(comparisonRow).map((row) => [
    row.experiment,
    row.target,
    String(row.iteration),
    row.injected === 0 ? 'no fault' : row.recoveryMs === null ? 'not recovered' : formatDuration(row.recoveryMs),
    row.minReady === null ? '—' : `${row.minReady}/${row.desired ?? '?'}`,
    row.successRatio === null ? '—' : formatPercent(row.successRatio),
    row.longestOutageMs === null ? '—' : formatDuration(row.longestOutageMs),
    row.outcome,
  ]);
  return [color.bold('Side by side'), ...textTable([header.map((cell) => color.dim(cell)), ...rows])];
}
