import { formatDuration } from '../common/duration.js';
import type { GameDayReport } from '../gameday/game-day-report.js';
import { gameDayTimeline } from '../gameday/game-day-timeline.js';
import { formatMeasured } from './format.js';
import { agreement, assertionsWords, outcomeWords, seconds, statusWords, stepKindWords, teamWords } from './game-day-words.js';
import { markdownTable, markdownText } from './markdown-table.js';

const ICON: Record<string, string> = { note: '📝', 'action-item': '❗', fault: '💥', rollback: '↩️', recovered: '✅', guard: '🛑', run: '▶️', 'game-day': '' };

/** The game day's post-mortem in GitHub Markdown: who, the plan, outcomes side by side, each step, the timeline with the notes inline, what was rolled back, the action items. */
export function renderGameDayMarkdown(report: GameDayReport): string {
  const { gameDay } = report;
  const lines = [`# Game day: ${markdownText(gameDay.title)}`, ''];
  if (gameDay.description) lines.push(markdownText(gameDay.description), '');
  lines.push(
    `**${markdownText(outcomeWords(report))}** · started ${markdownText(report.startedAt)} · ${formatDuration(report.durationMs)} · ${report.mode} · ${markdownText(gameDay.file)} · rebound ${markdownText(report.tool.version)}`,
    '',
    '## Who took part',
    '',
  );
  if (gameDay.team.length === 0) lines.push('Not given (the game-day file has no `team`).', '');
  else lines.push(...markdownTable(['name', 'role'], gameDay.team.map((member) => [member.name, member.role])), '');

  lines.push('## Plan', '', ...markdownTable(['#', 'step', 'what', 'hypothesis'], report.steps.map((step) => [String(step.index + 1), step.name, stepKindWords(step), step.hypothesis])), '');
  lines.push('### Preflight', '', `${report.preflight.ok ? '✅ passed' : '❌ failed'} in ${formatDuration(report.preflight.durationMs)}`, '');
  lines.push(...report.preflight.checks.map((check) => `- ${check.ok ? '✅' : '❌'} ${markdownText(check.check)}: ${markdownText(check.detail)}`), '');

  lines.push('## Outcome', '', ...markdownTable(['#', 'step', 'ran', "the team's answer", 'the assertions', ''], report.steps.map((step) => [String(step.index + 1), step.name, statusWords(step), teamWords(step.team, report.mode), assertionsWords(step), agreement(step)])), '');

  for (const step of report.steps) {
    lines.push(`## Step ${step.index + 1}: ${markdownText(step.name)}${step.title ? ` — ${markdownText(step.title)}` : ''}`, '');
    lines.push(`- **hypothesis:** ${markdownText(step.hypothesis)}`, `- **what:** ${markdownText(stepKindWords(step))}`, `- **ran:** ${markdownText(statusWords(step))}`);
    lines.push(`- **the team:** ${markdownText(teamWords(step.team, report.mode))}`, `- **the assertions:** ${markdownText(assertionsWords(step))}`);
    for (const note of step.notes) lines.push(`- ${markdownText(note)}`);
    lines.push('');
    const verdicts = step.runs.flatMap((index) => report.runs[index]!.verdicts.map((verdict) => ({ verdict, iteration: report.runs[index]!.iteration })));
    if (verdicts.length > 0) {
      lines.push(...markdownTable(['', 'assertion', 'iteration', 'measured', 'threshold', 'explanation'], verdicts.map(({ verdict, iteration }) => [verdict.passed ? '✅' : '❌', verdict.name, String(iteration), formatMeasured(verdict), verdict.threshold, verdict.explanation])), '');
    }
  }

  lines.push('## Timeline', '', 'Game-day time (t = 0 when it started); notes are stamped when their first key was typed.', '');
  lines.push(...markdownTable(['t', 'step', '', 'what'], gameDayTimeline(report).map((item) => [seconds(item.t), item.step === undefined ? '' : String(item.step + 1), ICON[item.kind] ?? '', item.kind === 'note' || item.kind === 'action-item' ? `**${item.kind === 'note' ? 'note' : 'action item'}:** ${item.text}` : item.text])), '');
  const unplaced = report.notes.filter((note) => note.t === undefined);
  if (unplaced.length > 0) lines.push(...unplaced.map((note) => `- note not placed (${markdownText(note.unplaced ?? 'no time')}): ${markdownText(note.text)}`), '');

  lines.push('## Rolled back', '');
  const rollbacks = report.steps.flatMap((step) => step.rollbacks.map((rollback) => ({ step, rollback })));
  if (rollbacks.length === 0) lines.push('Nothing was injected, so nothing was rolled back.', '');
  else lines.push(...markdownTable(['t', 'step', 'fault', 'undo'], rollbacks.map(({ step, rollback }) => [rollback.t === undefined ? '—' : seconds(rollback.t), `${step.index + 1} ${step.name}`, rollback.name, `${rollback.ok ? '✅' : '❌ FAILED'} ${rollback.action}${rollback.error ? ` (${rollback.error})` : ''}`])), '');
  if (report.stop) lines.push(`Stopped by ${markdownText(report.stop.by)} at ${seconds(report.stop.t)}: ${report.stop.undone.length > 0 ? report.stop.undone.map(markdownText).join('; ') : 'nothing was in effect'}.`, '');

  lines.push('## Action items', '');
  const actions = report.notes.filter((note) => note.actionItem);
  if (actions.length === 0) lines.push('None (a note typed with a leading `!` becomes one).', '');
  else lines.push(...actions.map((note) => `- [ ] ${markdownText(note.text)} _(${note.t === undefined ? 'not placed' : seconds(note.t)}${note.step !== undefined ? `, step ${note.step + 1} ${markdownText(report.steps[note.step]?.name ?? '')}` : ''})_`), '');
  return lines.join('\n');
}
