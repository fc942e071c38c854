import type { Verdict } from '../assertions/verdict.js';
import type { RunResult } from '../run/run-result.js';
import { formatMeasured } from './format.js';
import { runNotes } from './run-notes.js';
import { escapeXmlAttribute as attr, escapeXmlText as text } from './xml-escape.js';

// The JUnit XML both `rebound run` and `rebound compare` write: one <testsuite> per (experiment,
// target) with a <testcase> per assertion per iteration. What a failed assertion becomes is the
// caller's judgement (a <failure> for run; for compare, the claim decides).

/** How one test case ends: passed (no body), or one child element with a message and a detail. */
export type CaseStatus =
  | { status: 'passed'; output?: string }
  | { status: 'failure' | 'error' | 'skipped'; type: string; message: string; detail: string };

export interface TestCase {
  name: string;
  ms: number;
  end: CaseStatus;
}

/** What becomes of a run that did not complete, and of an assertion's verdict. */
export interface RunJudgement {
  incomplete(run: RunResult, message: string, type: string): CaseStatus;
  verdict(verdict: Verdict, run: RunResult): CaseStatus;
}

/** `rebound run`: an incomplete run is an <error>, a failed assertion a <failure>. */
export const judgeAsRun: RunJudgement = {
  incomplete: (_run, message, type) => ({ status: 'error', type, message, detail: message }),
  verdict: (verdict) => (verdict.passed ? { status: 'passed' } : { status: 'failure', type: 'AssertionFailed', message: verdict.explanation, detail: verdictDetail(verdict) }),
};

export const verdictDetail = (verdict: Verdict) => `${verdict.explanation}\nmeasured: ${formatMeasured(verdict)}\nthreshold: ${verdict.threshold}`;
export const seconds = (ms: number) => (ms / 1000).toFixed(3);
// Code-point order, not localeCompare: the same file on every machine whatever its locale.
export const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const INCOMPLETE = new Set(['error', 'aborted', 'interrupted']);

/** The run's test cases: one when it did not complete, one when a rollback failed, then one per verdict. */
function casesOf(run: RunResult, judge: RunJudgement): TestCase[] {
  const cases: Omit<TestCase, 'ms'>[] = [];
  const iteration = `[iteration ${run.iteration}]`;
  if (INCOMPLETE.has(run.outcome)) {
    const type = `Run${run.outcome[0]!.toUpperCase()}${run.outcome.slice(1)}`;
    cases.push({ name: `run ${iteration}`, end: judge.incomplete(run, `run ${run.outcome}: ${run.reason ?? 'no reason recorded'}`, type) });
  }
  const failedRollbacks = run.rollbacks.filter((rollback) => !rollback.ok);
  if (failedRollbacks.length > 0) {
    // A system possibly left degraded is an error whoever judges the run (exit 4).
    const detail = failedRollbacks.map((rollback) => `${rollback.name}: ${rollback.action}${rollback.error ? ` (${rollback.error})` : ''}`).join('\n');
    const message = `rollback failed, the system may be left degraded: ${failedRollbacks.map((rollback) => rollback.name).join(', ')}`;
    cases.push({ name: `rollback ${iteration}`, end: { status: 'error', type: 'RollbackFailed', message, detail } });
  }
  for (const verdict of run.verdicts) cases.push({ name: `${verdict.name} ${iteration}`, end: judge.verdict(verdict, run) });
  // Assertions carry no timing of their own: the run's time is shared out so the cases add up to it.
  return cases.map((testCase) => ({ ...testCase, ms: run.durationMs / cases.length }));
}

export function testCaseXml(testCase: TestCase, classname: string): string {
  const open = `    <testcase name="${attr(testCase.name)}" classname="${attr(classname)}" time="${seconds(testCase.ms)}"`;
  const { end } = testCase;
  if (end.status === 'passed') return end.output === undefined ? `${open}/>` : `${open}>\n      <system-out>${text(end.output)}</system-out>\n    </testcase>`;
  return `${open}>\n      <${end.status} message="${attr(end.message)}" type="${attr(end.type)}">${text(end.detail)}</${end.status}>\n    </testcase>`;
}

export interface SuiteXml {
  xml: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** Counts of a suite's cases by how they ended. */
export function tally(cases: readonly TestCase[]): Omit<SuiteXml, 'xml'> {
  const count = (status: CaseStatus['status']) => cases.filter((testCase) => testCase.end.status === status).length;
  return { tests: cases.length, failures: count('failure'), errors: count('error'), skipped: count('skipped') };
}

/** One <testsuite> for the iterations of one experiment on one target. */
export function runSuiteXml(runs: RunResult[], version: string, judge: RunJudgement): SuiteXml {
  const first = runs[0]!;
  const cases = runs.flatMap((run) => casesOf(run, judge));
  const counts = tally(cases);
  const properties = [
    ['target', first.target],
    ['target.description', first.plan.targetDescription],
    ['experiment.file', first.experiment.file],
    ['rebound.version', version],
  ].map(([name, value]) => `      <property name="${attr(name!)}" value="${attr(value!)}"/>`);
  const output = runs.flatMap((run) => [`iteration ${run.iteration}: ${run.outcome}`, ...runNotes(run).map((note) => `  ${note.failed ? '!' : '-'} ${note.text}`)]);
  const xml = [
    `  <testsuite ${suiteAttributes(`${first.experiment.name} (${first.target})`, counts, runs.reduce((sum, run) => sum + run.durationMs, 0), first.startedAt)}>`,
    '    <properties>',
    ...properties,
    '    </properties>',
    ...cases.map((testCase) => testCaseXml(testCase, `rebound.${first.experiment.name}.${first.target}`)),
    `    <system-out>${text(output.join('\n'))}</system-out>`,
    '  </testsuite>',
  ].join('\n');
  return { xml, ...counts };
}

export function suiteAttributes(name: string, counts: Omit<SuiteXml, 'xml'>, ms: number, startedAt: string): string {
  return [
    `name="${attr(name)}"`,
    `tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}"`,
    `time="${seconds(ms)}"`,
    // The JUnit schema's timestamp has no zone and no fraction (UTC here, as the ISO string was).
    `timestamp="${attr(startedAt.slice(0, 19))}"`,
  ].join(' ');
}

/** The runs of each (experiment, target), in code-point order of the pair, each in iteration order. */
export function runsByExperimentAndTarget(runs: readonly RunResult[]): RunResult[][] {
  const groups = new Map<string, RunResult[]>();
  for (const run of runs) {
    const key = `${run.experiment.name}\u0000${run.target}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.entries()].sort(([a], [b]) => byCodePoint(a, b)).map(([, group]) => [...group].sort((a, b) => a.iteration - b.iteration));
}

/**
 * The whole document. The root carries no `skipped` count: the Jenkins/xunit JUnit schema allows
 * none there (each <testsuite> has its own).
 */
export function junitDocument(name: string, suites: readonly SuiteXml[], ms: number): string {
  const sum = (key: 'tests' | 'failures' | 'errors') => suites.reduce((total, suite) => total + suite[key], 0);
  const root = `<testsuites name="${attr(name)}" tests="${sum('tests')}" failures="${sum('failures')}" errors="${sum('errors')}" time="${seconds(ms)}">`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', root, ...suites.map((suite) => suite.xml), '</testsuites>', ''].join('\n');
}
