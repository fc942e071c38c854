import { formatDuration } from '../common/duration.js';
import type { Verdict } from '../assertions/verdict.js';

/** A verdict's measured value for a person: "1.32 s", "99.40 %", "3", or "—" when there is none. */
export function formatMeasured(verdict: Pick<Verdict, 'measured' | 'unit'>): string {
  if (verdict.measured === null) return '—';
  if (verdict.unit === 'ms') return formatDuration(verdict.measured);
  if (verdict.unit === 'ratio') return `${(verdict.measured * 100).toFixed(2)} %`;
  return String(verdict.measured);
}
