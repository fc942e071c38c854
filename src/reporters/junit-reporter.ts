import type { RunReport, RunResult } from '../run/run-result.js';
import { formatMeasured } from './format.js';
import type { Reporter, ReporterFactory } from './reporter.js';
import { runNotes } from './run-notes.js';
import { escapeXmlAttribute as attr, escapeXmlText as text } from './xml-escape.js';

interface TestCase {
  name: string;
  ms: number;
  /** The whole element body: empty for a passed case. */
  body: string;
  failed: boolean;
  errored: boolean;
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);
// Code-point order, not localeCompare: the same file on every machine whatever its locale.
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const INCOMPLETE = new Set(['error', 'aborted', 'interrupted']);

/** The run's test cases: an <error> when it did not complete or a rollback failed, then one per verdict. */
function casesOf(run: RunResult): TestCase[] {
  const cases: Omit<TestCase, 'ms'>[] = [];
  const iteration = `[iteration ${run.iteration}]`;
  if (INCOMPLETE.has(run.outcome)) {
    const type = `Run${run.outcome[0]!.toUpperCase()}${run.outcome.slice(1)}`;
    const message = `run ${run.outcome}: ${run.reason ?? 'no reason recorded'}`;
    cases.push({ name: `run ${iteration}`, body: `<error message="${attr(message)}" type="${type}">${text(message)}</error>`, failed: false, errored: true });
  }
  const failedRollbacks = run.rollbacks.filter((rollback) => !rollback.ok);
  if (failedRollbacks.length > 0) {
    const detail = failedRollbacks.map((rollback) => `${rollback.name}: ${rollback.action}${rollback.error ? ` (${rollback.error})` : ''}`).join('\n');
    const message = `rollback failed, the system may be left degraded: ${failedRollbacks.map((rollback) => rollback.name).join(', ')}`;
    cases.push({ name: `rollback ${iteration}`, body: `<error message="${attr(message)}" type="RollbackFailed">${text(detail)}</error>`, failed: false, errored: true });
  }
  for (const verdict of run.verdicts) {
    const detail = `${verdict.explanation}\nmeasured: ${formatMeasured(verdict)}\nthreshold: ${verdict.threshold}`;
    const body = verdict.passed ? '' : `<failure message="${attr(verdict.explanation)}" type="AssertionFailed">${text(detail)}</failure>`;
    cases.push({ name: `${verdict.name} ${iteration}`, body, failed: !verdict.passed, errored: false });
  }
  // Assertions carry no timing of their own: the run's time is shared out so the cases add up to it.
  return cases.map((testCase) => ({ ...testCase, ms: run.durationMs / cases.length }));
}

function testCaseXml(testCase: TestCase, classname: string): string {
  const open = `    <testcase name="${attr(testCase.name)}" classname="${attr(classname)}" time="${seconds(testCase.ms)}"`;
  return testCase.body === '' ? `${open}/>` : `${open}>\n      ${testCase.body}\n    </testcase>`;
}

function suiteXml(runs: RunResult[], report: RunReport): { xml: string; tests: number; failures: number; errors: number } {
  const first = runs[0]!;
  const cases = runs.flatMap(casesOf);
  const failures = cases.filter((testCase) => testCase.failed).length;
  const errors = cases.filter((testCase) => testCase.errored).length;
  const properties = [
    ['target', first.target],
    ['target.description', first.plan.targetDescription],
    ['experiment.file', first.experiment.file],
    ['rebound.version', report.tool.version],
  ].map(([name, value]) => `      <property name="${attr(name!)}" value="${attr(value!)}"/>`);
  const output = runs.flatMap((run) => [`iteration ${run.iteration}: ${run.outcome}`, ...runNotes(run).map((note) => `  ${note.failed ? '!' : '-'} ${note.text}`)]);
  const attributes = [
    `name="${attr(`${first.experiment.name} (${first.target})`)}"`,
    `tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0"`,
    `time="${seconds(runs.reduce((sum, run) => sum + run.durationMs, 0))}"`,
    // The JUnit schema's timestamp has no zone and no fraction (UTC here, as the ISO string was).
    `timestamp="${attr(first.startedAt.slice(0, 19))}"`,
  ];
  const xml = [
    `  <testsuite ${attributes.join(' ')}>`,
    '    <properties>',
    ...properties,
    '    </properties>',
    ...cases.map((testCase) => testCaseXml(testCase, `rebound.${first.experiment.name}.${first.target}`)),
    `    <system-out>${text(output.join('\n'))}</system-out>`,
    '  </testsuite>',
  ].join('\n');
  return { xml, tests: cases.length, failures, errors };
}

/** JUnit XML: one <testsuite> per (experiment, target), one <testcase> per assertion per iteration. */
export function renderJUnit(report: RunReport): string {
  const groups = new Map<string, RunResult[]>();
  for (const run of report.runs) {
    const key = `${run.experiment.name}\u0000${run.target}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const suites = [...groups.entries()]
    .sort(([a], [b]) => byCodePoint(a, b))
    .map(([, runs]) => suiteXml([...runs].sort((a, b) => a.iteration - b.iteration), report));
  const sum = (key: 'tests' | 'failures' | 'errors') => suites.reduce((total, suite) => total + suite[key], 0);
  const root = `<testsuites name="rebound" tests="${sum('tests')}" failures="${sum('failures')}" errors="${sum('errors')}" time="${seconds(report.durationMs)}">`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', root, ...suites.map((suite) => suite.xml), '</testsuites>', ''].join('\n');
}

export function createJUnitReporter(): Reporter {
  return { onFinished: renderJUnit };
}

export const junitReporter = {
  summary: 'JUnit XML for CI: a testsuite per experiment and target, a testcase per assertion per iteration',
  defaultFile: 'junit.xml',
  create: createJUnitReporter,
} satisfies ReporterFactory;
