import type { RunReport } from '../run/run-result.js';
import { judgeAsRun, junitDocument, runsByExperimentAndTarget, runSuiteXml } from './junit-suite.js';
import type { Reporter, ReporterFactory } from './reporter.js';
import { renderCompareJUnit } from './render-compare-junit.js';

/** JUnit XML: one <testsuite> per (experiment, target), one <testcase> per assertion per iteration. */
export function renderJUnit(report: RunReport): string {
  const suites = runsByExperimentAndTarget(report.runs).map((runs) => runSuiteXml(runs, report.tool.version, judgeAsRun));
  return junitDocument('rebound', suites, report.durationMs);
}

export function createJUnitReporter(): Reporter {
  return { onFinished: renderJUnit, onCompareFinished: renderCompareJUnit };
}

export const junitReporter = {
  summary: 'JUnit XML for CI: a testcase per assertion per iteration; for compare, a testcase per claim',
  defaultFile: 'junit.xml',
  create: createJUnitReporter,
} satisfies ReporterFactory;
