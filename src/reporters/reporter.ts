import type { CompareReport } from '../compare/compare-report.js';
import type { GameDayReport } from '../gameday/game-day-report.js';
import type { RunReport, RunResult } from '../run/run-result.js';
import type { RunStartInfo } from '../run/run-start-info.js';
import type { TimelineEntry } from '../timeline/timeline.js';

export type { RunStartInfo };

// A reporter is a set of optional lifecycle hooks. File reporters render a string in `onFinished`
// and the caller writes it (writeReport: to stdout or a file): rendering never writes.
export interface Reporter {
  /** A run is about to start (live progress). */
  onRunStart?(info: RunStartInfo): void;
  /** Every timeline entry as it is recorded (live progress). */
  onEntry?(entry: TimelineEntry): void;
  onRunEnd?(result: RunResult): void;
  /** Renders the whole report; returns the text to write, or undefined when it writes nothing. */
  onFinished?(report: RunReport): string | undefined;
  /** Renders a `rebound compare` report (side-by-side statistics and claims); undefined: nothing to write. */
  onCompareFinished?(report: CompareReport): string | undefined;
  /** Renders a `rebound gameday` post-mortem; undefined: nothing to write. */
  onGameDayFinished?(report: GameDayReport): string | undefined;
  /** Stops live output (a progress bar) when a run ends abnormally; safe to call twice. */
  close?(): void;
}

export interface ReporterOptions {
  /** Colours and live progress (a TTY). */
  interactive: boolean;
  /** Where live progress goes (stderr by default, so stdout stays clean for file reporters). */
  progressStream: NodeJS.WritableStream;
  /**
   * Colours in the rendered text, decided by where it goes (stdout a TTY, not a file).
   * Default: `interactive`. NO_COLOR turns colours off either way.
   */
  color?: boolean;
}

/** One entry of the reporter catalog: `--reporter <name>` creates a reporter with it. */
export interface ReporterFactory {
  /** One line for `rebound list`. */
  summary: string;
  /** File name used with --out <dir> when the spec names no file. */
  defaultFile: string;
  create(options: ReporterOptions): Reporter;
}
