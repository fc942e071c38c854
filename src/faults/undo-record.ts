import type { TargetKind } from '../common/target-kind.js';

/** Result of undoing a fault. */
export interface RollbackOutcome {
  ok: boolean;
  /** What was done, e.g. "unpaused web-1". */
  action: string;
  error?: string;
}

/** A journal record of how to undo a fault without the process that injected it. */
export interface UndoRecord {
  target: TargetKind;
  /** unpause | start | uncordon | scale | none ... */
  action: string;
  subjects: string[];
  params?: Record<string, unknown>;
}
