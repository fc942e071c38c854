import { resolve } from 'node:path';
import { UsageError } from '../common/errors.js';
import { closestName } from '../experiments/suggest.js';
import { consoleReporter } from './console-reporter.js';
import { htmlReporter } from './html-reporter.js';
import { jsonReporter } from './json-reporter.js';
import { junitReporter } from './junit-reporter.js';
import { markdownReporter } from './markdown-reporter.js';
import type { ReporterFactory } from './reporter.js';

// name → factory: gives both `--reporter name` and the type of valid names; `rebound list` reads it.
export const reporterCatalog = {
  console: consoleReporter,
  html: htmlReporter,
  json: jsonReporter,
  junit: junitReporter,
  markdown: markdownReporter,
} satisfies Record<string, ReporterFactory>;

export type ReporterName = keyof typeof reporterCatalog;
export const reporterNames = Object.keys(reporterCatalog) as ReporterName[];

export interface ReporterSpec {
  name: ReporterName;
  /** Where the rendered report goes; undefined: stdout. */
  file?: string;
}

const SPEC_FORM = 'give --reporter name[=file], e.g. --reporter junit=out/junit.xml';

/** "junit=out/junit.xml" → { name: 'junit', file: 'out/junit.xml' }; with `outDirectory`, a file reporter without a file goes there. */
export function parseReporterSpec(spec: string, outDirectory?: string): ReporterSpec {
  const equals = spec.indexOf('=');
  const name = (equals === -1 ? spec : spec.slice(0, equals)).trim().toLowerCase();
  const file = equals === -1 ? undefined : spec.slice(equals + 1).trim();
  if (name === '') throw new UsageError(`--reporter ${JSON.stringify(spec)} names no reporter`, { hint: `${SPEC_FORM}; reporters: ${reporterNames.join(', ')}` });
  if (!Object.hasOwn(reporterCatalog, name)) {
    const near = closestName(name, reporterNames);
    throw new UsageError(`unknown reporter \`${name}\` in --reporter ${JSON.stringify(spec)}${near ? ` — did you mean \`${near}\`?` : ''}`, { hint: `reporters: ${reporterNames.join(', ')} (see rebound list)` });
  }
  const typed = name as ReporterName;
  if (file === '') throw new UsageError(`--reporter ${JSON.stringify(spec)} has no file after \`=\``, { hint: `${SPEC_FORM}, or drop the \`=\` to write to stdout` });
  if (file !== undefined) return { name: typed, file };
  if (outDirectory !== undefined && typed !== 'console') return { name: typed, file: `${outDirectory.replace(/\/+$/, '')}/${reporterCatalog[typed].defaultFile}` };
  return { name: typed };
}

/** Every --reporter value, all checked before any run starts: two reporters never write the same file. */
export function parseReporterList(specs: readonly string[], outDirectory?: string): ReporterSpec[] {
  const parsed = specs.map((spec) => parseReporterSpec(spec, outDirectory));
  const seen = new Map<string, ReporterName>();
  for (const spec of parsed) {
    const key = spec.file === undefined ? `stdout:${spec.name}` : resolve(spec.file);
    const previous = seen.get(key);
    if (previous !== undefined) {
      const message = spec.file === undefined
        ? `--reporter ${spec.name} is given twice without a file: both would write to stdout`
        : `--reporter ${spec.name} and --reporter ${previous} both write to ${spec.file}`;
      throw new UsageError(message, { hint: 'give each file reporter its own file (name=file)' });
    }
    seen.set(key, spec.name);
  }
  return parsed;
}
