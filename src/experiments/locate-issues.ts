import type { z } from 'zod';
import { type Document, isMap, isNode, isPair, isScalar, type LineCounter } from 'yaml';
import type { ValidationIssue } from '../common/errors.js';
import { experimentSchema } from './schema.js';
import { keysAt } from './schema-keys.js';
import { closestName } from './suggest.js';

type ZodIssue = z.core.$ZodIssue;

/** Where the validated value sits in a larger document (a game day's step holds an experiment). */
export interface IssueFrame {
  /** The schema the issues' paths walk (for "did you mean" on unknown keys); default the experiment schema. */
  schema?: z.ZodType;
  /** An issue's path in the validated value → its path in the document. */
  documentPath?: (path: readonly (string | number)[]) => (string | number)[];
}

/** Turns zod issues into issues a person can act on: file:line:col, field path, expected vs got, a suggestion. */
export function locateIssues(
  issues: readonly ZodIssue[],
  document: Document,
  lineCounter: LineCounter,
  file: string,
  frame: IssueFrame = {},
): ValidationIssue[] {
  const expanded = issues.flatMap((issue) => expand(issue));
  // An unknown key also trips the entry's "exactly one fault" rule: the unknown key is the news.
  const unknownAt = new Set(expanded.filter((issue) => issue.code === 'unrecognized_keys').map((issue) => issue.path.join('.')));
  return expanded
    .filter((issue) => issue.code !== 'custom' || !unknownAt.has(issue.path.join('.')))
    .map((issue) => describe(issue, document, lineCounter, file, frame));
}

// A union failure (e.g. "a duration string or a number") reports the branch that got furthest.
function expand(issue: ZodIssue): ZodIssue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0]!;
  const nested = best.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }) as ZodIssue);
  const meaningful = nested.filter((inner) => inner.code !== 'invalid_type' || nested.length === 1);
  return (meaningful.length > 0 ? meaningful : nested).flatMap(expand);
}

function depth(errors: readonly ZodIssue[]): number {
  return Math.max(0, ...errors.map((error) => error.path.length + (error.code === 'invalid_type' ? 0 : 0.5)));
}

function describe(issue: ZodIssue, document: Document, lineCounter: LineCounter, file: string, frame: IssueFrame): ValidationIssue {
  const valuePath = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
  const path = frame.documentPath ? frame.documentPath(valuePath) : valuePath;
  const base = { file, path: formatPath(path), ...position(document, lineCounter, path) };
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0]!;
      const known = keysAt(frame.schema ?? experimentSchema, valuePath);
      const near = closestName(key, known);
      return {
        ...base,
        ...position(document, lineCounter, path, key),
        path: formatPath([...path, key]),
        message: `unknown field \`${key}\`${otherKeys(issue.keys.slice(1))}`,
        expected: known.length > 0 ? `one of ${known.map((k) => `\`${k}\``).join(', ')}` : undefined,
        received: `\`${key}\``,
        suggestion: near ? `did you mean \`${near}\`?` : undefined,
      };
    }
    case 'invalid_type': {
      const received = describeValue(issue.input);
      const missing = issue.input === undefined;
      return {
        ...base,
        message: missing ? `missing required field \`${valuePath.at(-1) ?? ''}\`` : `wrong type`,
        expected: issue.expected,
        received: missing ? 'nothing' : received,
        suggestion: missing ? 'add it; `rebound schema` shows every field' : undefined,
      };
    }
    case 'invalid_value': {
      if (issue.input === undefined) {
        return { ...base, message: `missing required field \`${valuePath.at(-1) ?? ''}\``, expected: issue.values.map((value) => JSON.stringify(value)).join(' or '), received: 'nothing' };
      }
      const values = issue.values.map((value) => String(value));
      const near = typeof issue.input === 'string' ? closestName(issue.input, values) : undefined;
      return {
        ...base,
        message: 'not an accepted value',
        expected: `one of ${values.map((value) => JSON.stringify(value)).join(', ')}`,
        received: describeValue(issue.input),
        suggestion: near ? `did you mean ${JSON.stringify(near)}?` : undefined,
      };
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const word = issue.code === 'too_small' ? 'at least' : 'at most';
      const unit = issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : '';
      return { ...base, message: issue.message, expected: `${word} ${String(bound)}${unit}`, received: describeValue(issue.input) };
    }
    default:
      // Custom rules (durations, rates, "exactly one fault") already say what they got.
      return { ...base, message: issue.message };
  }
}

/** " (and `b`, `c`)": a few more unknown keys named, the rest counted (a hostile mapping has thousands). */
function otherKeys(keys: readonly string[]): string {
  if (keys.length === 0) return '';
  const named = keys.slice(0, 3).map((key) => `\`${key}\``).join(', ');
  return keys.length > 3 ? ` (and ${named} and ${keys.length - 3} more)` : ` (and ${named})`;
}

function formatPath(path: readonly (string | number)[]): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('');
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  if (text === undefined) return typeof value;
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Line and column of the deepest YAML node on `path` (or of `key` inside it). */
function position(document: Document, lineCounter: LineCounter, path: readonly (string | number)[], key?: string) {
  let node: unknown = document.contents;
  for (const segment of path) {
    const next = isNode(node) && 'get' in node ? (node as { get(key: unknown, keepScalar: boolean): unknown }).get(segment, true) : undefined;
    if (!isNode(next)) break;
    node = next;
  }
  let offset = isNode(node) && node.range ? node.range[0] : 0;
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === key);
    if (pair && isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
