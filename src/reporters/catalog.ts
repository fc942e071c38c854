import { closestName } from '../experiments/suggest.js';
import { UsageError } from '../common/errors.js';
import { createConsoleReporter } from './console-reporter.js';
import { createJsonReporter } from './json-reporter.js';
import { createJUnitReporter } from './junit-reporter.js';
import { createMarkdownReporter } from './markdown-reporter.js';
import type { Reporter, ReporterOptions } from './reporter.js';

export interface ReporterDefinition {
  summary: string;
  /** File name used with --out when no file is given. */
  defaultFile: string;
  create(options: ReporterOptions): Reporter;
}

// name → factory: gives both `--reporter name` and the type of valid names.
export const reporterCatalog = {
  console: { summary: 'live progress on stderr, then a table of verdicts', defaultFile: 'report.txt', create: createConsoleReporter },
  json: { summary: 'the full report with the timeline (re-evaluable)', defaultFile: 'report.json', create: createJsonReporter },
  junit: { summary: 'JUnit XML: one testcase per assertion per iteration', defaultFile: 'junit.xml', create: createJUnitReporter },
  markdown: { summary: 'Markdown for $GITHUB_STEP_SUMMARY', defaultFile: 'summary.md', create: createMarkdownReporter },
} satisfies Record<string, ReporterDefinition>;

export type ReporterName = keyof typeof reporterCatalog;

export interface ReporterSpec {
  name: ReporterName;
  /** undefined: stdout. */
  file?: string;
}

/** "junit=out/junit.xml" → { name: 'junit', file: 'out/junit.xml' }. */
export function parseReporterSpec(spec: string, outDirectory?: string): ReporterSpec {
  const [name, ...rest] = spec.split('=');
  const file = rest.join('=');
  if (!(name! in reporterCatalog)) {
    const near = closestName(name!, Object.keys(reporterCatalog));
    throw new UsageError(`unknown reporter \`${name}\`${near ? ` — did you mean \`${near}\`?` : ''}`, { hint: `reporters: ${Object.keys(reporterCatalog).join(', ')}` });
  }
  const typed = name as ReporterName;
  if (file) return { name: typed, file };
  if (outDirectory !== undefined && typed !== 'console') return { name: typed, file: `${outDirectory}/${reporterCatalog[typed].defaultFile}` };
  return { name: typed };
}
