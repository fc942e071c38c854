import type { CompareReport } from '../compare/compare-report.js';
import type { GameDayReport } from '../gameday/game-day-report.js';
import type { RunReport } from '../run/run-result.js';
import { orderedJson } from './json-order.js';
import type { Reporter, ReporterFactory } from './reporter.js';

const ONE_LINE_ITEMS = new Set(['timeline']);

/** The whole RunReport, timeline included: JSON.parse gives it back, and its assertions re-evaluate to the same verdicts. */
export function renderJson(report: RunReport): string {
  return `${orderedJson(report, ONE_LINE_ITEMS)}\n`;
}

/** The whole CompareReport: statistics, claims and every run with its timeline. */
export function renderCompareJson(report: CompareReport): string {
  return `${orderedJson(report, ONE_LINE_ITEMS)}\n`;
}

/** The whole GameDayReport: steps, answers, notes, events and every run with its timeline. */
export function renderGameDayJson(report: GameDayReport): string {
  return `${orderedJson(report, ONE_LINE_ITEMS)}\n`;
}

export function createJsonReporter(): Reporter {
  return { onFinished: renderJson, onCompareFinished: renderCompareJson, onGameDayFinished: renderGameDayJson };
}

export const jsonReporter = {
  summary: 'the full report with every timeline entry (one per line), re-readable and re-evaluable',
  defaultFile: 'report.json',
  create: createJsonReporter,
} satisfies ReporterFactory;
