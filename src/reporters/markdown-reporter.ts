import { formatDuration } from '../common/duration.js';
import type { RunReport, RunResult } from '../run/run-result.js';
import { comparisonRow } from './comparison-rows.js';
import { formatMeasured, formatPercent, formatTotals, plural, reportTotals } from './format.js';
import { markdownTable, markdownText } from './markdown-table.js';
import type { Reporter, ReporterFactory } from './reporter.js';
import { renderCompareMarkdown } from './render-compare-markdown.js';
import { renderGameDayMarkdown } from './render-game-day-markdown.js';
import { runNotes } from './run-notes.js';

const mark = (ok: boolean) => (ok ? '✅' : '❌');

function runSection(run: RunResult): string[] {
  const title = `## ${mark(run.outcome === 'passed')} ${run.experiment.name} · ${run.target} · iteration ${run.iteration} — ${run.outcome} in ${formatDuration(run.durationMs)}`;
  const lines = [markdownText(title), '', markdownText(`${run.plan.targetDescription} · ${run.experiment.file}`), ''];
  if (run.verdicts.length === 0) lines.push('No verdicts.');
  else {
    const rows = run.verdicts.map((verdict) => [mark(verdict.passed), verdict.name, formatMeasured(verdict), verdict.threshold, verdict.explanation]);
    lines.push(...markdownTable(['', 'assertion', 'measured', 'threshold', 'explanation'], rows));
  }
  const notes = runNotes(run);
  if (notes.length > 0) lines.push('', ...notes.map((note) => `- ${note.failed ? '⚠️ ' : ''}${markdownText(note.text)}`));
  return [...lines, ''];
}

function comparisonSection(report: RunReport): string[] {
  const rows = report.runs.map(comparisonRow).map((figures) => [
    figures.experiment,
    figures.target,
    String(figures.iteration),
    figures.injected === 0 ? 'no fault' : figures.recoveryMs === null ? 'not recovered' : formatDuration(figures.recoveryMs),
    figures.minReady === null ? '—' : `${figures.minReady}/${figures.desired ?? '?'}`,
    figures.successRatio === null ? '—' : formatPercent(figures.successRatio),
    figures.longestOutageMs === null ? '—' : formatDuration(figures.longestOutageMs),
    `${mark(figures.outcome === 'passed')} ${figures.outcome}`,
  ]);
  return ['## Side by side', '', ...markdownTable(['experiment', 'target', 'iteration', 'recovery', 'min ready', 'success', 'longest outage', 'outcome'], rows), ''];
}

/** GitHub-flavoured Markdown for $GITHUB_STEP_SUMMARY: summary, side-by-side figures, then every run. */
export function renderMarkdown(report: RunReport): string {
  const totals = reportTotals(report.runs);
  const targets = [...new Set(report.runs.map((run) => run.target))].join(', ');
  const lines = [
    '# rebound results',
    '',
    `${mark(totals.failed === 0 && totals.incomplete === 0)} **${formatTotals(totals)}** · ${plural(totals.runs, 'run')}${targets ? ` on ${targets}` : ''} · ${formatDuration(report.durationMs)} · rebound ${markdownText(report.tool.version)}`,
    '',
  ];
  if (report.runs.length > 1) lines.push(...comparisonSection(report));
  for (const run of report.runs) lines.push(...runSection(run));
  return lines.join('\n');
}

export function createMarkdownReporter(): Reporter {
  return { onFinished: renderMarkdown, onCompareFinished: renderCompareMarkdown, onGameDayFinished: renderGameDayMarkdown };
}

export const markdownReporter = {
  summary: 'GitHub-flavoured Markdown for $GITHUB_STEP_SUMMARY: summary line, verdict tables, fault notes, detection lag',
  defaultFile: 'summary.md',
  create: createMarkdownReporter,
} satisfies ReporterFactory;
