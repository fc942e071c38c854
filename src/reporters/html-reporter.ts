import type { CompareReport } from '../compare/compare-report.js';
import type { RunReport } from '../run/run-result.js';
import type { GameDayReport } from '../gameday/game-day-report.js';
import { loadUplotAssets, renderCompareReportHtml, renderGameDayReportHtml, renderRunReportHtml } from './html/index.js';
import type { Reporter, ReporterFactory } from './reporter.js';

/** One self-contained HTML page of a `rebound run`: verdict tables and per-run timeline charts. */
export function renderHtml(report: RunReport): string {
  return renderRunReportHtml(report, loadUplotAssets());
}

/** One self-contained HTML page of a `rebound compare`: statistics, claims and strip plots first, then every run. */
export function renderCompareHtml(report: CompareReport): string {
  return renderCompareReportHtml(report, loadUplotAssets());
}

/** The game day's post-mortem page: outcomes, timeline with notes, action items, then every run with its charts. */
export function renderGameDayHtml(report: GameDayReport): string {
  return renderGameDayReportHtml(report, loadUplotAssets());
}

export function createHtmlReporter(): Reporter {
  return { onFinished: renderHtml, onCompareFinished: renderCompareHtml, onGameDayFinished: renderGameDayHtml };
}

export const htmlReporter = {
  summary: 'one self-contained HTML page (opens offline): verdict tables, timeline charts, compare statistics, strip plots',
  defaultFile: 'report.html',
  create: createHtmlReporter,
} satisfies ReporterFactory;
