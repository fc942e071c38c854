import { readdirSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { UsageError, ValidationError, type ValidationIssue } from '../common/errors.js';
import { type Experiment, experimentSchema } from './schema.js';
import { locateIssues } from './locate-issues.js';

// Hostile input is bounded: a file larger than this is refused before parsing, and YAML aliases
// are capped (an alias bomb expands exponentially otherwise).
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_ALIAS_COUNT = 100;
// Duplicate-key checks are quadratic in a mapping's size; no experiment comes near this many lines.
const MAX_LINES = 5000;
/** More issues than this are summarised: past the first screenful they help nobody. */
const MAX_ISSUES = 20;

export interface LoadedExperiment {
  file: string;
  experiment: Experiment;
}

/** Reads, parses and validates an experiment file; throws ValidationError with located issues. */
export async function loadExperiment(file: string): Promise<LoadedExperiment> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    throw new UsageError(`cannot read experiment file ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`, {
      hint: 'check the path; `rebound list` shows the examples in experiments/',
      cause: error,
    });
  }
  if (size > MAX_FILE_BYTES) {
    throw new ValidationError([
      { file, line: 1, column: 1, path: '', message: `file is ${size} bytes; experiment files are limited to ${MAX_FILE_BYTES}` },
    ]);
  }
  return { file, experiment: parseExperiment(await readFile(file, 'utf8'), file) };
}

/** Parses and validates experiment text (exported for tests and the fuzz suite). */
export function parseExperiment(text: string, file = '<input>'): Experiment {
  const lines = countLines(text, MAX_LINES + 1);
  if (lines > MAX_LINES) {
    throw new ValidationError([{ file, line: MAX_LINES + 1, column: 1, path: '', message: `more than ${MAX_LINES} lines: this is not an experiment file`, suggestion: 'split it into several experiments' }]);
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const at = (offset: number) => lineCounter.linePos(offset);
  const yamlIssues: ValidationIssue[] = [...document.errors].map((error) => {
    const { line, col } = at(error.pos[0]);
    return { file, line, column: col, path: '', message: `YAML: ${firstLine(error.message)}` };
  });
  if (yamlIssues.length > 0) throw new ValidationError(capIssues(yamlIssues));

  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new ValidationError([{ file, line: 1, column: 1, path: '', message: `YAML: ${firstLine(String((error as Error).message))}` }]);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError([
      {
        file,
        line: 1,
        column: 1,
        path: '',
        message: 'an experiment is a YAML mapping',
        expected: 'a mapping with apiVersion: rebound/v1, kind: Experiment, metadata, system, faults',
        received: value === null ? 'an empty document' : Array.isArray(value) ? 'a list' : typeof value,
        suggestion: 'start from an example in experiments/, or run `rebound schema` for the full format',
      },
    ]);
  }
  const result = experimentSchema.safeParse(value, { reportInput: true });
  if (!result.success) throw new ValidationError(capIssues(locateIssues(result.error.issues, document, lineCounter, file)));
  return result.data;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

function countLines(text: string, stopAt: number): number {
  let lines = 1;
  for (let index = text.indexOf('\n'); index !== -1 && lines < stopAt; index = text.indexOf('\n', index + 1)) lines++;
  return lines;
}

function capIssues(issues: ValidationIssue[]): ValidationIssue[] {
  if (issues.length <= MAX_ISSUES) return issues;
  const last = issues[MAX_ISSUES - 1]!;
  return [...issues.slice(0, MAX_ISSUES - 1), { ...last, message: `${last.message} (and ${issues.length - MAX_ISSUES} more problems not shown)` }];
}

/** Files as given; a directory stands for its *.yaml / *.yml files in name order. All validated before anything runs. */
export async function loadExperiments(paths: readonly string[]): Promise<LoadedExperiment[]> {
  const files = paths.flatMap((path) => {
    if (!isDirectory(path)) return [path];
    const inside = readdirSync(path).filter((name) => /\.ya?ml$/.test(name)).sort().map((name) => join(path, name));
    if (inside.length === 0) throw new UsageError(`${path} is a directory without experiment files (*.yaml)`);
    return inside;
  });
  const loaded: LoadedExperiment[] = [];
  for (const file of files) loaded.push(await loadExperiment(file));
  return loaded;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // not there: loadExperiment says so, located
  }
}
