import { faultCatalog, type JournalledUndo, type RollbackOutcome } from '../faults/index.js';
import type { Target, TargetKind } from '../targets/target.js';

/**
 * Undoes one journalled record without the run that wrote it (`rebound recover`). A fault the
 * runner drove (spike-load) died with that run's process: nothing is left of it to undo.
 */
export async function undoJournalled(undo: JournalledUndo, targetFor: (kind: TargetKind) => Promise<Target>): Promise<RollbackOutcome> {
  if ('load' in undo) {
    const target = await targetFor(undo.target);
    if (target.undoClusterLoad === undefined) return { ok: false, action: `delete load Job ${undo.record.job}`, error: `the ${undo.target} target cannot remove a cluster load` };
    return target.undoClusterLoad(undo);
  }
  const module = faultCatalog[undo.fault];
  if (module.drivenBy === 'runner') return { ok: true, action: `nothing to undo: ${module.afterDeath}` };
  return (await targetFor(undo.target)).undo(undo);
}
