import type { FaultFacts, TimelineWriter } from '../timeline/timeline.js';
import type { UndoShape } from './fault-module.js';
import type { RollbackOutcome } from './rollback-outcome.js';

// What one target does for one fault, typed from the fault's module: `P` its parameters, `U` its
// undo record on this target. The target's implementation map (src/targets/<kind>/faults/index.ts)
// must hold one of these for every fault the module says the target supports: the compiler checks.

/** The fault as planned: its parameters (defaults applied) and who it touches. */
export interface FaultInput<P> {
  params: P;
  /** Instance or host names the plan chose (empty for system faults). */
  subjects: readonly string[];
}

/** What an injection can tell the run while it acts. */
export interface FaultRun<U extends UndoShape> {
  /**
   * Journals a refined undo record (fsync'd) and returns once it is on disk: call it as soon as
   * the fault knows more (a container's configuration, the previous replica count) and *before*
   * the step that needs it undone. A run that dies right after still has what to undo.
   */
  record(undo: U): void;
  timeline: TimelineWriter;
  /** The run's: a long injection (a drain waiting on a PodDisruptionBudget) stops when it aborts. */
  signal?: AbortSignal;
  /** What this implementation's `prepare` made ready for this injection, if it ran and succeeded. */
  prepared?: Preparation;
}

/**
 * What a fault made ready before its instant without touching the system (helpers started armed),
 * so that at the instant only a signal is left to send. The implementation that prepared it
 * recognises its own (instanceof) in `inject`; anything else is injected from scratch.
 */
export interface Preparation {
  /** Ends what was prepared when the fault is not injected after all (the run stopped first). Safe twice. */
  release(): Promise<void>;
}

/** A fault in effect. */
export interface Injected<U extends UndoShape> {
  /** The final undo record: what the rollback and `rebound recover` will undo. */
  undo: U;
  /** What the engine will do about it, for the report. */
  note: string;
  /** Facts the verdicts need to explain themselves, as fields (never parsed from the note). */
  facts?: FaultFacts;
}

export interface FaultImplementation<P, U extends UndoShape, Context extends UndoContext, UndoContext> {
  /** What will be undone, known before anything happens: journalled before the injection. */
  planUndo(fault: FaultInput<P>, context: Context): U;
  /**
   * Optional, and it must change nothing of the system: gets ready ahead of the fault's instant
   * (the runner calls it a few seconds before), so the injection itself is quick. A failure here
   * only means the injection starts from scratch.
   */
  prepare?(fault: FaultInput<P>, context: Context): Promise<Preparation>;
  inject(fault: FaultInput<P>, context: Context, run: FaultRun<U>): Promise<Injected<U>>;
  /**
   * Undoes a record without the process that injected it: the run's rollback, the undo after an
   * injection that failed half-way, and `rebound recover` all come here. Idempotent: undoing what
   * is already undone changes nothing and says so.
   */
  undo(record: U, context: UndoContext): Promise<RollbackOutcome>;
}

/**
 * An injection that stopped half-way after it had changed the system (a drain that cordoned the node
 * and evicted some pods, then gave up): the fault is in effect, incompletely. The run treats it as
 * injected — recovery is measured from its start, it is rolled back with the others — and reports
 * why it is incomplete. An injection that changed nothing throws a plain error instead.
 */
export class IncompleteInjection<U extends UndoShape = UndoShape> extends Error {
  constructor(
    message: string,
    readonly injected: Injected<U>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'IncompleteInjection';
  }
}
