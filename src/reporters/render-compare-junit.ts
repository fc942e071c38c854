import type { ClaimStatus, ClaimVerdict, CompareReport, ExperimentComparison } from '../compare/compare-report.js';
import type { RunResult } from '../run/run-result.js';
import { type CaseStatus, judgeAsRun, junitDocument, type RunJudgement, runsByExperimentAndTarget, runSuiteXml, suiteAttributes, type SuiteXml, tally, type TestCase, testCaseXml, verdictDetail } from './junit-suite.js';

// `rebound compare` answers claims, so the claim is what a CI system should judge: one test case per
// claim, a <failure> unless it was confirmed. The assertions of each run are still listed, but a
// claimed experiment's failed assertion is evidence for or against its claim, not a failure of its
// own: it is reported <skipped> with a message saying which (as pytest reports an expected failure,
// "xfail", a convention GitHub, GitLab and Jenkins viewers show as skipped with its message). So
// failures + errors are 0 exactly when `rebound compare` exits 0. Experiments without a claim are
// judged as `rebound run` judges them: their assertions must pass.

const FAILURE_TYPE: Record<Exclude<ClaimStatus, 'confirmed'>, string> = { contradicted: 'ClaimContradicted', mixed: 'ClaimMixed', 'not tested': 'ClaimNotTested' };

/** JUnit XML of a compare: a "claims" suite with a test case per claim, then a suite per experiment and target. */
export function renderCompareJUnit(report: CompareReport): string {
  const claimed = report.comparisons.filter((comparison) => comparison.claim !== undefined);
  const suites: SuiteXml[] = claimed.length > 0 ? [claimSuiteXml(report, claimed)] : [];
  for (const comparison of report.comparisons) {
    const judge = comparison.claim ? judgeByClaim(comparison.claim) : judgeAsRun;
    for (const runs of runsByExperimentAndTarget(runsOf(report, comparison))) suites.push(runSuiteXml(runs, report.tool.version, judge));
  }
  return junitDocument('rebound compare', suites, report.timing.totalMs);
}

const runsOf = (report: CompareReport, comparison: ExperimentComparison) => comparison.runIndexes.map((index) => report.runs[index]!);

function claimSuiteXml(report: CompareReport, claimed: readonly ExperimentComparison[]): SuiteXml {
  const cases = claimed.map((comparison) => ({ comparison, testCase: claimCase(comparison, runsOf(report, comparison)) }));
  const counts = tally(cases.map(({ testCase }) => testCase));
  const ms = cases.reduce((sum, { testCase }) => sum + testCase.ms, 0);
  const xml = [
    `  <testsuite ${suiteAttributes('claims', counts, ms, report.startedAt)}>`,
    ...cases.map(({ comparison, testCase }) => testCaseXml(testCase, `rebound.claims.${comparison.experiment.name}`)),
    '  </testsuite>',
  ].join('\n');
  return { xml, ...counts };
}

/** A claim's test case: passed when confirmed (its evidence as output), else a failure naming it, its evidence and the runs against it. */
function claimCase(comparison: ExperimentComparison, runs: readonly RunResult[]): TestCase {
  const claim = comparison.claim!;
  const ms = runs.reduce((sum, run) => sum + run.durationMs, 0);
  const notRun = (comparison.skipped ?? []).map((side) => `${side.target}: not run, ${side.reason}`);
  const evidence = `${claim.status}: ${claim.explanation}`;
  if (claim.status === 'confirmed') return { name: claim.text, ms, end: { status: 'passed', output: [evidence, ...notRun].join('\n') } };
  const end: CaseStatus = { status: 'failure', type: FAILURE_TYPE[claim.status], message: `${evidence} — claim: ${claim.text}`, detail: [`claim: ${claim.text}`, evidence, ...againstPrediction(claim, runs), ...notRun].join('\n') };
  return { name: claim.text, ms, end };
}

/** One line per judged run that did the opposite of what the claim predicts for its target. */
function againstPrediction(claim: ClaimVerdict, runs: readonly RunResult[]): string[] {
  return runs.flatMap((run) => {
    const expected = claim.expect[run.target];
    if (expected === undefined || (run.outcome !== 'passed' && run.outcome !== 'failed')) return [];
    if ((run.outcome === 'passed') === (expected === 'pass')) return [];
    const failed = run.verdicts.filter((verdict) => !verdict.passed).map((verdict) => `${verdict.name}: ${verdict.explanation}`);
    return [`${run.target} iteration ${run.iteration}: ${run.outcome}, the claim expects ${expected}${failed.length > 0 ? ` (${failed.join('; ')})` : ''}`];
  });
}

/** A claimed experiment's runs: a failed assertion is evidence, reported skipped with what the claim made of it. */
function judgeByClaim(claim: ClaimVerdict): RunJudgement {
  return {
    // A run aborted by a guard is no evidence either way (claimVerdict), and does not change the
    // exit code; errors and interruptions do (3, 130), so they stay errors.
    incomplete: (run, message, type) =>
      run.outcome === 'aborted' ? { status: 'skipped', type: 'NoEvidence', message: `${message} (no evidence for or against the claim)`, detail: message } : judgeAsRun.incomplete(run, message, type),
    verdict: (verdict, run) => {
      if (verdict.passed) return { status: 'passed' };
      const expected = claim.expect[run.target];
      const detail = verdictDetail(verdict);
      if (expected === 'fail') return { status: 'skipped', type: 'ExpectedFailure', message: `failed as the claim expects (${run.target}: fail): ${verdict.explanation}`, detail };
      if (expected === 'pass') return { status: 'skipped', type: 'AgainstClaim', message: `failed although the claim expects ${run.target} to pass; judged in the claim's test case (${claim.status}): ${verdict.explanation}`, detail };
      return { status: 'skipped', type: 'NotPredicted', message: `failed; the claim predicts nothing for ${run.target}, so this is not judged: ${verdict.explanation}`, detail };
    },
  };
}
