import { formatDuration } from '../../common/duration.js';
import type { CompareReport } from '../../compare/compare-report.js';
import type { RunReport, RunResult } from '../../run/run-result.js';
import { comparisonRow } from '../comparison-rows.js';
import { formatPercent, formatTotals, plural, reportTotals } from '../format.js';
import { CHART_SCRIPT } from './chart-script.js';
import { compareSectionHtml } from './compare-section.js';
import { escapeHtml, inlineCode, jsonForScript } from './html-escape.js';
import { PAGE_STYLE } from './page-style.js';
import { badge, runSectionHtml } from './run-section.js';
import { runTimelineData } from './run-timeline-data.js';
import type { ChartAssets } from './uplot-assets.js';

export interface Page {
  title: string;
  /** Everything above the runs: headline, summary, comparison tables. */
  head: string;
  runs: readonly RunResult[];
  /** Runs start expanded (a `rebound run`) or collapsed (a compare, where the statistics come first). */
  runsOpen: boolean;
}

/** One self-contained document: the tables are HTML, the chart data JSON, uPlot and the page script inlined. */
export function page({ title, head, runs, runsOpen }: Page, assets: ChartAssets): string {
  const data = runs.map((run, index) => ({ index, ...runTimelineData(run) }));
  const sections = runs.map((run, index) => runSectionHtml(run, index, data[index]!, runsOpen));
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${inlineCode(assets.css)}</style>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    '<noscript><p class="noscript">The timeline charts need JavaScript. Every table on this page — verdicts, statistics, events — reads without it.</p></noscript>',
    head,
    runs.length === 0 ? '<p class="muted">No runs.</p>' : `<h2>Runs</h2>\n${sections.join('\n')}`,
    '</main>',
    `<script type="application/json" id="rebound-data">${jsonForScript({ runs: data })}</script>`,
    `<script>${inlineCode(assets.script)}</script>`,
    `<script>${CHART_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function sideBySideTable(runs: readonly RunResult[]): string {
  const rows = runs.map(comparisonRow).map((figures, index) => {
    const recovery = figures.injected === 0 ? 'no fault' : figures.recoveryMs === null ? 'not recovered' : formatDuration(figures.recoveryMs);
    const cells = [
      `<a href="#run-${index}">${escapeHtml(figures.experiment)}</a>`,
      escapeHtml(figures.target),
      String(figures.iteration),
      escapeHtml(recovery),
      escapeHtml(figures.minReady === null ? '—' : `${figures.minReady}/${figures.desired ?? '?'}`),
      escapeHtml(figures.successRatio === null ? '—' : formatPercent(figures.successRatio)),
      escapeHtml(figures.longestOutageMs === null ? '—' : formatDuration(figures.longestOutageMs)),
      badge(figures.outcome === 'passed', figures.outcome),
    ];
    return `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`;
  });
  const header = ['experiment', 'target', 'iteration', 'recovery', 'min ready', 'success', 'longest outage', 'outcome'].map((cell) => `<th>${cell}</th>`).join('');
  return `<h2>Side by side</h2>\n<table class="side-by-side"><thead><tr>${header}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The HTML page of a `rebound run`: summary, side-by-side figures (several runs), then every run with its timeline charts. */
export function renderRunReportHtml(report: RunReport, assets: ChartAssets): string {
  const totals = reportTotals(report.runs);
  const targets = [...new Set(report.runs.map((run) => run.target))].join(', ');
  const ok = totals.failed === 0 && totals.incomplete === 0;
  const summary = `${badge(ok, formatTotals(totals))} · ${plural(totals.runs, 'run')}${targets ? ` on ${escapeHtml(targets)}` : ''} · ${escapeHtml(formatDuration(report.durationMs))} · started ${escapeHtml(report.startedAt)} · rebound ${escapeHtml(report.tool.version)}`;
  const head = ['<h1>rebound results</h1>', `<p>${summary}</p>`, report.runs.length > 1 ? sideBySideTable(report.runs) : ''].join('\n');
  return page({ title: `rebound — ${report.runs.map((run) => run.experiment.name).filter((name, index, names) => names.indexOf(name) === index).join(', ') || 'results'}`, head, runs: report.runs, runsOpen: true }, assets);
}

/** The HTML page of a `rebound compare`: per experiment the claim, statistics and strip plots, then every run collapsed. */
export function renderCompareReportHtml(report: CompareReport, assets: ChartAssets): string {
  const summary = `started ${escapeHtml(report.startedAt)} · rebound ${escapeHtml(report.tool.version)}`;
  const head = ['<h1>rebound compare</h1>', `<p class="muted">${summary}</p>`, compareSectionHtml(report)].join('\n');
  const names = report.comparisons.map((comparison) => comparison.experiment.name).join(', ');
  return page({ title: `rebound compare — ${names || 'no experiments'}`, head, runs: report.runs, runsOpen: false }, assets);
}
