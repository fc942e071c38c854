import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { ValidationError, type ValidationIssue } from '../common/errors.js';
import { experimentFileSize, experimentFiles, unreadablePath } from './experiment-files.js';
import { type Experiment, experimentSchema } from './schema.js';
import { locateIssues } from './locate-issues.js';
import { tooDeepAt } from './nesting-depth.js';

// Hostile input is bounded: a file larger than this is refused before parsing, and YAML aliases
// are capped (an alias bomb expands exponentially otherwise).
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_ALIAS_COUNT = 100;
// Duplicate-key checks are quadratic in a mapping's size; no experiment comes near this many lines.
const MAX_LINES = 5000;
// The YAML library composes nodes recursively: ~800 levels of nesting exhaust the JavaScript stack
// (measured for 100,000 `[`: "Maximum call stack size exceeded" after 0.8-6 s, with the machine's
// load, and 300 MB). The shipped experiments nest 4 levels as nesting-depth.ts counts (a Kubernetes
// manifest 8); documents deeper than this are refused before they are composed.
const MAX_DEPTH = 64;

export interface LoadedExperiment {
  file: string;
  experiment: Experiment;
}

/** Reads, parses and validates an experiment file; throws ValidationError with located issues. */
export async function loadExperiment(file: string): Promise<LoadedExperiment> {
  const size = experimentFileSize(file);
  if (size > MAX_FILE_BYTES) {
    throw new ValidationError([
      { file, line: 1, column: 1, path: '', message: `file is ${size} bytes; experiment files are limited to ${MAX_FILE_BYTES}` },
    ]);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw unreadablePath(file, error); // e.g. EACCES: stat needs no read permission, reading does
  }
  return { file, experiment: parseExperiment(text, file) };
}

/** Parses and validates experiment text (exported for tests and the fuzz suite). */
export function parseExperiment(text: string, file = '<input>'): Experiment {
  const lines = countLines(text, MAX_LINES + 1);
  if (lines > MAX_LINES) {
    throw new ValidationError([{ file, line: MAX_LINES + 1, column: 1, path: '', message: `more than ${MAX_LINES} lines: this is not an experiment file`, suggestion: 'split it into several experiments' }]);
  }
  const deep = tooDeepAt(text, MAX_DEPTH);
  if (deep !== undefined) {
    throw new ValidationError([{ file, line: deep.line, column: deep.column, path: '', message: `nested more than ${MAX_DEPTH} levels deep: this is not an experiment file`, suggestion: 'an experiment nests about 4 levels (faults, the entry, the fault, its parameters); flatten the document' }]);
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const at = (offset: number) => lineCounter.linePos(offset);
  const yamlIssues: ValidationIssue[] = [...document.errors].map((error) => {
    const { line, col } = at(error.pos[0]);
    return { file, line, column: col, path: '', message: `YAML: ${firstLine(error.message)}` };
  });
  if (yamlIssues.length > 0) throw new ValidationError(yamlIssues);

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
  if (!result.success) throw new ValidationError(locateIssues(result.error.issues, document, lineCounter, file));
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

/** Files as given; a directory stands for its *.yaml / *.yml files in name order. All validated before anything runs. */
export async function loadExperiments(paths: readonly string[]): Promise<LoadedExperiment[]> {
  const loaded: LoadedExperiment[] = [];
  for (const file of paths.flatMap(experimentFiles)) loaded.push(await loadExperiment(file));
  return loaded;
}
