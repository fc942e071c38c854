import { parseReporterSpec, reporterCatalog, type ReporterSpec } from '../reporters/catalog.js';
import type { Reporter } from '../reporters/reporter.js';

/** Parses every --reporter value (all checked before any run starts) and creates the reporters. */
export function parseReporterSpecs(specs: string[], out: string | undefined): { spec: ReporterSpec; reporter: Reporter }[] {
  const interactive = process.stderr.isTTY === true;
  return specs.map((text) => {
    const spec = parseReporterSpec(text, out);
    return { spec, reporter: reporterCatalog[spec.name].create({ interactive, progressStream: process.stderr }) };
  });
}
