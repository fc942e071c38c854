import type { ClaimStatus, CompareReport, ExperimentComparison, MeasureName, MeasureSummary } from '../compare/compare-report.js';
import { measureDefinitions } from '../compare/measures.js';
import type { TargetKind } from '../targets/target.js';
import { formatSummaryValue } from './html/summary-value.js';

// The compare report's opening table: one row per claim — the claim, what the measurement made of
// it, and one headline number per target. The HTML and the Markdown reporter show the same rows
// (the README's "What the demo shows" is that Markdown, from a real run).

export interface OverviewCell {
  target: TargetKind;
  /** "1.50 s (1.48–1.52)", "not recovered 2/2", "not run". */
  text: string;
  /** Why the target was not run (the experiment's section says it too). */
  reason?: string;
  /** The measure's summary on this target (undefined: not run there). */
  summary?: MeasureSummary;
}

export interface OverviewRow {
  /** Position in the report (1-based), and the experiment's name for a link. */
  number: number;
  experiment: string;
  claim: string;
  status: ClaimStatus;
  headline: { name: MeasureName; label: string; unit: MeasureSummary['unit'] };
  cells: OverviewCell[];
}

/**
 * The claim's headline measure: the one it names, else recovery time where a fault was injected
 * and recovered or not, else failed requests.
 */
export function headlineOf(comparison: ExperimentComparison): MeasureName {
  if (comparison.claim?.headline !== undefined) return comparison.claim.headline;
  const recovery = comparison.sides.some((side) => side.measures.recoveryMs.n > 0 || side.measures.recoveryMs.notRecovered > 0);
  return recovery ? 'recoveryMs' : 'failedRequests';
}

/** "1.50 s (1.48–1.52)" — median and range; "not recovered 2/2" when no iteration had a value. */
export function headlineCell(summary: MeasureSummary, name: MeasureName, target: TargetKind): string {
  const value = (number: number) => formatSummaryValue(number, summary.unit);
  const missing = summary.notRecovered > 0 ? `${name === 'recoveryMs' ? 'not recovered' : 'not measured'} ${summary.notRecovered}/${summary.values.length}` : '';
  if (summary.median === null) return missing || (measureDefinitions[name].absent?.[target] ?? '—');
  const range = summary.min !== summary.max ? ` (${value(summary.min!)}–${value(summary.max!)})` : '';
  return `${value(summary.median)}${range}${missing && name === 'recoveryMs' ? `, ${missing}` : ''}`;
}

export function claimOverview(report: CompareReport): OverviewRow[] {
  return report.comparisons.flatMap((comparison, index): OverviewRow[] => {
    if (!comparison.claim) return [];
    const name = headlineOf(comparison);
    const definition = measureDefinitions[name];
    const cells = report.targets.map((target): OverviewCell => {
      const side = comparison.sides.find((candidate) => candidate.target === target);
      const skipped = comparison.skipped?.find((candidate) => candidate.target === target);
      if (side === undefined || side.iterations === 0) return { target, text: 'not run', ...(skipped && { reason: skipped.reason }) };
      return { target, text: headlineCell(side.measures[name], name, target), summary: side.measures[name] };
    });
    return [{ number: index + 1, experiment: comparison.experiment.name, claim: comparison.claim.text, status: comparison.claim.status, headline: { name, label: definition.label, unit: definition.unit }, cells }];
  });
}
