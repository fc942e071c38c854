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
  const lines = ['Faults:'];
  for (const fault of Object.values(faultCatalog)) {
    const where = (['docker', 'kubernetes'] as const).map((target) => `${target}${unsupportedReason(fault.name, target) === undefined ? '' : ' ✗'}`).join(', ');
    lines.push(`  ${fault.name.padEnd(11)} ${fault.summary} [${where}]`);
  }
  lines.push('', 'Assertions:');
  for (const assertion of Object.values(assertionCatalog)) lines.push(`  ${assertion.name.padEnd(13)} ${assertion.summary}`);
  lines.push('', 'Guards (guards:, armed from the first fault):');
  for (const guard of Object.values(guardCatalog)) lines.push(`  ${guard.name.padEnd(13)} ${guard.summary}`);
  lines.push('', 'Reporters (--reporter name[=file]):');
  for (const [name, reporter] of Object.entries(reporterCatalog)) lines.push(`  ${name.padEnd(9)} ${reporter.summary}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return ExitCode.passed;
}
