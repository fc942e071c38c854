import type { CompareReport, ExperimentComparison, MeasureSummary, TargetSide } from '../compare/compare-report.js';
import { measureDefinitions, measureNames } from '../compare/measures.js';
import { formatDuration } from '../common/duration.js';
import { formatPercent } from './format.js';

// The side-by-side table of `rebound compare`, as cells: the console and Markdown show the same
// figures, only the frame differs.

const value = (measure: MeasureSummary, number: number) =>
  measure.unit === 'ms' ? formatDuration(number) : measure.unit === 'ratio' ? formatPercent(number) : number.toLocaleString('en-US', { maximumFractionDigits: 1 });

/**
 * "1.52 s [1.40–1.63] · 1.38–1.71" (median [95 % interval of the median] · min–max), "· p95 1.70"
 * from 5 values on (below that p95 is the maximum by another name), "· 1 of 3 not recovered";
 * one number when every value is the same; "—" when nothing was measured.
 */
export function measureCell(measure: MeasureSummary): string {
  const parts: string[] = [];
  if (measure.median !== null) {
    const [low, high] = measure.ci95!;
    if (measure.min === measure.max) parts.push(value(measure, measure.median));
    else {
      parts.push(low === high ? value(measure, measure.median) : `${value(measure, measure.median)} [${value(measure, low)}–${value(measure, high)}]`);
      parts.push(`${value(measure, measure.min!)}–${value(measure, measure.max!)}`);
      if (measure.n >= 5) parts.push(`p95 ${value(measure, measure.p95!)}`);
    }
  }
  if (measure.notRecovered > 0) parts.push(`${measure.notRecovered} of ${measure.values.length} not recovered`);
  return parts.length === 0 ? '—' : parts.join(' · ');
}

/** "2/3 passed", or why the target was not run. */
export function passedCell(side: TargetSide | undefined, skipped: string | undefined): string {
  if (skipped !== undefined) return `not run: ${skipped}`;
  if (side === undefined) return 'not run';
  return `${side.passed}/${side.iterations} passed`;
}

/** One experiment's rows: header (measure + one column per target), pass counts, then each measure that was measured somewhere. */
export function comparisonRows(comparison: ExperimentComparison, targets: CompareReport['targets']): string[][] {
  const sideOf = (target: string) => comparison.sides.find((side) => side.target === target);
  const skippedOf = (target: string) => comparison.skipped?.find((entry) => entry.target === target)?.reason;
  const rows: string[][] = [['measure', ...targets], ['assertions', ...targets.map((target) => passedCell(sideOf(target), skippedOf(target)))]];
  for (const name of measureNames) {
    const cells = targets.map((target) => {
      const side = sideOf(target);
      return side ? measureCell(side.measures[name]) : '';
    });
    if (cells.every((cell) => cell === '—' || cell === '')) continue;
    // Measured somewhere: a target where it cannot exist says why ("one host: nothing to cross").
    const absent = measureDefinitions[name].absent ?? {};
    rows.push([measureDefinitions[name].label, ...cells.map((cell, index) => (cell === '—' ? (absent[targets[index]!] ?? cell) : cell))]);
  }
  return rows;
}

/** The claim line: "CONFIRMED — docker: 0/2 passed (expected fail) · kubernetes: 2/2 passed (expected pass)". */
export function claimLine(comparison: ExperimentComparison): string | undefined {
  const { claim } = comparison;
  if (!claim) return undefined;
  return `${claim.status.toUpperCase()} — ${claim.explanation}`;
}

/** How to read a cell: said once under the tables. */
export const CELL_LEGEND = 'cells: median [bootstrap 95 % interval of the median] · min–max (· p95 from 5 iterations on); one value when all were equal; runs that never recovered are counted, not averaged in';
