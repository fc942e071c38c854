import { formatDuration } from '../common/duration.js';
import type { GameDayReport, StepReport, TeamAnswer } from '../gameday/game-day-report.js';

// The post-mortem's words, shared by the Markdown and HTML renderings so both say the same.

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function outcomeWords(report: GameDayReport): string {
  switch (report.outcome) {
    case 'completed':
      return 'completed: every step ran or was skipped';
    case 'ended':
      return 'ended early by the facilitator';
    case 'refused':
      return 'refused: preflight failed, nothing ran';
    case 'stopped': {
      const stop = report.stop!;
      const during = stop.step !== undefined ? ` during step ${stop.step + 1} ${report.steps[stop.step]?.name ?? ''}` : '';
      const rolled = stop.rollbackMs !== undefined ? `, every fault rolled back ${formatDuration(stop.rollbackMs)} after it` : '';
      return `STOPPED by ${stop.by} at ${seconds(stop.t)}${during}${rolled}`;
    }
  }
}

export function teamWords(answer: TeamAnswer | undefined, mode: GameDayReport['mode']): string {
  if (!answer) return mode === 'interactive' ? 'not answered' : 'not asked (non-interactive)';
  const verdict = answer.verdict === 'held' ? 'held' : answer.verdict === 'not-held' ? 'did not hold' : 'unsure';
  return `${verdict}${answer.note ? ` — ${answer.note}` : ''}${answer.from === 'notes file' ? ' (notes file)' : ''}`;
}

export function assertionsWords(step: StepReport): string {
  if (step.assertions.verdict === 'none') return step.assertions.text;
  const verdict = { held: 'held', 'not-held': 'did not hold', 'not-judged': 'not judged' }[step.assertions.verdict];
  return `${verdict}: ${step.assertions.text}`;
}

/** Whether the team and the assertions agree, when both judged. */
export function agreement(step: StepReport): string {
  const team = step.team?.verdict;
  const measured = step.assertions.verdict;
  if (team === undefined || team === 'unsure' || (measured !== 'held' && measured !== 'not-held')) return '—';
  return team === measured ? 'agree' : 'DISAGREE';
}

export function statusWords(step: StepReport): string {
  const took = step.startedAt !== undefined && step.endedAt !== undefined ? ` in ${formatDuration(step.endedAt - step.startedAt)}` : '';
  return `${step.status}${took}${step.reason && step.status !== 'ran' ? ` (${step.reason})` : ''}`;
}

export function stepKindWords(step: StepReport): string {
  if (step.kind === 'check') return `manual check: ${step.check ?? ''}`;
  return `${step.inline ? 'inline experiment' : `experiment ${step.file ?? ''}`} on ${step.target ?? '?'}`;
}
