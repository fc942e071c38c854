import type { RollbackOutcome } from '../faults/index.js';

export interface ActiveFault {
  id: string;
  fault: number;
  repetition: number;
  name: string;
  rollback(): Promise<RollbackOutcome>;
}

export interface RollbackResult extends RollbackOutcome {
  id: string;
  fault: number;
  repetition: number;
  name: string;
}

// Each undo is pushed as soon as its injection succeeds and unwound last-in first-out in `finally`
// and on signals. A fault rolled back early (pause after its duration) is not rolled back again.
export class RollbackStack {
  private readonly active: ActiveFault[] = [];
  private readonly running = new Map<string, Promise<RollbackResult>>();

  push(fault: ActiveFault): void {
    this.active.push(fault);
  }

  get size(): number {
    return this.active.length;
  }

  /** Rolls back one fault now (idempotent: a second call returns the first call's result). */
  rollbackOne(id: string): Promise<RollbackResult> | undefined {
    const existing = this.running.get(id);
    if (existing) return existing;
    const index = this.active.findIndex((fault) => fault.id === id);
    if (index < 0) return undefined;
    const [fault] = this.active.splice(index, 1);
    const promise = runRollback(fault!);
    this.running.set(id, promise);
    return promise;
  }

  /** Rolls back everything still active, newest first; never throws. */
  async unwind(): Promise<RollbackResult[]> {
    while (this.active.length > 0) await this.rollbackOne(this.active.at(-1)!.id);
    return Promise.all([...this.running.values()]);
  }
}

async function runRollback(fault: ActiveFault): Promise<RollbackResult> {
  const base = { id: fault.id, fault: fault.fault, repetition: fault.repetition, name: fault.name };
  try {
    return { ...base, ...(await fault.rollback()) };
  } catch (error) {
    return { ...base, ok: false, action: `roll back ${fault.name}`, error: error instanceof Error ? error.message : String(error) };
  }
}
