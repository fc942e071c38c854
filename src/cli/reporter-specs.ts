import { parseReporterList, reporterCatalog, type ReporterSpec } from '../reporters/catalog.js';
import type { Reporter } from '../reporters/reporter.js';

/** Parses every --reporter value (all checked before any run starts) and creates the reporters. */
export function parseReporterSpecs(specs: string[], out: string | undefined): { spec: ReporterSpec; reporter: Reporter }[] {
  const interactive = process.stderr.isTTY === true;
  return parseReporterList(specs, out).map((spec) => {
    // Colours only in text bound for a terminal: not in a file, not in stdout piped elsewhere.
    const color = spec.file === undefined && process.stdout.isTTY === true;
    return { spec, reporter: reporterCatalog[spec.name].create({ interactive, progressStream: process.stderr, color }) };
  });
}
