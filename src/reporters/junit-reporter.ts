import type { RunReport, RunResult } from '../experiments/run-result.js';
import { formatMeasured } from './format.js';
import type { Reporter } from './reporter.js';

// Characters XML 1.0 forbids even escaped (control characters, lone surrogates, U+FFFE/FFFF).
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(text: string): string {
  return text.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** One <testsuite> per experiment and target, one <testcase> per assertion per iteration. */
export function renderJUnit(report: RunReport): string {
  const suites = new Map<string, RunResult[]>();
  for (const run of report.runs) {
    const key = `${run.experiment.name}\u0000${run.target}`;
    suites.set(key, [...(suites.get(key) ?? []), run]);
  }
  const body: string[] = [];
  let total = 0;
  let failures = 0;
  let errors = 0;
  for (const [key, runs] of [...suites.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const [experiment, target] = key.split('\u0000') as [string, string];
    const classname = escapeXml(`rebound.${experiment}.${target}`);
    const cases: string[] = [];
    let suiteFailures = 0;
    let suiteErrors = 0;
    for (const run of [...runs].sort((a, b) => a.iteration - b.iteration)) {
      const perCase = run.verdicts.length > 0 ? run.durationMs / run.verdicts.length : run.durationMs;
      if (['error', 'aborted', 'interrupted'].includes(run.outcome)) {
        suiteErrors++;
        cases.push(`    <testcase name="${escapeXml(`run [iteration ${run.iteration}]`)}" classname="${classname}" time="${seconds(run.durationMs)}">\n      <error message="${escapeXml(`${run.outcome}: ${run.reason ?? ''}`)}" type="Run${run.outcome[0]!.toUpperCase()}${run.outcome.slice(1)}"/>\n    </testcase>`);
      }
      for (const verdict of run.verdicts) {
        const name = escapeXml(`${verdict.name} [iteration ${run.iteration}]`);
        if (verdict.passed) {
          cases.push(`    <testcase name="${name}" classname="${classname}" time="${seconds(perCase)}"/>`);
        } else {
          suiteFailures++;
          const detail = escapeXml(`${verdict.explanation}\nmeasured: ${formatMeasured(verdict)}\nthreshold: ${verdict.threshold}`);
          cases.push(`    <testcase name="${name}" classname="${classname}" time="${seconds(perCase)}">\n      <failure message="${escapeXml(verdict.explanation)}" type="AssertionFailed">${detail}</failure>\n    </testcase>`);
        }
      }
    }
    total += cases.length;
    failures += suiteFailures;
    errors += suiteErrors;
    const description = escapeXml(runs[0]!.plan.targetDescription);
    body.push(
      `  <testsuite name="${escapeXml(`${experiment} (${target})`)}" tests="${cases.length}" failures="${suiteFailures}" errors="${suiteErrors}" time="${seconds(runs.reduce((sum, run) => sum + run.durationMs, 0))}" timestamp="${escapeXml(runs[0]!.startedAt)}">\n    <properties>\n      <property name="target" value="${description}"/>\n    </properties>\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="rebound" tests="${total}" failures="${failures}" errors="${errors}" time="${seconds(report.durationMs)}">\n${body.join('\n')}\n</testsuites>\n`;
}

export function createJUnitReporter(): Reporter {
  return { onFinished: renderJUnit };
}
