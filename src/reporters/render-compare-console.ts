import { Chalk, type ChalkInstance } from 'chalk';
import type { ClaimStatus, CompareReport } from '../compare/compare-report.js';
import { formatDuration } from '../common/duration.js';
import { CELL_LEGEND, claimLine, comparisonRows } from './compare-cells.js';
import { printable } from './format.js';
import { textTable } from './text-table.js';

const plain = new Chalk({ level: 0 });

const statusColor = (status: ClaimStatus, color: ChalkInstance) =>
  status === 'confirmed' ? color.green : status === 'contradicted' ? color.red : color.yellow;

/** `rebound compare` on the console: per experiment the claim and a measure × target table, then the claims at a glance and where the time went. */
export function renderCompareConsole(report: CompareReport, color: ChalkInstance = plain): string {
  const lines: string[] = [''];
  for (const comparison of report.comparisons) {
    lines.push(color.bold(printable(`${comparison.experiment.name} (${comparison.experiment.file})`)));
    if (comparison.experiment.description) lines.push(color.dim(printable(`  ${comparison.experiment.description}`)));
    if (comparison.claim) {
      lines.push(`  claim: "${printable(comparison.claim.text)}"`);
      lines.push(`  ${statusColor(comparison.claim.status, color).bold(printable(claimLine(comparison)!))}`);
    }
    const [header, ...rows] = comparisonRows(comparison, report.targets);
    lines.push(...textTable([header!.map((cell) => color.dim(cell)), ...rows]));
    for (const side of comparison.sides) for (const note of side.notes) lines.push(color.dim(printable(`  · ${side.target}: ${note}`)));
    lines.push('');
  }
  lines.push(color.dim(`  ${CELL_LEGEND}`), '');
  const claims = report.comparisons.filter((comparison) => comparison.claim);
  if (claims.length > 0) {
    lines.push(color.bold('Claims, measured'));
    lines.push(...textTable(claims.map((comparison) => [statusColor(comparison.claim!.status, color)(comparison.claim!.status.toUpperCase()), printable(comparison.claim!.text)])));
    lines.push('');
  }
  const { timing } = report;
  lines.push(
    color.dim(
      `  ${report.runs.length} runs, ${report.iterations} iteration(s) per target, in ${formatDuration(timing.totalMs)}: ` +
        `waiting for engines ${formatDuration(timing.engineWaitMs)} (${share(timing.engineWaitMs, timing.totalMs)}), ` +
        `observing faults and recovery ${formatDuration(timing.observingMs)} (${share(timing.observingMs, timing.totalMs)}), ` +
        `rebound itself ${formatDuration(timing.reboundMs)} (${share(timing.reboundMs, timing.totalMs)}; CPU ${formatDuration(timing.reboundCpuMs)})`,
    ),
    '',
  );
  return lines.join('\n');
}

function share(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)} %` : '—';
}
