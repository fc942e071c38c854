import { formatDuration } from '../../common/duration.js';
import type { ClaimVerdict, CompareReport, ExperimentComparison, MeasureSummary } from '../../compare/compare-report.js';
import { measureDefinitions, measuredNames } from '../../compare/measures.js';
import { claimOverview } from '../claim-overview.js';
import { escapeHtml } from './html-escape.js';
import { miniChartSvg } from './mini-chart.js';
import { stripPlotSvg } from './strip-plot.js';
import { formatSummaryValue } from './summary-value.js';

// Fixed colours per target, so a target looks the same in every plot of the page.
const TARGET_COLORS: Record<string, string> = { docker: '#1f6fd1', kubernetes: '#d9730d' };
const FALLBACK_COLORS = ['#2e9e5b', '#8a4fd1', '#c23b5a'];
export const targetColor = (target: string, index: number) => TARGET_COLORS[target] ?? FALLBACK_COLORS[index % FALLBACK_COLORS.length]!;

const value = (measured: number | null, unit: MeasureSummary['unit']) => escapeHtml(formatSummaryValue(measured, unit));

function claimParagraph(claim: ClaimVerdict | undefined): string {
  if (!claim) return '<p class="muted">This experiment states no claim.</p>';
  const mood = claim.status === 'confirmed' ? 'ok' : claim.status === 'contradicted' ? 'bad' : 'warn';
  return `<p class="claim"><span class="badge ${mood}">${escapeHtml(claim.status)}</span> “${escapeHtml(claim.text)}” <span class="muted">— ${escapeHtml(claim.explanation)}</span></p>`;
}

