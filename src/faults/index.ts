// The fault catalog and the types a target's implementations are written against.
export { faultCatalog, faultModule, faultNames, unsupportedReason } from './catalog.js';
export type { FaultName, FaultParams, ImplementationsOn, ImplementedOn, RunnerDriven, UndoRecordOf } from './catalog.js';
export { type FaultImplementation, type FaultInput, type FaultRun, IncompleteInjection, type Injected, type Preparation } from './fault-implementation.js';
export type { FaultModule, Supported, TargetSupport, UndoShape, Unsupported } from './fault-module.js';
export type { ClusterLoadUndo, FaultUndo, JournalledUndo } from './fault-undo.js';
export type { RollbackOutcome } from './rollback-outcome.js';
export { chooseInstances, type Selection, selectionShape, selectionSize } from './selection.js';
export { type RecordedContainer } from './undo-records.js';
export { directionSchema, type NetworkDirection, tcRateBits, tcSizeBytes } from './network-params.js';
