import { randomUUID } from 'node:crypto';
import { EnvironmentError, errorMessage } from '../common/errors.js';
import { once } from '../common/once.js';
import { faultCatalog, type FaultName, type FaultParams, type FaultUndo, type Preparation, type RollbackOutcome, type RunnerDriven } from '../faults/index.js';
import type { PlannedInjection } from '../plan/plan-experiment.js';
import type { RunningTraffic } from '../probes/traffic.js';
import type { Journal } from '../safety/journal.js';
import type { RollbackResult, RollbackStack } from '../safety/rollback-stack.js';
import type { FaultHandle } from '../targets/target.js';
import type { Timeline } from '../timeline/timeline.js';
import type { RunContext } from './run-context.js';
import { type RunnerFault, runnerFaults } from './runner-faults.js';

/** What one run's injections share: its timeline, rollback stack, running traffic and rollbacks reported. */
export interface InjectionState {
  timeline: Timeline;
  rollbacks: RollbackStack;
  traffic: RunningTraffic[];
  rollbackResults: RollbackResult[];
  /** t at which each fault's rollback started, by fault id. */
  rollbackStarts: Map<string, number>;
}

/**
 * Injects one planned fault: its undo journalled first (what will be undone), the injection started
 * and completed on the timeline, refined undo records journalled as the fault learns them, its
 * rollback pushed on the stack. Returns the fault's id, or undefined when it could not be injected
 * (a fault-failed entry says why; an environment that cannot do it at all ends the run: exit 3).
 */
export async function injectFault(context: RunContext, state: InjectionState, injection: PlannedInjection, prepared?: Preparation): Promise<string | undefined> {
  const { timeline } = state;
  const id = `${injection.index}.${injection.repetition}-${randomUUID().slice(0, 8)}`;
  const ref = { fault: injection.index, repetition: injection.repetition, name: injection.name };
  const description = `${injection.name} ${injection.subjects.join(', ')}`.trim();
  const journal = context.journal;
  const journalUndo = (stage: 'planned' | 'refined' | 'injected', undo: FaultUndo) =>
    journal?.append({ type: 'fault', runId: journal.runId, faultId: id, stage, description, undo, at: new Date().toISOString() });
  let startedAt: number | undefined;
  const start = () => {
    startedAt = timeline.now();
    timeline.add({ t: startedAt, source: 'fault', kind: 'fault-started', data: { ...ref, subjects: injection.subjects } });
  };
  try {
    if (faultCatalog[injection.name].actsOn === 'instances' && injection.subjects.length === 0) throw new Error('no eligible instance to touch (see the plan)');
    const handle =
      faultCatalog[injection.name].drivenBy === 'runner'
        ? startRunnerFault(context, state, injection, journalUndo, start)
        : await injectOnTarget(context, state, injection, { id, ref, journalUndo, start, ...(prepared && { prepared }) });
    journalUndo('injected', handle.undo);
    state.rollbacks.push({
      id,
      ...ref,
      rollback: () => {
        state.rollbackStarts.set(id, timeline.now());
        timeline.add({ t: timeline.now(), source: 'fault', kind: 'fault-rollback-started', data: ref });
        return handle.rollback();
      },
    });
    timeline.add({
      t: timeline.now(),
      source: 'fault',
      kind: 'fault-injected',
      ...(injection.subjects.length === 1 && { subject: injection.subjects[0] }),
      data: {
        ...ref,
        subjects: injection.subjects,
        note: handle.note,
        ...(handle.facts !== undefined && { facts: handle.facts }),
        ...(startedAt !== undefined && { startedAt }),
        ...(handle.incomplete !== undefined && { incomplete: handle.incomplete }),
      },
    });
    return id;
  } catch (error) {
    // An armed helper nobody fired: ended now rather than when its arming times out.
    await prepared?.release().catch(() => undefined);
    timeline.add({ t: timeline.now(), source: 'fault', kind: 'fault-failed', data: { ...ref, error: errorMessage(error), ...(startedAt !== undefined && { startedAt }) } });
    // The environment cannot do this fault at all (no node access, engine gone): the run errs (exit 3).
    if (error instanceof EnvironmentError) throw error;
    return undefined;
  }
}

interface Injecting {
  id: string;
  ref: { fault: number; repetition: number; name: FaultName };
  journalUndo: (stage: 'planned' | 'refined', undo: FaultUndo) => void;
  start: () => void;
  /** What target.prepare made ready for it (armed helpers). */
  prepared?: Preparation;
}

async function injectOnTarget(context: RunContext, state: InjectionState, injection: PlannedInjection, { id, ref, journalUndo, start, prepared }: Injecting): Promise<FaultHandle> {
  const { target, plan } = context;
  // Journal first, then act: if rebound dies right after, `recover` knows what to undo.
  let latest = target.planUndo(injection, plan.selector);
  journalUndo('planned', latest);
  start();
  try {
    return await target.inject(injection, {
      selector: plan.selector,
      timeline: state.timeline,
      signal: context.signal,
      ...(prepared && { prepared }),
      record: (undo) => {
        latest = undo;
        journalUndo('refined', undo);
      },
    });
  } catch (error) {
    // An injection that failed half-way may have changed something: undo what its last record says
    // (a record is journalled before each step, so it covers what was done). It is a rollback like
    // any other: in the report and the journal, and a failed one gives exit 4.
    state.timeline.add({ t: state.timeline.now(), source: 'fault', kind: 'fault-rollback-started', data: ref });
    state.rollbackStarts.set(id, state.timeline.now());
    const undone = await target.undo(latest).catch((undoError: unknown): RollbackOutcome => ({ ok: false, action: 'undo', error: errorMessage(undoError) }));
    recordRollback(state, context.journal, { id, ...ref, ...undone, action: `after a failed injection: ${undone.action}` });
    throw error;
  }
}

function startRunnerFault(context: RunContext, state: InjectionState, injection: PlannedInjection, journalUndo: (stage: 'planned', undo: FaultUndo) => void, start: () => void): FaultHandle {
  // One cast where a fault name meets its runner implementation (the map is typed per name).
  const fault = runnerFaults[injection.name as RunnerDriven] as RunnerFault<FaultParams<RunnerDriven>>;
  const undo: FaultUndo = { target: context.plan.target, fault: injection.name, record: fault.undo };
  journalUndo('planned', undo);
  start();
  const started = fault.start(injection.params as FaultParams<RunnerDriven>, { traffic: context.traffic, timeline: state.timeline, loadUrl: context.plan.loadUrl, running: state.traffic });
  return { note: started.note, undo, rollback: once(started.stop) };
}

/** Reports a rollback once: the run's result, the journal's "undone" line and the timeline entry. */
export function recordRollback(state: InjectionState, journal: Journal | undefined, result: RollbackResult): void {
  if (state.rollbackResults.includes(result)) return;
  state.rollbackResults.push(result);
  journal?.append({ type: 'undone', runId: journal.runId, faultId: result.id, ok: result.ok, action: result.action, ...(result.error !== undefined && { error: result.error }), at: new Date().toISOString() });
  const startedAt = state.rollbackStarts.get(result.id);
  state.timeline.add({
    t: state.timeline.now(),
    source: 'fault',
    kind: 'fault-rolled-back',
    data: {
      fault: result.fault,
      repetition: result.repetition,
      name: result.name,
      ok: result.ok,
      action: result.action,
      ...(result.error !== undefined && { error: result.error }),
      ...(startedAt !== undefined && { startedAt }),
    },
  });
}
