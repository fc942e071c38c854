import { type Document, LineCounter, parseDocument } from 'yaml';
import { ValidationError, type ValidationIssue } from '../common/errors.js';
import { tooDeepAt } from './nesting-depth.js';

// Hostile input is bounded: YAML aliases are capped (an alias bomb expands exponentially otherwise).
const MAX_ALIAS_COUNT = 100;
// Duplicate-key checks are quadratic in a mapping's size; no experiment comes near this many lines.
const MAX_LINES = 5000;
// The YAML library composes nodes recursively: ~800 levels of nesting exhaust the JavaScript stack
// (measured for 100,000 `[`: "Maximum call stack size exceeded" after 0.8-6 s, with the machine's
// load, and 300 MB). The shipped experiments nest 4 levels as nesting-depth.ts counts (a Kubernetes
// manifest 8); documents deeper than this are refused before they are composed.
const MAX_DEPTH = 64;

/** What a file of rebound's (an experiment, a game day) should be, for the messages. */
export interface MappingKind {
  /** "an experiment", "a game day". */
  what: string;
  /** What the mapping holds, e.g. "a mapping with apiVersion: rebound/v1, kind: Experiment, …". */
  expected: string;
  /** What to do about a document that is not one. */
  suggestion: string;
}

export interface YamlMapping {
  value: Record<string, unknown>;
  document: Document;
  lineCounter: LineCounter;
}

/**
 * Parses YAML text into a plain mapping with its source positions kept, within the limits on size,
 * nesting and aliases; every problem is a located ValidationError.
 */
export function parseYamlMapping(text: string, file: string, kind: MappingKind): YamlMapping {
  const lines = countLines(text, MAX_LINES + 1);
  if (lines > MAX_LINES) {
    throw new ValidationError([{ file, line: MAX_LINES + 1, column: 1, path: '', message: `more than ${MAX_LINES} lines: this is not ${kind.what} file`, suggestion: `split it into several ${kind.what === 'an experiment' ? 'experiments' : 'files'}` }]);
  }
  const deep = tooDeepAt(text, MAX_DEPTH);
  if (deep !== undefined) {
    throw new ValidationError([{ file, line: deep.line, column: deep.column, path: '', message: `nested more than ${MAX_DEPTH} levels deep: this is not ${kind.what} file`, suggestion: 'an experiment nests about 4 levels (faults, the entry, the fault, its parameters); flatten the document' }]);
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const yamlIssues: ValidationIssue[] = [...document.errors].map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
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
        message: `${kind.what} is a YAML mapping`,
        expected: kind.expected,
        received: value === null ? 'an empty document' : Array.isArray(value) ? 'a list' : typeof value,
        suggestion: kind.suggestion,
      },
    ]);
  }
  return { value: value as Record<string, unknown>, document, lineCounter };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

function countLines(text: string, stopAt: number): number {
  let lines = 1;
  for (let index = text.indexOf('\n'); index !== -1 && lines < stopAt; index = text.indexOf('\n', index + 1)) lines++;
  return lines;
}
