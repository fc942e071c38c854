import type { PlannedFault, TargetKind, UndoRecord } from '../targets/target.js';

// How to undo a fault, known before it is injected, so the journal can hold it before anything
// happens. The target's handle may refine it right after injection (e.g. the previous replica count).
const UNDO_ACTION: Record<string, string> = {
  crash: 'start',
  kill: 'start',
  stop: 'start',
  restart: 'start',
  remove: 'recreate',
  pause: 'unpause',
  'drain-node': 'uncordon',
  'fail-node': 'start-node',
  scale: 'scale',
  'spike-load': 'none',
};

export function plannedUndo(fault: PlannedFault, target: TargetKind): UndoRecord {
  const action = fault.name === 'fail-node' && fault.params.mode === 'pause' ? 'unpause-node' : (UNDO_ACTION[fault.name] ?? 'none');
  return { target, action, subjects: fault.subjects };
}
