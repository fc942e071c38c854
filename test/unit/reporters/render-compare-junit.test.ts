import { parse, type TestCase, type TestSuite, type TestSuites } from 'junit2json';
import { describe, expect, it } from 'vitest';
import { compareExitCode } from '../../../src/cli/commands/compare.js';
import type { CompareReport } from '../../../src/compare/compare-report.js';
import { renderCompareJUnit } from '../../../src/reporters/render-compare-junit.js';
import { renderJUnit } from '../../../src/reporters/junit-reporter.js';
import { reportFixture } from './fixture.js';
import { claimedCompareFixture, compareFixture } from './fixtures/compare-report.js';
import { junitSchemaErrors } from './junit-schema.js';

const CONFIRMED = { docker: 'fail', kubernetes: 'pass' } as const;
const CONTRADICTED = { docker: 'pass', kubernetes: 'pass' } as const;

async function parsed(report: CompareReport) {
  const xml = renderCompareJUnit(report);
  const root = (await parse(xml)) as TestSuites;
  const cases = (root.testsuite ?? []).flatMap((suite) => (suite.testcase ?? []).map((testCase) => ({ suite: suite.name!, ...testCase })));
  return { xml, root, cases };
}

const failuresIn = (cases: readonly TestCase[]) => cases.filter((testCase) => testCase.failure !== undefined);
const errorsIn = (cases: readonly TestCase[]) => cases.filter((testCase) => testCase.error !== undefined);

describe('junit reporter for rebound compare', () => {
  it('a confirmed compare has no failure: the claim passes, the failures it predicted are skipped as expected', async () => {
    const report = claimedCompareFixture(CONFIRMED);
    expect(report.comparisons[0]!.claim!.status).toBe('confirmed');
    const { xml, root, cases } = await parsed(report);
    expect(xml).toMatch(/<testsuites name="rebound compare" tests="\d+" failures="0" errors="0" /);
    expect({ failures: root.failures, errors: root.errors }).toEqual({ failures: 0, errors: 0 });
    expect(compareExitCode(report, undefined)).toBe(0);

    const claims = (root.testsuite as TestSuite[])[0]!;
    expect(claims.name).toBe('claims');
    expect(claims.testcase!.map((testCase) => [testCase.name, testCase.classname, testCase['system-out']?.[0]])).toEqual([
      ['A killed container stays down on Docker; Kubernetes replaces it', 'rebound.claims.web-survives-a-crash', 'confirmed: docker: 0/3 passed (expected fail) · kubernetes: 3/3 passed (expected pass)'],
    ]);
    const dockerFailed = cases.filter((testCase) => testCase.suite === 'web-survives-a-crash (docker)' && testCase.skipped);
    expect(dockerFailed.map((testCase) => testCase.name)).toEqual(['recoveryTime [iteration 1]', 'replicas [iteration 1]', 'recoveryTime [iteration 2]', 'replicas [iteration 2]', 'recoveryTime [iteration 3]', 'replicas [iteration 3]']);
    expect(dockerFailed[1]!.skipped![0]!).toMatchObject({ type: 'ExpectedFailure', message: 'failed as the claim expects (docker: fail): ready replicas 2 of 3 at the end' });
    // The unclaimed experiment is judged like `rebound run`, and passed.
    expect(cases.filter((testCase) => testCase.suite === 'web-survives-a-restart (kubernetes)').every((testCase) => !testCase.failure && !testCase.skipped)).toBe(true);
    const suites = root.testsuite as TestSuite[];
    expect(suites.map((suite) => [suite.name, suite.tests, suite.failures, suite.errors, suite.skipped])).toEqual([
      ['claims', 1, 0, 0, 0],
      ['web-survives-a-crash (docker)', 9, 0, 0, 6],
      ['web-survives-a-crash (kubernetes)', 6, 0, 0, 0],
      ['web-survives-a-restart (kubernetes)', 4, 0, 0, 0],
    ]);
  });

  it('validates against the Jenkins xunit JUnit schema, in compare and in run mode', async () => {
    for (const xml of [renderCompareJUnit(claimedCompareFixture(CONFIRMED)), renderCompareJUnit(claimedCompareFixture(CONTRADICTED)), renderCompareJUnit(compareFixture()), renderJUnit(reportFixture())]) {
      expect(await junitSchemaErrors(xml)).toEqual([]);
    }
  });

  it('the schema check can fail: a skipped count on the root is not allowed there', async () => {
    const xml = renderCompareJUnit(claimedCompareFixture(CONFIRMED)).replace('<testsuites name="rebound compare"', '<testsuites skipped="6" name="rebound compare"');
    expect((await junitSchemaErrors(xml)).join('\n')).toMatch(/attribute 'skipped' is not allowed/);
  });

  it('a contradicted claim is exactly one failure, naming the claim and the runs against it', async () => {
    const report = claimedCompareFixture(CONTRADICTED);
    const { root, cases } = await parsed(report);
    expect(compareExitCode(report, undefined)).toBe(1);
    expect({ failures: root.failures, errors: root.errors }).toEqual({ failures: 1, errors: 0 });
    const [failed, ...others] = failuresIn(cases);
    expect(others).toEqual([]);
    expect(failed!.name).toBe('A killed container stays down on Docker; Kubernetes replaces it');
    expect(failed!.failure![0]!.type).toBe('ClaimContradicted');
    expect(failed!.failure![0]!.message).toBe('contradicted: docker: 0/3 passed (expected pass) · kubernetes: 3/3 passed (expected pass) — claim: A killed container stays down on Docker; Kubernetes replaces it');
    expect(failed!.failure![0]!.inner).toContain('docker iteration 2: failed, the claim expects pass (recoveryTime: not recovered');
    const against = cases.find((testCase) => testCase.suite === 'web-survives-a-crash (docker)' && testCase.name === 'replicas [iteration 1]')!;
    expect(against.skipped![0]).toMatchObject({ type: 'AgainstClaim', message: expect.stringMatching(/^failed although the claim expects docker to pass; judged in the claim's test case \(contradicted\)/) });
  });

  it('keeps totals in step with the exit code: errors and failures are 0 exactly when compare exits 0', async () => {
    const mixed = compareFixture(); // a mixed claim, a claim not tested, an errored run, a failed rollback
    const { root, cases } = await parsed(mixed);
    expect(compareExitCode(mixed, undefined)).toBe(4);
    expect(failuresIn(cases).map((testCase) => [testCase.name, testCase.failure![0]!.type])).toEqual([
      ['Both engines bring a crashed replica back within 5 s', 'ClaimMixed'],
      ['Kubernetes reschedules pods off a drained node', 'ClaimNotTested'],
    ]);
    expect(errorsIn(cases).map((testCase) => testCase.error![0]!.type)).toEqual(['RunError', 'RollbackFailed']);
    expect(root.failures! + root.errors!).toBeGreaterThan(0);
    for (const expect_ of [CONFIRMED, CONTRADICTED, { docker: 'fail' as const }, { kubernetes: 'fail' as const }]) {
      const report = claimedCompareFixture(expect_);
      const { root: totals } = await parsed(report);
      expect(totals.failures! + totals.errors! === 0, JSON.stringify(expect_)).toBe(compareExitCode(report, undefined) === 0);
    }
  });

  it('renders the same document for the same report', () => {
    expect(renderCompareJUnit(claimedCompareFixture(CONFIRMED))).toMatchSnapshot();
  });
});
