import { UsageError } from '../common/errors.js';
import { once } from '../common/once.js';
import type { TargetKind } from '../common/target-kind.js';
import { faultCatalog, type FaultImplementation, type FaultName, IncompleteInjection, type Injected, type FaultUndo, type ImplementationsOn, type Preparation, type RollbackOutcome, type Supported, type UndoShape, unsupportedReason } from '../faults/index.js';
import type { FaultHandle, InjectionRun, PlannedFault } from './target.js';

type AnyImplementation<Context, UndoContext> = FaultImplementation<unknown, UndoShape, Context & UndoContext, UndoContext>;

/**
 * The one place where a fault name meets a target's implementation: looks it up in the target's
 * typed map, wraps records in the journal's envelope, checks journalled records against the
 * module's schema before undoing them, and makes the rollback the same code as `rebound recover`.
 */
export class FaultDispatch<T extends TargetKind, Context extends UndoContext, UndoContext> {
  constructor(
    private readonly target: T,
    private readonly implementations: ImplementationsOn<T, Context, UndoContext>,
  ) {}

  planUndo(fault: PlannedFault, context: Context): FaultUndo {
    return this.envelope(fault.name, this.implementationOf(fault.name).planUndo(fault, context));
  }

  /** Gets the fault ready ahead of its instant, when its implementation can (undefined: nothing to prepare). */
  async prepare(fault: PlannedFault, context: Context): Promise<Preparation | undefined> {
    return this.implementationOf(fault.name).prepare?.(fault, context);
  }

  async inject(fault: PlannedFault, context: Context, run: InjectionRun): Promise<FaultHandle> {
    const implementation = this.implementationOf(fault.name);
    const faultRun = {
      timeline: run.timeline,
      ...(run.signal && { signal: run.signal }),
      ...(run.prepared && { prepared: run.prepared }),
      record: (undo: UndoShape) => run.record(this.envelope(fault.name, undo)),
    };
    let injected: Injected<UndoShape>;
    let incomplete: string | undefined;
    try {
      injected = await implementation.inject(fault, context, faultRun);
    } catch (error) {
      if (!(error instanceof IncompleteInjection)) throw error;
      // Half done, but done: the fault is in effect and is rolled back like any other.
      injected = error.injected;
      incomplete = error.message;
    }
    return {
      note: injected.note,
      ...(injected.facts && { facts: injected.facts }),
      ...(incomplete !== undefined && { incomplete }),
      undo: this.envelope(fault.name, injected.undo),
      rollback: once(() => implementation.undo(injected.undo, context)),
    };
  }

  /** Undoes a journalled record; a record that does not fit the fault's schema is refused, not guessed at. */
  async undo(undo: FaultUndo, context: UndoContext): Promise<RollbackOutcome> {
    const support = faultCatalog[undo.fault]?.[this.target] as Supported | { unsupported: string } | undefined;
    if (support === undefined || !('undo' in support)) {
      return { ok: false, action: `undo ${undo.fault}`, error: `the journal names fault "${undo.fault}", which rebound cannot undo on ${this.target}` };
    }
    const parsed = support.undo.safeParse(undo.record);
    if (!parsed.success) {
      return { ok: false, action: `undo ${undo.fault}`, error: `the journalled undo record does not fit fault ${undo.fault} on ${this.target} (${parsed.error.issues[0]?.message ?? 'invalid'}): ${JSON.stringify(undo.record).slice(0, 300)}` };
    }
    return this.implementationOf(undo.fault).undo(parsed.data, context);
  }

  private implementationOf(name: FaultName): AnyImplementation<Context, UndoContext> {
    const implementation = (this.implementations as Partial<Record<FaultName, AnyImplementation<Context, UndoContext>>>)[name];
    if (implementation === undefined) {
      const reason = unsupportedReason(name, this.target);
      throw new UsageError(`fault ${name} is not supported on ${this.target}${reason ? `: ${reason}` : ': the runner drives it, not the target'}`);
    }
    return implementation;
  }

  private envelope(fault: FaultName, record: UndoShape): FaultUndo {
    return { target: this.target, fault, record: record as FaultUndo['record'] };
  }
}