function sidesTable(comparison: ExperimentComparison): string {
  const rows = comparison.sides.map(
    (side) =>
      `<tr><td>${escapeHtml(side.target)}</td><td class="num">${side.passed}/${side.iterations}</td><td>${escapeHtml(side.outcomes.join(', '))}</td><td>${side.notes.length === 0 ? '' : `<ul>${side.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>`}</td></tr>`,
  );
  return `<table class="sides"><thead><tr><th>target</th><th>passed</th><th>outcomes per iteration</th><th>engine notes</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Rows per measure, a sub-row per target: median, p95, min, max, the median's 95 % CI, not recovered. */
function measuresTable(comparison: ExperimentComparison): string {
  const rows: string[] = [];
  for (const name of measuredNames(comparison)) {
    const definition = measureDefinitions[name];
    const measuredSomewhere = comparison.sides.some((side) => side.measures[name].median !== null);
    comparison.sides.forEach((side, index) => {
      const summary = side.measures[name];
      // Measured on another target but impossible on this one: say why instead of "—".
      const absent = measuredSomewhere && summary.median === null ? definition.absent?.[side.target] : undefined;
      const median = absent === undefined ? value(summary.median, summary.unit) : escapeHtml(absent);
      const ci = summary.ci95 === null ? '—' : `${value(summary.ci95[0], summary.unit)} – ${value(summary.ci95[1], summary.unit)}`;
      const head = index === 0 ? `<th scope="rowgroup" rowspan="${comparison.sides.length}" title="${escapeHtml(definition.help)}">${escapeHtml(definition.label)}</th>` : '';
      rows.push(
        `<tr${index === 0 ? ' class="group"' : ''}>${head}<td>${escapeHtml(side.target)}</td><td class="num">${summary.n}</td><td class="num">${median}</td><td class="num">${value(summary.p95, summary.unit)}</td><td class="num">${value(summary.min, summary.unit)}</td><td class="num">${value(summary.max, summary.unit)}</td><td class="num">${ci}</td><td class="num${summary.notRecovered > 0 ? ' bad' : ''}">${summary.notRecovered}</td></tr>`,
      );
    });
  }
  const header = ['measure', 'target', 'n', 'median', 'p95', 'min', 'max', '95 % CI of median', 'not recovered'].map((cell) => `<th>${cell}</th>`).join('');
  return `<table class="measures"><thead><tr>${header}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function stripPlots(comparison: ExperimentComparison): string {
  const figures = measuredNames(comparison).map((name) => {
    const definition = measureDefinitions[name];
    const rows = comparison.sides.map((side, index) => ({ label: side.target, color: targetColor(side.target, index), summary: side.measures[name] }));
    // Only recovery time has a "never got there"; other measures lack a value when nothing was measured.
    const missing = name === 'recoveryMs' ? { text: 'not recovered', bad: true } : { text: 'not measured', bad: false };
    const svg = stripPlotSvg(rows, `${definition.label} per iteration, by target`, missing);
    return `<figure class="strip-plot"><figcaption><strong>${escapeHtml(definition.label)}</strong> <span class="muted">${escapeHtml(definition.help)}</span></figcaption>${svg}</figure>`;
  });
  return `<div class="strip-plots">${figures.join('')}</div>`;
}

function experimentSection(comparison: ExperimentComparison, report: CompareReport, index: number): string {
  const runLinks = comparison.runIndexes
    .map((index) => report.runs[index])
    .map((run, position) => (run ? `<a href="#run-${comparison.runIndexes[position]}">${escapeHtml(run.target)} #${run.iteration}</a>` : ''))
    .join(' ');
  return [
    `<section class="experiment" id="experiment-${index + 1}">`,
    `<h2>${escapeHtml(comparison.experiment.name)}</h2>`,
    `<p class="muted">${escapeHtml(comparison.experiment.file)}${comparison.experiment.description ? ` — ${escapeHtml(comparison.experiment.description)}` : ''}</p>`,
    claimParagraph(comparison.claim),
    sidesTable(comparison),
    measuresTable(comparison),
    stripPlots(comparison),
    runLinks === '' ? '' : `<p class="run-links">Runs: ${runLinks}</p>`,
    '</section>',
  ]
    .filter((part) => part !== '')
    .join('\n');
}

/**
 * The page's opening table: one row per claim — the claim, CONFIRMED / CONTRADICTED / MIXED, its
 * headline measure per target and a small side-by-side chart of it (claim-overview.ts).
 */
function overviewTable(report: CompareReport): string {
  const rows = claimOverview(report);
  if (rows.length === 0) return '';
  const moods = { confirmed: 'ok', contradicted: 'bad', mixed: 'warn', 'not tested': 'warn' } as const;
  const body = rows.map((row) => {
    const chartRows = row.cells.map((cell, index) => ({ label: cell.target, color: targetColor(cell.target, index), ...(cell.summary && { summary: cell.summary }) }));
    const missing = row.headline.name === 'recoveryMs' ? 'not recovered' : 'not measured';
    const cells = row.cells.map((cell) => `<td class="num"${cell.reason ? ` title="${escapeHtml(cell.reason)}"` : ''}>${escapeHtml(cell.text)}</td>`).join('');
    return `<tr><td class="num">${row.number}</td><td><a href="#experiment-${row.number}">${escapeHtml(row.claim)}</a></td><td><span class="badge ${moods[row.status]}">${escapeHtml(row.status.toUpperCase())}</span></td><td>${escapeHtml(row.headline.label)}</td>${cells}<td>${miniChartSvg(chartRows, `${row.headline.label} per target`, missing)}</td></tr>`;
  });
  const header = ['#', 'claim', 'measured', 'headline', ...report.targets, 'side by side'].map((cell) => `<th>${escapeHtml(cell)}</th>`).join('');
  return `<h2>Claims at a glance</h2>\n<table class="overview"><thead><tr>${header}</tr></thead><tbody>${body.join('')}</tbody></table>\n<p class="muted">cells: median (min–max) over the iterations; the chart: the median as a bar, each iteration a dot, one axis per claim from 0.</p>`;
}

/** The side-by-side part of a `rebound compare` report: per experiment, claim, statistics and strip plots. */
export function compareSectionHtml(report: CompareReport): string {
  const timing = report.timing;
  const timingLine = `${escapeHtml(formatDuration(timing.totalMs))} in all: ${escapeHtml(formatDuration(timing.engineWaitMs))} waiting for the engines, ${escapeHtml(formatDuration(timing.observingMs))} observing, ${escapeHtml(formatDuration(timing.reboundMs))} rebound itself (${escapeHtml(formatDuration(timing.reboundCpuMs))} CPU)`;
  return [
    `<p>${report.comparisons.length} experiment${report.comparisons.length === 1 ? '' : 's'} × ${escapeHtml(report.targets.join(', '))} × ${report.iterations} iteration${report.iterations === 1 ? '' : 's'} · ${timingLine}</p>`,
    overviewTable(report),
    ...report.comparisons.map((comparison, index) => experimentSection(comparison, report, index)),
  ].join('\n');
}
