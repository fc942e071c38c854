// The process exit codes rebound promises (README "Exit codes"). Only src/cli/main.ts exits.
export const ExitCode = {
  passed: 0,
  assertionFailed: 1,
  invalidInput: 2,
  environment: 3,
  rollbackFailed: 4,
  interrupted: 130,
  terminated: 143,
  hangup: 129,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
