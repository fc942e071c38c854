import { ECHO_LIMIT, echoMessage, escapeControls } from './echo-input.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';

// Every failure meant for a person is one of these: a message that says what happened, where, and
// what to do next. src/cli/main.ts maps each class to its exit code and prints it without a stack.
export abstract class ReboundError extends Error {
  abstract readonly exitCode: ExitCodeValue;
  /** What the user can do about it, printed under the message. */
  readonly hint?: string;

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

/** Bad command line or bad experiment file (exit 2). */
export class UsageError extends ReboundError {
  readonly exitCode = ExitCode.invalidInput;
}

/** One problem in an experiment file, located. */
export interface ValidationIssue {
  file: string;
  line: number;
  column: number;
  /** Field path, e.g. `faults[0].crash.count`. */
  path: string;
  message: string;
  expected?: string;
  received?: string;
  suggestion?: string;
}

/** More issues than this are counted, not shown: past the first screenful they help nobody. */
export const MAX_SHOWN_ISSUES = 20;

/**
 * An experiment file that does not parse or validate (exit 2). It keeps the first
 * MAX_SHOWN_ISSUES issues, every echoed piece of input in them escaped and cut short (see
 * echo-input.ts), and counts the rest.
 */
export class ValidationError extends ReboundError {
  readonly exitCode = ExitCode.invalidInput;
  readonly issues: ValidationIssue[];
  /** Issues found but not kept. */
  readonly omitted: number;
  constructor(issues: readonly ValidationIssue[]) {
    const shown = issues.slice(0, MAX_SHOWN_ISSUES).map(boundIssue);
    const omitted = issues.length - shown.length;
    super(formatIssues(shown, omitted));
    this.issues = shown;
    this.omitted = omitted;
  }
}

// The message, the value received and the field path can repeat input; `expected` and the
// suggestion are rebound's own words (field names, accepted values), so they are only escaped.
function boundIssue(issue: ValidationIssue): ValidationIssue {
  const bounded: ValidationIssue = { ...issue, file: escapeControls(issue.file), path: echoMessage(issue.path, ECHO_LIMIT), message: echoMessage(issue.message) };
  if (issue.received !== undefined) bounded.received = echoMessage(issue.received);
  if (issue.expected !== undefined) bounded.expected = escapeControls(issue.expected);
  if (issue.suggestion !== undefined) bounded.suggestion = escapeControls(issue.suggestion);
  return bounded;
}

function formatIssues(issues: readonly ValidationIssue[], omitted: number): string {
  const lines = issues.map(formatValidationIssue);
  if (omitted > 0) lines.push(`… and ${omitted} more problem${omitted === 1 ? '' : 's'} not shown: fix these first`);
  return lines.join('\n');
}

export function formatValidationIssue(issue: ValidationIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  const field = issue.path === '' ? '' : ` ${issue.path}:`;
  const lines = [`${where}${field} ${issue.message}`];
  if (issue.expected !== undefined || issue.received !== undefined) {
    lines.push(`  expected ${issue.expected ?? '?'}, got ${issue.received ?? '?'}`);
  }
  if (issue.suggestion !== undefined) lines.push(`  ${issue.suggestion}`);
  return lines.join('\n');
}

/** The engine does not answer, a tool is missing, or the environment refuses the request (exit 3). */
export class EnvironmentError extends ReboundError {
  readonly exitCode = ExitCode.environment;
}

/** The run was stopped by a signal after rolling back (exit 130 / 143 / 129). */
export class InterruptedError extends ReboundError {
  readonly exitCode: ExitCodeValue;
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}; every active fault was rolled back`);
    this.exitCode =
      signal === 'SIGTERM' ? ExitCode.terminated : signal === 'SIGHUP' ? ExitCode.hangup : ExitCode.interrupted;
  }
}

/**
 * A ReboundError as stderr shows it: located issues one per line, any other error as
 * "rebound: message" and its hint. Control characters are escaped (line breaks kept): a message
 * may name a path or a value the user gave.
 */
export function formatReboundError(error: ReboundError): string {
  if (error instanceof ValidationError) return `${error.message}\n`;
  return escapeControls(`rebound: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ''}`, '\n');
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
