import { formatDuration } from '../../common/duration.js';
import type { GameDayReport } from '../../gameday/game-day-report.js';
import { gameDayTimeline } from '../../gameday/game-day-timeline.js';
import { agreement, assertionsWords, outcomeWords, seconds, statusWords, stepKindWords, teamWords } from '../game-day-words.js';
import { escapeHtml } from './html-escape.js';
import { page } from './render-html.js';
import { badge } from './run-section.js';
import type { ChartAssets } from './uplot-assets.js';

const table = (header: readonly string[], rows: readonly (readonly string[])[], rowClass?: (index: number) => string) =>
  `<table><thead><tr>${header.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((cells, index) => `<tr${rowClass ? ` class="${rowClass(index)}"` : ''}>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;

const verdictBadge = (verdict: string | undefined) => (verdict === 'held' ? badge(true, 'held') : verdict === 'not-held' ? badge(false, 'did not hold') : '');

/** The post-mortem page: the game day's facts, outcomes, its timeline with notes inline and action items, then every run's section with its charts (notes as markers). */
export function renderGameDayReportHtml(report: GameDayReport, assets: ChartAssets): string {
  const { gameDay } = report;
  const ok = report.outcome === 'completed' && report.steps.every((step) => step.assertions.verdict !== 'not-held' && step.team?.verdict !== 'not-held');
  const head = [
    `<h1>Game day: ${escapeHtml(gameDay.title)}</h1>`,
    gameDay.description ? `<p>${escapeHtml(gameDay.description)}</p>` : '',
    `<p>${badge(ok, outcomeWords(report))} · started ${escapeHtml(report.startedAt)} · ${escapeHtml(formatDuration(report.durationMs))} · ${escapeHtml(report.mode)} · ${escapeHtml(gameDay.file)} · rebound ${escapeHtml(report.tool.version)}</p>`,
    '<h2>Who took part</h2>',
    gameDay.team.length === 0 ? '<p class="muted">Not given.</p>' : table(['name', 'role'], gameDay.team.map((member) => [escapeHtml(member.name), escapeHtml(member.role)])),
    '<h2>Plan</h2>',
    table(['#', 'step', 'what', 'hypothesis'], report.steps.map((step) => [String(step.index + 1), escapeHtml(step.name), escapeHtml(stepKindWords(step)), escapeHtml(step.hypothesis)])),
    `<p>Preflight ${badge(report.preflight.ok, report.preflight.ok ? 'passed' : 'failed')} in ${escapeHtml(formatDuration(report.preflight.durationMs))}</p>`,
    `<ul class="notes">${report.preflight.checks.map((check) => `<li${check.ok ? '' : ' class="bad"'}>${check.ok ? '✔' : '✘'} ${escapeHtml(check.check)}: ${escapeHtml(check.detail)}</li>`).join('')}</ul>`,
    '<h2>Outcome</h2>',
    table(
      ['#', 'step', 'ran', "the team's answer", 'the assertions', ''],
      report.steps.map((step) => [
        String(step.index + 1),
        step.runs.length > 0 ? `<a href="#run-${step.runs[0]}">${escapeHtml(step.name)}</a>` : escapeHtml(step.name),
        escapeHtml(statusWords(step)),
        `${verdictBadge(step.team?.verdict)} ${escapeHtml(teamWords(step.team, report.mode))}`,
        `${verdictBadge(step.assertions.verdict)} ${escapeHtml(assertionsWords(step))}`,
        escapeHtml(agreement(step)),
      ]),
    ),
    '<h2>Timeline</h2>',
    '<p class="muted">Game-day time (t = 0 when it started); notes are stamped when their first key was typed.</p>',
    (() => {
      const items = gameDayTimeline(report);
      return table(['t', 'step', 'what'], items.map((item) => [seconds(item.t), item.step === undefined ? '' : String(item.step + 1), `${item.kind === 'note' ? '📝 note: ' : item.kind === 'action-item' ? '❗ action item: ' : ''}${escapeHtml(item.text)}`]), (index) => `item-${items[index]!.kind}`);
    })(),
    '<h2>Rolled back</h2>',
    (() => {
      const rows = report.steps.flatMap((step) => step.rollbacks.map((rollback) => [rollback.t === undefined ? '—' : seconds(rollback.t), escapeHtml(`${step.index + 1} ${step.name}`), escapeHtml(rollback.name), `${badge(rollback.ok, rollback.ok ? 'ok' : 'FAILED')} ${escapeHtml(rollback.action)}${rollback.error ? ` (${escapeHtml(rollback.error)})` : ''}`]));
      return rows.length === 0 ? '<p class="muted">Nothing was injected, so nothing was rolled back.</p>' : table(['t', 'step', 'fault', 'undo'], rows);
    })(),
    report.stop ? `<p>Stopped by ${escapeHtml(report.stop.by)} at ${seconds(report.stop.t)}: ${escapeHtml(report.stop.undone.join('; ') || 'nothing was in effect')}.</p>` : '',
    '<h2>Action items</h2>',
    (() => {
      const actions = report.notes.filter((note) => note.actionItem);
      if (actions.length === 0) return '<p class="muted">None (a note typed with a leading <code>!</code> becomes one).</p>';
      return `<ul class="action-items">${actions.map((note) => `<li>☐ ${escapeHtml(note.text)} <span class="muted">(${note.t === undefined ? 'not placed' : seconds(note.t)}${note.step !== undefined ? `, step ${note.step + 1}` : ''})</span></li>`).join('')}</ul>`;
    })(),
  ]
    .filter((part) => part !== '')
    .join('\n');
  return page({ title: `rebound game day — ${gameDay.title}`, head, runs: report.runs, runsOpen: false }, assets);
}
