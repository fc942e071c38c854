import { Chalk } from 'chalk';
import cliProgress from 'cli-progress';
import { formatDuration } from '../common/duration.js';
import type { RunReport } from '../experiments/run-result.js';
import type { TimelineEntry } from '../experiments/timeline.js';
import { formatMeasured } from './format.js';
import type { Reporter, ReporterOptions } from './reporter.js';
import { runNotes } from './run-notes.js';
import { comparisonRow } from './comparison-rows.js';

/** Live progress on stderr while running (a bar when interactive), then the final table. */
export function createConsoleReporter(options: ReporterOptions): Reporter {
  const color = new Chalk({ level: options.interactive && !process.env.NO_COLOR ? 1 : 0 });
  let bar: cliProgress.SingleBar | undefined;
  let counts = { ok: 0, failed: 0, ready: '?', faults: 0 };
  const status = () => `ok ${counts.ok} failed ${counts.failed} · ready ${counts.ready} · faults ${counts.faults}`;
  const log = (line: string) => options.progressStream.write(`${line}\n`);
  return {
    onRunStart(info) {
      counts = { ok: 0, failed: 0, ready: '?', faults: 0 };
      const title = `${info.experiment} on ${info.target} (${info.iteration}/${info.iterations})`;
      if (options.interactive) {
        bar = new cliProgress.SingleBar({ format: `${title} [{bar}] {value}/{total} s · {status}`, stream: options.progressStream, hideCursor: true }, cliProgress.Presets.shades_classic);
        bar.start(Math.ceil(info.durationMs / 1000), 0, { status: status() });
      } else log(`▶ ${title}, ${formatDuration(info.durationMs)}`);
    },
    onEntry(entry: TimelineEntry) {
      if (entry.kind === 'request') entry.data.ok ? counts.ok++ : counts.failed++;
      if (entry.kind === 'replicas') counts.ready = `${entry.data.ready}/${entry.data.desired}`;
      if (entry.kind === 'fault-injected') counts.faults++;
      if (bar) bar.update(Math.floor(entry.t / 1000), { status: status() });
      else if (entry.kind === 'phase') log(`  ${formatDuration(entry.t)} phase ${entry.data.phase}`);
      else if (entry.kind === 'fault-injected') log(`  ${formatDuration(entry.t)} ${entry.data.name} → ${entry.data.subjects.join(', ') || 'system'}`);
      else if (entry.kind === 'fault-rolled-back') log(`  ${formatDuration(entry.t)} rolled back ${entry.data.name}: ${entry.data.action}`);
    },
    onRunEnd() {
      bar?.stop();
      bar = undefined;
    },
    onFinished(report: RunReport) {
      return renderConsole(report, color);
    },
  };
}

export function renderConsole(report: RunReport, color = new Chalk({ level: 0 })): string {
  const lines: string[] = [];
  for (const run of report.runs) {
    lines.push('', color.bold(`${run.experiment.name} · ${run.target} · iteration ${run.iteration} · ${run.outcome.toUpperCase()}`));
    const rows = run.verdicts.map((verdict) => [verdict.passed ? color.green('✓') : color.red('✗'), verdict.name, formatMeasured(verdict), verdict.threshold, verdict.explanation]);
    const widths = [1, 12, 10, 28].map((min, column) => Math.max(min, ...rows.map((row) => stripWidth(row[column]!))));
    for (const row of rows) lines.push(`  ${row.slice(0, 4).map((cell, column) => cell + ' '.repeat(widths[column]! - stripWidth(cell))).join('  ')}  ${row[4]}`);
    if (rows.length === 0) lines.push('  (no assertions)');
    for (const note of runNotes(run)) lines.push(`  ${color.dim(note)}`);
  }
  if (report.runs.length > 1) lines.push('', ...renderComparison(report));
  const verdicts = report.runs.flatMap((run) => run.verdicts);
  const passed = verdicts.filter((verdict) => verdict.passed).length;
  lines.push('', `${passed} passed, ${verdicts.length - passed} failed`, '');
  return lines.join('\n');
}

function stripWidth(text: string): number {
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

/** Every run side by side: the measured answer to "how did each target recover?". */
function renderComparison(report: RunReport): string[] {
  const header = ['experiment', 'target', 'it.', 'recovery', 'min ready', 'success', 'longest outage', 'outcome'];
  const rows = report.runs.map(comparisonRow).map((row) => [
    row.experiment,
    row.target,
    String(row.iteration),
    row.recoveryMs === null ? 'not recovered' : formatDuration(row.recoveryMs),
    row.minReady === null ? '—' : `${row.minReady}/${row.desired ?? '?'}`,
    row.successRatio === null ? '—' : `${(row.successRatio * 100).toFixed(2)} %`,
    row.longestOutageMs === null ? '—' : formatDuration(row.longestOutageMs),
    row.outcome,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `  ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}`;
  return ['Side by side:', line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}
