import type { CompareReport } from '../compare/compare-report.js';
import type { RunReport } from '../run/run-result.js';
import { loadUplotAssets, renderCompareReportHtml, renderRunReportHtml } from './html/index.js';
import type { Reporter, ReporterFactory } from './reporter.js';

/** One self-contained HTML page of a `rebound run`: verdict tables and per-run timeline charts. */
export function renderHtml(report: RunReport): string {
  return renderRunReportHtml(report, loadUplotAssets());
}

/** One self-contained HTML page of a `rebound compare`: statistics, claims and strip plots first, then every run. */
export function renderCompareHtml(report: CompareReport): string {
  return renderCompareReportHtml(report, loadUplotAssets());
}

export function createHtmlReporter(): Reporter {
  return { onFinished: renderHtml, onCompareFinished: renderCompareHtml };
}

export const htmlReporter = {
  summary: 'one self-contained HTML page (opens offline): verdict tables, timeline charts, compare statistics, strip plots',
  defaultFile: 'report.html',
  create: createHtmlReporter,
} satisfies ReporterFactory;
