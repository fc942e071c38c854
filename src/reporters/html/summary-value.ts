import type { MeasureSummary } from '../../compare/compare-report.js';
import { formatCount, formatMeasured } from '../format.js';

/**
 * A statistic of a measure as shown in the compare tables and plots. Like a verdict's measured
 * value, except that a median or p95 of counts can fall between two counts (4.7 failed requests):
 * shown to one decimal instead of 4.699999999999999.
 */
export function formatSummaryValue(value: number | null, unit: MeasureSummary['unit']): string {
  if (value !== null && unit === 'count' && !Number.isInteger(value)) return formatCount(Number(value.toFixed(1)));
  return formatMeasured({ measured: value, unit });
}
