import { assertionCatalog } from '../../assertions/catalog.js';
import { ExitCode } from '../../common/exit-codes.js';
import { faultTableMarkdown } from '../../faults/fault-table.js';
import { faultCatalog, unsupportedReason } from '../../faults/index.js';
import { reporterCatalog } from '../../reporters/catalog.js';
import { guardCatalog } from '../../safety/guards/index.js';

/** `rebound list`: the catalogs, one line each (generated from the same maps as the schema). */
export async function listCommand(argv: { markdown?: boolean } = {}): Promise<number> {
  if (argv.markdown) {
    process.stdout.write(`${faultTableMarkdown()}\n`);
    return ExitCode.passed;
  }
  // Each section's names padded to its longest, so the summaries line up.
  const width = (names: string[]) => Math.max(...names.map((name) => name.length));
  const faultWidth = width(Object.keys(faultCatalog));
  const lines = ['Faults:'];
  for (const fault of Object.values(faultCatalog)) {
    const where = (['docker', 'kubernetes'] as const).map((target) => `${target}${unsupportedReason(fault.name, target) === undefined ? '' : ' ✗'}`).join(', ');
    lines.push(`  ${fault.name.padEnd(faultWidth)} ${fault.summary} [${where}]`);
  }
  lines.push('', 'Assertions:');
  const checkWidth = width([...Object.keys(assertionCatalog), ...Object.keys(guardCatalog)]);
  for (const assertion of Object.values(assertionCatalog)) lines.push(`  ${assertion.name.padEnd(checkWidth)} ${assertion.summary}`);
  lines.push('', 'Guards (guards:, armed from the first fault):');
  for (const guard of Object.values(guardCatalog)) lines.push(`  ${guard.name.padEnd(checkWidth)} ${guard.summary}`);
  lines.push('', 'Reporters (--reporter name[=file]):');
  for (const [name, reporter] of Object.entries(reporterCatalog)) lines.push(`  ${name.padEnd(width(Object.keys(reporterCatalog)))} ${reporter.summary}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return ExitCode.passed;
}
