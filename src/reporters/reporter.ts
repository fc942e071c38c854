import type { RunReport, RunResult } from '../experiments/run-result.js';
import type { TimelineEntry } from '../experiments/timeline.js';

// A reporter is a set of optional lifecycle hooks. File reporters render a string in `onFinished`
// and the caller writes it (to stdout or --out): rendering never writes.
export interface Reporter {
  /** A run is about to start (live progress). */
  onRunStart?(info: { experiment: string; target: string; iteration: number; iterations: number; durationMs: number }): void;
  /** Every timeline entry as it is recorded (live progress). */
  onEntry?(entry: TimelineEntry): void;
  onRunEnd?(result: RunResult): void;
  /** Renders the whole report; returns the text to write, or undefined when it writes nothing. */
  onFinished?(report: RunReport): string | undefined;
}

export interface ReporterOptions {
  /** Colours and live progress (a TTY). */
  interactive: boolean;
  /** Where live progress goes (stderr by default, so stdout stays clean for file reporters). */
  progressStream: NodeJS.WritableStream;
}
