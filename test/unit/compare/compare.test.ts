import { describe, expect, it } from 'vitest';
import { claimVerdict } from '../../../src/compare/claim-verdict.js';
import { compareExperiment } from '../../../src/compare/compare-experiment.js';
import type { CompareReport, TargetSide } from '../../../src/compare/compare-report.js';
import { runMeasures } from '../../../src/compare/measures.js';
import { whyNotOn } from '../../../src/compare/run-comparison.js';
import { compareExitCode } from '../../../src/cli/commands/compare.js';
import { parseExperiment } from '../../../src/experiments/load-experiment.js';
import type { RunResult } from '../../../src/run/run-result.js';
import { renderCompareConsole } from '../../../src/reporters/render-compare-console.js';
import { renderCompareMarkdown } from '../../../src/reporters/render-compare-markdown.js';
import { comparisonRows } from '../../../src/reporters/compare-cells.js';
import { renderCompareReportHtml } from '../../../src/reporters/html/index.js';
import { reportFixture } from '../reporters/fixture.js';

const EXPERIMENT = `
apiVersion: rebound/v1
kind: Experiment
metadata: { name: web-survives-a-crash }
claim:
  text: "Docker: a killed container stays down. Kubernetes: replaced."
  expect: { docker: fail, kubernetes: pass }
system: { selector: { app: web }, url: "http://127.0.0.1:18080/" }
duration: 12s
faults:
  - crash: { count: 1 }
    at: 3s
`;

const experiment = () => parseExperiment(EXPERIMENT, 'crash.yaml');

/** The fixture's two Docker runs (one recovered, one not) and the same recovered run again as Kubernetes. */
function runs(): RunResult[] {
  const [recovered, notRecovered] = reportFixture().runs;
  const kubernetes = (iteration: number): RunResult => ({ ...structuredClone(recovered!), target: 'kubernetes', iteration });
  return [recovered!, notRecovered!, kubernetes(1), kubernetes(2)];
}

const side = (target: 'docker' | 'kubernetes', outcomes: RunResult['outcome'][]): TargetSide =>
  ({ target, iterations: outcomes.length, passed: outcomes.filter((outcome) => outcome === 'passed').length, outcomes, measures: {} as TargetSide['measures'], notes: [] });

describe('claim verdicts', () => {
  const claim = { text: 'x', expect: { docker: 'fail', kubernetes: 'pass' } as const };

  it('confirms a claim every judged iteration agrees with', () => {
    const verdict = claimVerdict(claim, [side('docker', ['failed', 'failed']), side('kubernetes', ['passed', 'passed'])]);
    expect(verdict.status).toBe('confirmed');
    expect(verdict.explanation).toBe('docker: 0/2 passed (expected fail) · kubernetes: 2/2 passed (expected pass)');
  });

  it('calls a claim contradicted when most iterations of a target did the opposite, mixed when only some did', () => {
    expect(claimVerdict(claim, [side('docker', ['passed', 'passed', 'failed']), side('kubernetes', ['passed'])]).status).toBe('contradicted');
    expect(claimVerdict(claim, [side('docker', ['failed', 'failed', 'passed']), side('kubernetes', ['passed'])]).status).toBe('mixed');
  });

  it('takes interrupted and errored runs as no evidence', () => {
    expect(claimVerdict(claim, [side('docker', ['error']), side('kubernetes', ['interrupted'])]).status).toBe('not tested');
    expect(claimVerdict(claim, [side('docker', ['failed', 'error']), side('kubernetes', ['passed'])]).status).toBe('confirmed');
  });
});

