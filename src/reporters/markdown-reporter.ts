import type { RunReport } from '../experiments/run-result.js';
import { formatMeasured } from './format.js';
import type { Reporter } from './reporter.js';
import { runNotes } from './run-notes.js';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** GitHub-flavoured Markdown that fits $GITHUB_STEP_SUMMARY. */
export function renderMarkdown(report: RunReport): string {
  const verdicts = report.runs.flatMap((run) => run.verdicts);
  const passed = verdicts.filter((verdict) => verdict.passed).length;
  const lines = ['# rebound results', '', `**${passed} passed, ${verdicts.length - passed} failed** across ${report.runs.length} run(s)`, ''];
  for (const run of report.runs) {
    lines.push(`## ${cell(run.experiment.name)} · ${run.target} · iteration ${run.iteration} · ${run.outcome}`, '');
    lines.push('| | assertion | measured | threshold | explanation |', '|---|---|---|---|---|');
    for (const verdict of run.verdicts) lines.push(`| ${verdict.passed ? '✅' : '❌'} | ${verdict.name} | ${cell(formatMeasured(verdict))} | ${cell(verdict.threshold)} | ${cell(verdict.explanation)} |`);
    lines.push('');
    for (const note of runNotes(run)) lines.push(`- ${cell(note)}`);
    lines.push('');
  }
  return lines.join('\n');
}

export function createMarkdownReporter(): Reporter {
  return { onFinished: renderMarkdown };
}
