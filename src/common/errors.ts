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

/** An experiment file that does not parse or validate (exit 2). */
export class ValidationError extends ReboundError {
  readonly exitCode = ExitCode.invalidInput;
  constructor(readonly issues: ValidationIssue[]) {
    super(issues.map(formatValidationIssue).join('\n'));
  }
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

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
