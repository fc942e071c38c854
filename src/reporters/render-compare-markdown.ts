import type { CompareReport } from '../compare/compare-report.js';
import { formatDuration } from '../common/duration.js';
import { claimOverview } from './claim-overview.js';
import { CELL_LEGEND, claimLine, comparisonRows } from './compare-cells.js';
import { markdownTable, markdownText } from './markdown-table.js';

const CLAIM_MARK = { confirmed: '✅', contradicted: '❌', mixed: '⚠️', 'not tested': '➖' } as const;

/** `rebound compare` for $GITHUB_STEP_SUMMARY: the claims at a glance, then one table per experiment. */
export function renderCompareMarkdown(report: CompareReport): string {
  const lines = [
    '# rebound compare',
    '',
    markdownText(`${report.targets.join(' vs ')} · ${report.iterations} iteration(s) per target · ${report.runs.length} runs in ${formatDuration(report.timing.totalMs)} · rebound ${report.tool.version}`),
    '',
  ];
  // The same rows as the HTML page's overview: the claim, what the measurement made of it, its headline per target.
  const overview = claimOverview(report);
  if (overview.length > 0) {
    const header = ['#', 'claim', '', 'status', 'headline', ...report.targets];
    const rows = overview.map((row) => [String(row.number), row.claim, CLAIM_MARK[row.status], row.status.toUpperCase(), row.headline.label, ...row.cells.map((cell) => cell.text)]);
    lines.push('## Claims, measured', '', ...markdownTable(header, rows), '', markdownText('_headline cells: median (min–max) over the iterations; the evidence (assertions passed per target) is under each experiment below_'), '');
  }
  for (const comparison of report.comparisons) {
    lines.push(markdownText(`## ${comparison.experiment.name}`), '', markdownText(`\`${comparison.experiment.file}\`${comparison.experiment.description ? ` — ${comparison.experiment.description}` : ''}`), '');
    if (comparison.claim) lines.push(markdownText(`> ${CLAIM_MARK[comparison.claim.status]} "${comparison.claim.text}": ${claimLine(comparison)}`), '');
    const [header, ...rows] = comparisonRows(comparison, report.targets);
    lines.push(...markdownTable(header!, rows), '');
    for (const side of comparison.sides) for (const note of side.notes) lines.push(`- ${markdownText(`${side.target}: ${note}`)}`);
    lines.push('');
  }
  lines.push(markdownText(`_${CELL_LEGEND}_`), '');
  return lines.join('\n');
}
