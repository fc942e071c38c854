import type { MeasureSummary } from '../../compare/compare-report.js';
import { escapeHtml } from './html-escape.js';
import { formatSummaryValue } from './summary-value.js';

/** One target's row: every iteration's value, its median and the median's 95 % interval. */
export interface StripRow {
  label: string;
  color: string;
  summary: Pick<MeasureSummary, 'values' | 'median' | 'ci95' | 'unit'>;
}

const WIDTH = 640;
const LEFT = 110;
/** Room on the right for "× 2 not recovered". */
const RIGHT = 120;
const ROW = 30;
const AXIS = 26;

/** 1, 2 or 5 times a power of ten, at least `raw`: tick steps a person reads at a glance. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((factor) => factor * power).find((step) => step >= raw) ?? 10 * power;
}

function domain(rows: readonly StripRow[]): [number, number] {
  const numbers = rows.flatMap((row) => [...row.summary.values, ...(row.summary.ci95 ?? [])]).filter((value): value is number => value !== null && Number.isFinite(value));
  const low = Math.min(...numbers);
  const high = Math.max(...numbers);
  const pad = high === low ? Math.max(Math.abs(high) * 0.1, rows[0]?.summary.unit === 'ratio' ? 0.01 : 1) : (high - low) * 0.05;
  return [low - pad, high + pad];
}

const coordinate = (value: number) => Number(value.toFixed(1));

/**
 * A strip plot as SVG markup: per target one row of dots (one per iteration, jittered a little so
 * equal values stay visible), the median as a tick and its 95 % interval as a band. Iterations
 * without a value are counted at the right (as `missing`, e.g. "not recovered"), never placed on the axis.
 * Static SVG, so the plot reads without JavaScript.
 */
export function stripPlotSvg(rows: readonly StripRow[], title: string, missing: { text: string; bad: boolean }): string {
  const height = rows.length * ROW + AXIS + 8;
  const hasValues = rows.some((row) => row.summary.values.some((value) => value !== null));
  const parts: string[] = [`<svg class="strip" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${escapeHtml(title)}">`, `<title>${escapeHtml(title)}</title>`];
  const [low, high] = hasValues ? domain(rows) : [0, 1];
  const x = (value: number) => coordinate(LEFT + ((value - low) / (high - low)) * (WIDTH - LEFT - RIGHT));
  const unit = rows[0]?.summary.unit ?? 'count';
  const axisY = rows.length * ROW + 4;
  if (hasValues) {
    const step = niceStep((high - low) / 4);
    let previousLabel: string | undefined;
    for (let tick = Math.ceil(low / step) * step; tick <= high; tick += step) {
      const value = Number(tick.toPrecision(12));
      // Values rounded for display (ms, %) can give two ticks the same label: show it once.
      const label = formatSummaryValue(value, unit);
      if (label === previousLabel) continue;
      previousLabel = label;
      parts.push(`<line class="grid" x1="${x(value)}" x2="${x(value)}" y1="0" y2="${axisY}"/>`, `<text class="tick" x="${x(value)}" y="${axisY + 16}" text-anchor="middle">${escapeHtml(label)}</text>`);
    }
  }
  parts.push(`<line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${axisY}" y2="${axisY}"/>`);
  rows.forEach((row, rowIndex) => {
    const middle = rowIndex * ROW + ROW / 2;
    parts.push(`<text class="row-label" x="${LEFT - 8}" y="${middle + 4}" text-anchor="end">${escapeHtml(row.label)}</text>`);
    const { ci95, median, values } = row.summary;
    if (ci95) parts.push(`<rect class="ci" x="${x(ci95[0])}" y="${middle - 6}" width="${coordinate(Math.max(1, x(ci95[1]) - x(ci95[0])))}" height="12" fill="${row.color}"><title>95 % CI of the median: ${escapeHtml(formatSummaryValue(ci95[0], unit))} – ${escapeHtml(formatSummaryValue(ci95[1], unit))}</title></rect>`);
    values.forEach((value, index) => {
      if (value === null) return;
      const jitter = ((index % 5) - 2) * 2.5;
      parts.push(`<circle cx="${x(value)}" cy="${coordinate(middle + jitter)}" r="4" fill="${row.color}"><title>iteration ${index + 1}: ${escapeHtml(formatSummaryValue(value, unit))}</title></circle>`);
    });
    if (median !== null) parts.push(`<line class="median" x1="${x(median)}" x2="${x(median)}" y1="${middle - 10}" y2="${middle + 10}"><title>median ${escapeHtml(formatSummaryValue(median, unit))}</title></line>`);
    const absent = values.filter((value) => value === null).length;
    if (absent > 0) parts.push(`<text class="missing${missing.bad ? ' bad' : ''}" x="${WIDTH - RIGHT + 10}" y="${middle + 4}">× ${absent} ${escapeHtml(missing.text)}</text>`);
  });
  if (!hasValues) parts.push(`<text class="tick" x="${LEFT + 8}" y="${axisY - 8}">no values</text>`);
  parts.push('</svg>');
  return parts.join('');
}
