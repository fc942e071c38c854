/** Result of undoing a fault (a rollback, or `rebound recover`). */
export interface RollbackOutcome {
  ok: boolean;
  /** What was done, e.g. "unpaused web-1". */
  action: string;
  error?: string;
}
