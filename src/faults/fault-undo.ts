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

/**
 * The other thing a run starts that can outlive it: a cluster load (load.in: cluster) is an
 * Indexed Job, journalled like a fault so that `rebound recover` deletes the Job of a dead run.
 */
export interface ClusterLoadUndo {
  target: 'kubernetes';
  load: 'cluster';
  record: { action: 'delete-load-job'; job: string; namespace: string; labelSelector: string };
}

/** What a journal's fault line can hold. */
export type JournalledUndo = FaultUndo | ClusterLoadUndo;
