import type { Reporter } from './reporter.js';

/** The whole RunReport, timeline included: re-readable, and re-evaluable with the same assertions. */
export function createJsonReporter(): Reporter {
  return { onFinished: (report) => `${JSON.stringify(report, null, 1)}\n` };
}
