import type { ChalkInstance } from 'chalk';
import cliProgress from 'cli-progress';
import { formatDuration } from '../common/duration.js';
import type { RunResult } from '../run/run-result.js';
import type { TimelineEntry } from '../timeline/timeline.js';
import { printable } from './format.js';
import { countEntry, formatStatus, initialStatus, type ProgressStatus } from './progress-status.js';
import type { RunStartInfo } from './reporter.js';

export interface ConsoleProgressOptions {
  stream: NodeJS.WritableStream;
  /** A live bar that redraws in place (a TTY); otherwise one line per phase and fault. */
  live: boolean;
  color: ChalkInstance;
  /** Monotonic ms, to move the bar between entries (injected by tests). */
  now?: () => number;
}

/** Live progress of one run at a time on stderr: a bar of elapsed/duration and a status line. */
export class ConsoleProgress {
  private status: ProgressStatus = initialStatus();
  private bars: cliProgress.MultiBar | undefined;
  private run: { info: RunStartInfo; lastT: number; lastArrival: number } | undefined;
  private readonly now: () => number;

  constructor(private readonly options: ConsoleProgressOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  start(info: RunStartInfo): void {
    this.close();
    this.status = initialStatus();
    this.run = { info, lastT: 0, lastArrival: this.now() };
    const { color } = this.options;
    this.write(color.bold(`▶ ${info.experiment} · ${info.target} · iteration ${info.iteration}/${info.iterations} · ${formatDuration(info.durationMs)}`));
    if (!this.options.live) return;
    // clearOnComplete: the bar disappears at the end and the run's end line replaces it, so the
    // scrollback keeps only lines that stay true.
    this.bars = new cliProgress.MultiBar({ stream: this.options.stream, fps: 5, clearOnComplete: true, hideCursor: false, barsize: 30 }, cliProgress.Presets.shades_classic);
    this.bars.create(1, 0, undefined, { format: (options) => this.barLine(options) });
    this.bars.create(1, 0, undefined, { format: () => `  ${color.dim(formatStatus(this.status))}` });
  }

  entry(entry: TimelineEntry): void {
    if (this.run) {
      this.run.lastT = Math.max(this.run.lastT, entry.t);
      this.run.lastArrival = this.now();
    }
    countEntry(this.status, entry);
    const line = this.eventLine(entry);
    if (line === undefined) return;
    // Phases are on the live status line; without one, each gets its own line.
    if (this.bars && entry.kind !== 'phase') this.bars.log(`${line}\n`);
    else if (!this.bars) this.write(line);
  }

  end(result: RunResult): void {
    this.close();
    const { color } = this.options;
    const outcome = result.outcome === 'passed' ? color.green(result.outcome) : color.red(result.outcome);
    this.write(`■ ${outcome} in ${formatDuration(result.durationMs)} · ${formatStatus({ ...this.status, phase: 'done' })}`);
  }

  /** Stops the live bar, if any; safe to call twice. */
  close(): void {
    // MultiBar.stop() drops lines still waiting in its log buffer: one last redraw prints them.
    this.bars?.update();
    this.bars?.stop();
    this.bars = undefined;
    this.run = undefined;
  }

  private barLine(options: cliProgress.Options): string {
    const run = this.run;
    if (!run) return '';
    const total = Math.max(1, run.info.durationMs);
    // Entries are the run's clock; between two of them the bar moves on with the local clock.
    const elapsed = Math.min(total, run.lastT + Math.max(0, this.now() - run.lastArrival));
    const bar = cliProgress.Format.BarFormat(elapsed / total, options);
    return `  ${bar} ${formatDuration(elapsed)} / ${formatDuration(total)}`;
  }

  private eventLine(entry: TimelineEntry): string | undefined {
    const { color } = this.options;
    const at = `  ${formatDuration(entry.t).padStart(9)}  `;
    switch (entry.kind) {
      case 'phase':
        return `${at}phase ${entry.data.phase}`;
      case 'fault-injected':
        return `${at}${color.yellow(`fault ${entry.data.name}`)} → ${entry.data.subjects.join(', ') || 'the system'}${injectionTook(entry.data.startedAt, entry.t)}${entry.data.incomplete ? color.red(` (incomplete: ${printable(entry.data.incomplete)})`) : ''}`;
      case 'fault-failed':
        return `${at}${color.red(`fault ${entry.data.name} FAILED`)}: ${printable(entry.data.error)}`;
      case 'fault-rolled-back':
        return entry.data.ok
          ? `${at}rolled back ${entry.data.name}${entry.data.action ? `: ${entry.data.action}` : ''}`
          : `${at}${color.red(`rollback of ${entry.data.name} FAILED`)}: ${printable(entry.data.error ?? entry.data.action ?? 'unknown error')}`;
      case 'guard':
        return entry.data.violated ? `${at}${color.red(`guard ${entry.data.name} tripped`)}: ${printable(entry.data.detail)}` : undefined;
      default:
        return undefined;
    }
  }

  private write(line: string): void {
    this.options.stream.write(`${line}\n`);
  }
}

/** " (injection took 612 ms)" when the injection took a millisecond or more. */
function injectionTook(startedAt: number | undefined, t: number): string {
  return startedAt !== undefined && t - startedAt >= 1 ? ` (injection took ${formatDuration(t - startedAt)})` : '';
}
