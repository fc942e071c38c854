import { formatDuration } from '../../common/duration.js';
import type { RunResult } from '../../run/run-result.js';
import { formatMeasured, formatPercent } from '../format.js';
import { runNotes } from '../run-notes.js';
import { escapeHtml } from './html-escape.js';
import { notRecovered, type RunTimelineData } from './run-timeline-data.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export const badge = (passed: boolean, text: string) => `<span class="badge ${passed ? 'ok' : 'bad'}">${passed ? '✔' : '✘'} ${escapeHtml(text)}</span>`;

function verdictTable(run: RunResult): string {
  if (run.verdicts.length === 0) return '<p class="muted">No verdicts.</p>';
  const rows = run.verdicts.map(
    (verdict) =>
      `<tr class="${verdict.passed ? 'ok' : 'bad'}"><td>${badge(verdict.passed, verdict.passed ? 'passed' : 'failed')}</td><td>${escapeHtml(verdict.name)}</td><td class="num">${escapeHtml(formatMeasured(verdict))}</td><td>${escapeHtml(verdict.threshold)}</td><td>${escapeHtml(verdict.explanation)}</td></tr>`,
  );
  return `<table class="verdicts"><thead><tr><th>result</th><th>assertion</th><th>measured</th><th>threshold</th><th>explanation</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function notesList(run: RunResult): string {
  const notes = runNotes(run);
  if (notes.length === 0) return '';
  return `<ul class="notes">${notes.map((note) => `<li${note.failed ? ' class="bad"' : ''}>${note.failed ? '⚠ ' : ''}${escapeHtml(note.text)}</li>`).join('')}</ul>`;
}

/** The markers as a table: the chart's story, readable without JavaScript. */
function eventTable(data: RunTimelineData, run: RunResult): string {
  const rows = data.markers.map((marker) => `<tr class="marker-${marker.kind}"><td class="num">${seconds(marker.t)}</td><td>${escapeHtml(marker.text)}</td></tr>`);
  for (const text of notRecovered(run)) rows.push(`<tr class="bad"><td class="num">—</td><td>${escapeHtml(text)}</td></tr>`);
  if (rows.length === 0) return '<p class="muted">No fault was injected or rolled back.</p>';
  return `<table class="events"><thead><tr><th>t</th><th>event</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/**
 * Share of answers per version over time, one row per slice: how a rollout looked to the
 * client. Only when more than one version answered; one version is a line in the facts.
 */
function versionTable(data: RunTimelineData): string {
  const share = data.versions;
  if (share === null || share.versions.length < 2) return '';
  const header = ['t', ...share.versions.map((version) => `version ${escapeHtml(version)}`), 'answers'].map((cell) => `<th>${cell}</th>`).join('');
  const rows = share.slices.map((slice) => {
    const total = slice.counts.reduce((sum, count) => sum + count, 0);
    const cells = slice.counts.map((count) => `<td class="num">${total === 0 ? '—' : escapeHtml(formatPercent(count / total))}</td>`);
    return `<tr><td class="num">${seconds(slice.from)}–${seconds(slice.to)}</td>${cells.join('')}<td class="num">${total}</td></tr>`;
  });
  return `<table class="versions"><caption>Share of answers per version</caption><thead><tr>${header}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The headline of a run: outcome, experiment, target, iteration and how long it took. */
export function runTitle(run: RunResult): string {
  return `${badge(run.outcome === 'passed', run.outcome)} <strong>${escapeHtml(run.experiment.name)}</strong> · ${escapeHtml(run.target)} · iteration ${run.iteration} <span class="muted">— ${escapeHtml(formatDuration(run.durationMs))}</span>`;
}

/**
 * One run: header, verdict table, notes, the chart container the page script fills from
 * `data` (embedded as JSON under the same index), and the event table.
 */
export function runSectionHtml(run: RunResult, index: number, data: RunTimelineData, open: boolean): string {
  const facts = [
    ['target', run.plan.targetDescription],
    ['file', run.experiment.file],
    ['started', run.startedAt],
    ['settle period', formatDuration(run.plan.settleMs)],
    ...(run.plan.deploy?.facts ?? []).map((fact) => ['deploy', fact]),
    ...(run.plan.endWhenRecovered ? [['observed', `until every fault recovered (${formatDuration(run.durationMs)}), at most ${formatDuration(run.plan.durationMs)}`]] : []),
    ...(run.plan.guards ?? []).map((guard) => ['guard', guard.text.replace(/^guard /, '')]),
    ...(run.reason ? [['reason', run.reason]] : []),
    ...(data.versions?.versions.length === 1 ? [['version', `every answer that named its version: ${data.versions.versions[0]}`]] : []),
  ];
  return [
    `<details class="run" id="run-${index}"${open ? ' open' : ''}>`,
    `<summary>${runTitle(run)}</summary>`,
    run.experiment.description ? `<p>${escapeHtml(run.experiment.description)}</p>` : '',
    `<dl class="facts">${facts.map(([term, value]) => `<dt>${escapeHtml(term!)}</dt><dd>${escapeHtml(value!)}</dd>`).join('')}</dl>`,
    verdictTable(run),
    notesList(run),
    `<div class="charts" data-run-index="${index}"></div>`,
    versionTable(data),
    eventTable(data, run),
    '</details>',
  ]
    .filter((part) => part !== '')
    .join('\n');
}
