import type { TargetKind } from '../common/target-kind.js';
import type { FaultName } from './catalog.js';
import type { UndoShape } from './fault-module.js';

/**
 * An undo record as the journal holds it: which fault on which target, and the record itself (the
 * shape the fault's module declares for that target; `rebound recover` checks it against that schema
 * before undoing anything).
 */
export interface FaultUndo {
  target: TargetKind;
  fault: FaultName;
  record: UndoShape & Record<string, unknown>;
}
