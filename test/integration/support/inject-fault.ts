import { systemClock } from '../../../src/common/clock.js';
import { faultCatalog, type FaultName, type FaultUndo } from '../../../src/faults/index.js';
import type { InjectionRun, PlannedFault, Selector } from '../../../src/targets/target.js';
import { Timeline } from '../../../src/timeline/timeline.js';

/** A planned fault as the planner makes it: params through the fault's own schema (defaults applied; durations as "90s"). */
export function plannedFault(name: FaultName, params: Record<string, unknown>, subjects: string[]): PlannedFault {
  return { index: 0, repetition: 0, name, params: faultCatalog[name].params.parse(params), subjects } as PlannedFault;
}

/** What a target's inject gets from a run; the refined undo records it journals are kept in `records`. */
export function injectionRun(selector: Selector, options: { timeline?: Timeline; signal?: AbortSignal } = {}): InjectionRun & { records: FaultUndo[] } {
  const records: FaultUndo[] = [];
  return {
    selector,
    timeline: options.timeline ?? new Timeline(systemClock()),
    ...(options.signal && { signal: options.signal }),
    record: (undo) => records.push(undo),
    records,
  };
}
