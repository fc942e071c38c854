import { Chalk } from 'chalk';
import { ConsoleProgress } from './console-progress.js';
import { renderCompareConsole } from './render-compare-console.js';
import { renderConsole } from './render-console.js';
import type { Reporter, ReporterFactory, ReporterOptions } from './reporter.js';
import { useColor } from './use-color.js';

/** Live progress on stderr while running (a bar on a terminal, else one line per phase and fault), then the final table. */
export function createConsoleReporter(options: ReporterOptions): Reporter {
  const progressColor = new Chalk({ level: useColor(options.interactive) ? 1 : 0 });
  const textColor = new Chalk({ level: useColor(options.color ?? options.interactive) ? 1 : 0 });
  const progress = new ConsoleProgress({ stream: options.progressStream, live: options.interactive, color: progressColor });
  return {
    onRunStart: (info) => progress.start(info),
    onEntry: (entry) => progress.entry(entry),
    onRunEnd: (result) => progress.end(result),
    onFinished(report) {
      progress.close();
      return renderConsole(report, textColor);
    },
    onCompareFinished(report) {
      progress.close();
      return renderCompareConsole(report, textColor);
    },
    close: () => progress.close(),
  };
}

export const consoleReporter = {
  summary: 'live progress on stderr, then a table of verdicts with fault notes, rollbacks and detection lag',
  defaultFile: 'report.txt',
  create: createConsoleReporter,
} satisfies ReporterFactory;