describe('comparing one experiment across targets', () => {
  it('summarises each measure per target from the timelines, counting runs that never recovered', () => {
    const all = runs();
    expect(runMeasures(all[0]!).recoveryMs).not.toBeNull();
    expect(runMeasures(all[1]!).recoveryMs).toBeNull();
    const comparison = compareExperiment(experiment(), 'crash.yaml', ['docker', 'kubernetes'], all, [0, 1, 2, 3]);
    const [docker, kubernetes] = comparison.sides;
    expect(docker!.measures.recoveryMs).toMatchObject({ n: 1, notRecovered: 1, values: [runMeasures(all[0]!).recoveryMs, null] });
    expect(kubernetes!.measures.recoveryMs).toMatchObject({ n: 2, notRecovered: 0 });
    expect(kubernetes!.measures.recoveryMs.ci95).toEqual([kubernetes!.measures.recoveryMs.median, kubernetes!.measures.recoveryMs.median]);
    expect(docker!.passed).toBe(1);
    // docker passed 1 of 2 where the claim expects failures: not confirmed, not contradicted.
    expect(comparison.claim?.status).toBe('mixed');
    expect(docker!.notes.some((note) => note.includes('manual stop'))).toBe(true);
  });

  it('skips a target the experiment is not for, or whose fault the target cannot do, and says why', () => {
    expect(whyNotOn(experiment(), 'docker')).toBeUndefined();
    const drain = parseExperiment(EXPERIMENT.replace('crash: { count: 1 }', 'drain-node: {}'), 'drain.yaml');
    expect(whyNotOn(drain, 'docker')).toMatch(/drain-node is not supported on docker: a Docker host has no scheduler/);
    const onlyKubernetes = parseExperiment(`${EXPERIMENT}targets: [kubernetes]\n`, 'k.yaml');
    expect(whyNotOn(onlyKubernetes, 'docker')).toBe('the experiment is for kubernetes only (targets: [kubernetes])');
    expect(whyNotOn(onlyKubernetes, 'kubernetes')).toBeUndefined();
  });
});

function compareReport(): CompareReport {
  const all = runs();
  const comparison = compareExperiment(experiment(), 'crash.yaml', ['docker', 'kubernetes'], all, [0, 1, 2, 3]);
  return {
    tool: { name: 'rebound', version: '0.0.0-test' },
    kind: 'compare',
    startedAt: all[0]!.startedAt,
    iterations: 2,
    targets: ['docker', 'kubernetes'],
    comparisons: [comparison],
    runs: all,
    timing: { totalMs: 60_000, engineWaitMs: 10_000, observingMs: 48_000, reboundMs: 2_000, reboundCpuMs: 900 },
  };
}

describe('two tiers: answers that crossed nodes', () => {
  /** The recovered run, with every probe request answered by web and api on different nodes (odd t) or the same node (even t). */
  function twoTier(target: 'docker' | 'kubernetes', iteration: number): RunResult {
    const run: RunResult = { ...structuredClone(reportFixture().runs[0]!), target, iteration };
    if (target === 'kubernetes') {
      run.timeline = run.timeline.map((entry, index) => (entry.kind === 'request' ? { ...entry, data: { ...entry.data, crossedNodes: index % 2 === 1 } } : entry));
    }
    return run;
  }

  it('measures the share on Kubernetes and says "one host: nothing to cross" on Docker instead of a number', () => {
    const all = [twoTier('docker', 1), twoTier('kubernetes', 1)];
    const share = runMeasures(all[1]!).crossedNodeShare;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.7);
    expect(runMeasures(all[0]!).crossedNodeShare).toBeNull();
    const comparison = compareExperiment(experiment(), 'two-tier.yaml', ['docker', 'kubernetes'], all, [0, 1]);
    const row = comparisonRows(comparison, ['docker', 'kubernetes']).find((cells) => cells[0] === 'answers that crossed nodes');
    expect(row?.[1]).toBe('one host: nothing to cross');
    expect(row?.[2]).toMatch(/^\d+\.\d %$/);
    const html = renderCompareReportHtml({ ...compareReport(), comparisons: [comparison], runs: all }, { css: '', script: '' });
    expect(html).toContain('<td class="num">one host: nothing to cross</td>');
  });

  it('shows no crossing row for one-tier runs (nothing said on either side)', () => {
    const rows = comparisonRows(compareExperiment(experiment(), 'crash.yaml', ['docker', 'kubernetes'], runs(), [0, 1, 2, 3]), ['docker', 'kubernetes']);
    expect(rows.map((cells) => cells[0])).not.toContain('answers that crossed nodes');
  });
});

describe('compare exit codes and reports', () => {
  it('exits 0 when every claim is confirmed, 1 when one is not, and keeps 4/130 first', () => {
    const report = compareReport();
    expect(compareExitCode(report, undefined)).toBe(1);
    report.comparisons[0]!.claim!.status = 'confirmed';
    expect(compareExitCode(report, undefined)).toBe(0);
    expect(compareExitCode(report, 'SIGINT')).toBe(130);
    report.runs[0]!.rollbacks[0]!.ok = false;
    expect(compareExitCode(report, undefined)).toBe(4);
  });

  it('renders the side-by-side table on the console and in Markdown', () => {
    const report = compareReport();
    expect(renderCompareConsole(report)).toMatchSnapshot();
    expect(renderCompareMarkdown(report)).toMatchSnapshot();
  });
});
