import type { CompareReport } from '../compare/compare-report.js';
import type { GameDayReport } from '../gameday/game-day-report.js';
import type { RunReport, RunResult } from '../run/run-result.js';
import type { TimelineEntry } from '../timeline/timeline.js';
import { parseReporterSpecs } from './reporter-specs.js';
import type { Reporter } from '../reporters/reporter.js';
import { writeReport } from '../reporters/write-report.js';

export interface OpenReporters {
  onRunStart(info: Parameters<NonNullable<Reporter['onRunStart']>>[0]): void;
  onEntry(entry: TimelineEntry): void;
  onRunEnd(result: RunResult): void;
  /** Renders every reporter and writes each to its file or stdout. */
  finish(report: RunReport): Promise<void>;
  /** Renders a compare report; a reporter without a compare view (JUnit) renders every run as a RunReport. */
  finishCompare(report: CompareReport): Promise<void>;
  /** Renders a game day's post-mortem; a reporter without a game-day view (JUnit, console) renders its runs as a RunReport. */
  finishGameDay(report: GameDayReport): Promise<void>;
  /** Stops live displays (also when a run threw). Safe to call twice. */
  close(): void;
}

/** Creates the reporters named on the command line and fans the run's events out to them. */
export async function openReporters(specs: string[], out: string | undefined): Promise<OpenReporters> {
  const opened = parseReporterSpecs(specs, out);
  const call = <K extends keyof Reporter>(hook: K, ...args: Parameters<NonNullable<Reporter[K]>>) => {
    for (const { reporter } of opened) (reporter[hook] as ((...a: unknown[]) => void) | undefined)?.(...args);
  };
  return {
    onRunStart: (info) => call('onRunStart', info),
    onEntry: (entry) => call('onEntry', entry),
    onRunEnd: (result) => call('onRunEnd', result),
    close: () => call('close'),
    async finish(report) {
      for (const { spec, reporter } of opened) {
        const text = reporter.onFinished?.(report);
        if (text !== undefined) await writeReport(text, spec.file);
      }
    },
    async finishGameDay(report) {
      const asRuns: RunReport = { tool: report.tool, startedAt: report.startedAt, durationMs: report.durationMs, runs: report.runs };
      for (const { spec, reporter } of opened) {
        const text = reporter.onGameDayFinished ? reporter.onGameDayFinished(report) : reporter.onFinished?.(asRuns);
        if (text !== undefined) await writeReport(text, spec.file);
      }
    },
    async finishCompare(report) {
      const asRuns: RunReport = { tool: report.tool, startedAt: report.startedAt, durationMs: report.timing.totalMs, runs: report.runs };
      for (const { spec, reporter } of opened) {
        const text = reporter.onCompareFinished ? reporter.onCompareFinished(report) : reporter.onFinished?.(asRuns);
        if (text !== undefined) await writeReport(text, spec.file);
      }
    },
  };
}
