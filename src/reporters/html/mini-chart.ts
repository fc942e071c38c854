import type { MeasureSummary } from '../../compare/compare-report.js';
import { escapeHtml } from './html-escape.js';
import { formatSummaryValue } from './summary-value.js';

/** One target's bar in the overview's chart. */
export interface MiniRow {
  label: string;
  color: string;
  summary?: Pick<MeasureSummary, 'values' | 'median' | 'unit'>;
}

const WIDTH = 260;
const LEFT = 78;
const RIGHT = 58;
const ROW = 18;

const coordinate = (value: number) => Number(value.toFixed(1));

/**
 * The overview's side-by-side chart as SVG: per target a bar from 0 to the median and a dot per
 * iteration, on one axis shared by the targets (from 0, so the bars' lengths compare), the median's
 * value in the right margin. Iterations without a value (not recovered) are counted in words instead.
 */
export function miniChartSvg(rows: readonly MiniRow[], title: string, missingText: string): string {
  const values = rows.flatMap((row) => row.summary?.values ?? []).filter((value): value is number => value !== null && Number.isFinite(value));
  const unit = rows.find((row) => row.summary)?.summary?.unit ?? 'count';
  const high = unit === 'ratio' ? 1 : Math.max(...values, 0) || 1;
  const x = (value: number) => coordinate(LEFT + (Math.max(0, value) / high) * (WIDTH - LEFT - RIGHT));
  const height = rows.length * ROW + 4;
  const parts = [`<svg class="mini" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${escapeHtml(title)}">`, `<title>${escapeHtml(title)}</title>`];
  parts.push(`<line class="axis" x1="${LEFT}" x2="${LEFT}" y1="0" y2="${height}"/>`);
  rows.forEach((row, index) => {
    const middle = index * ROW + ROW / 2 + 2;
    parts.push(`<text class="row-label" x="${LEFT - 6}" y="${middle + 4}" text-anchor="end">${escapeHtml(row.label)}</text>`);
    const summary = row.summary;
    if (!summary) return;
    if (summary.median !== null) {
      const text = formatSummaryValue(summary.median, summary.unit);
      parts.push(`<rect class="bar" x="${LEFT}" y="${middle - 5}" width="${coordinate(Math.max(1, x(summary.median) - LEFT))}" height="10" fill="${row.color}"><title>${escapeHtml(row.label)}: median ${escapeHtml(text)}</title></rect>`);
      // In the right margin, clear of the dots (an iteration may lie beyond the median).
      parts.push(`<text class="tick" x="${WIDTH - RIGHT + 6}" y="${middle + 4}">${escapeHtml(text)}</text>`);
    }
    summary.values.forEach((value, iteration) => {
      if (value === null) return;
      parts.push(`<circle cx="${x(value)}" cy="${middle}" r="2.5" fill="#222"><title>iteration ${iteration + 1}: ${escapeHtml(formatSummaryValue(value, summary.unit))}</title></circle>`);
    });
    const absent = summary.values.filter((value) => value === null).length;
    if (summary.median === null && absent > 0) parts.push(`<text class="missing bad" x="${LEFT + 4}" y="${middle + 4}">× ${absent} ${escapeHtml(missingText)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
