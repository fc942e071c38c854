import { randomUUID } from 'node:crypto';
import { assertionCatalog } from '../assertions/catalog.js';
import type { Verdict } from '../assertions/verdict.js';
import { type Clock, sleep, systemClock } from '../common/clock.js';
import { formatDuration } from '../common/duration.js';
import { EnvironmentError, errorMessage, UsageError } from '../common/errors.js';
import { type GuardWatch, watchGuards } from '../safety/guards/index.js';
import type { Journal } from '../safety/journal.js';
import { plannedUndo } from './planned-undo.js';
import { type RollbackResult, RollbackStack } from '../safety/rollback-stack.js';
import type { Target } from '../targets/target.js';
import type { Plan, PlannedInjection } from '../plan/plan-experiment.js';
import { recoveredSoFar } from './recovered-so-far.js';
import type { RunOutcome, RunResult } from './run-result.js';
import type { Experiment } from '../experiments/schema.js';
import { Timeline, type TimelineEntry } from '../timeline/timeline.js';
import type { RunningTraffic, TrafficSources } from '../probes/traffic.js';

export interface RunContext {
  experiment: Experiment;
  file: string;
  plan: Plan;
  target: Target;
  traffic: TrafficSources;
  iteration: number;
  /** Aborted on SIGINT/SIGTERM/SIGHUP (reason: the signal name). The run's guards abort it too (reason 'guard'). */
  signal: AbortSignal;
  journal?: Journal;
  clock?: Clock;
  onEntry?: (entry: TimelineEntry) => void;
}

// One run, in the order a person would tell it (Chaos Toolkit's run.py): observers up → probe and
// load → baseline → faults at their times → recovery window → roll back everything → verdicts.
// Rollbacks run whatever happens: success, failure, exception, signal or a tripped guard.
export async function runExperiment(outer: RunContext): Promise<RunResult> {
  const { plan, target, experiment } = outer;
  if (experiment.guards.some((guard) => guard.name === 'http') && plan.probeUrl === undefined) {
    throw new UsageError(`guard http reads the traffic probe's requests, but there is no traffic probe on ${plan.target}: set system.url (for ${plan.target}) or remove the guard`);
  }
  const clock = outer.clock ?? systemClock();
  const timeline = new Timeline(clock);
  const unsubscribe = outer.onEntry ? timeline.onEntry(outer.onEntry) : undefined;
  // The run's own stop button: it follows the signals, and a guard can press it too.
  const stop = new AbortController();
  const context: RunContext = { ...outer, signal: AbortSignal.any([outer.signal, stop.signal]) };
  const guards: GuardWatch = watchGuards(timeline, experiment.guards, () => stop.abort('guard'));
  const rollbacks = new RollbackStack();
  const traffic: RunningTraffic[] = [];
  const rollbackResults: RollbackResult[] = [];
  let outcome: RunOutcome | undefined;
  let reason: string | undefined;

  timeline.add({
    t: 0,
    source: 'runner',
    kind: 'run-started',
    data: { wallClockAtZero: clock.wallClockAtZero, experiment: experiment.metadata.name, target: plan.target, iteration: context.iteration },
  });
  const phase = (name: 'setup' | 'baseline' | 'chaos' | 'recovery' | 'rollback' | 'done') =>
    timeline.add({ t: timeline.now(), source: 'runner', kind: 'phase', data: { phase: name } });

  phase('setup');
  const observation = await target.observe(plan.selector, timeline, { desired: plan.desired });
  try {
    if (plan.probeUrl !== undefined) {
      traffic.push(
        context.traffic.startProbe(
          { url: plan.probeUrl, rate: experiment.probe.rate, timeoutMs: experiment.probe.timeout, durationMs: plan.durationMs, keepAlive: experiment.probe.keepAlive },
          timeline,
        ),
      );
    }
    if (plan.load !== undefined) traffic.push(context.traffic.startLoad(plan.load, timeline));
    phase('baseline');
    await injectOnSchedule(context, timeline, rollbacks, traffic, rollbackResults);
    if (!context.signal.aborted) phase('recovery');
    await observeUntilEnd(context, timeline);
  } catch (error) {
    outcome = 'error';
    reason = errorMessage(error);
    timeline.add({ t: timeline.now(), source: 'runner', kind: 'note', data: { text: `run failed: ${reason}` } });
  } finally {
    phase('rollback');
    guards.stop();
    await Promise.allSettled(traffic.map((source) => source.stop()));
    for (const result of await rollbacks.unwind()) {
      if (!rollbackResults.includes(result)) recordRollback(timeline, context.journal, result, rollbackResults);
    }
    await observation.stop();
  }
  if (context.signal.aborted && outcome === undefined) {
    outcome = reasonOf(context.signal) === 'guard' ? 'aborted' : 'interrupted';
    reason = outcome === 'aborted' ? `aborted by guard: ${guards.tripped?.detail ?? 'tripped'}` : `interrupted by ${String(reasonOf(context.signal))}`;
  }
  phase('done');
  timeline.add({
    t: timeline.now(),
    source: 'runner',
    kind: 'run-ended',
    data: { outcome: outcome === 'error' ? 'error' : outcome === 'aborted' ? 'aborted' : outcome === 'interrupted' ? 'interrupted' : 'completed', ...(reason !== undefined && { reason }) },
  });
  unsubscribe?.();

  const verdicts = evaluateAssertions(experiment, timeline.entries);
  const finalOutcome: RunOutcome = outcome ?? (verdicts.every((verdict) => verdict.passed) ? 'passed' : 'failed');
  return {
    experiment: { name: experiment.metadata.name, file: context.file, ...(experiment.metadata.description !== undefined && { description: experiment.metadata.description }) },
    target: plan.target,
    iteration: context.iteration,
    startedAt: new Date(clock.wallClockAtZero).toISOString(),
    wallClockAtZero: clock.wallClockAtZero,
    durationMs: timeline.now(),
    plan: plan.summary,
    timeline: timeline.entries,
    verdicts,
    outcome: finalOutcome,
    ...(reason !== undefined && { reason }),
    rollbacks: rollbackResults.map(({ fault, repetition, name, ok, action, error }) => ({ fault, repetition, name, ok, action, ...(error !== undefined && { error }) })),
  };
}

/** Verdicts are pure functions of the timeline: the same call re-evaluates a JSON report. */
export function evaluateAssertions(experiment: Experiment, entries: readonly TimelineEntry[]): Verdict[] {
  return experiment.assertions.map(({ name, params }) =>
    assertionCatalog[name].evaluate(entries, params as never, { settleMs: experiment.settle }),
  );
}

/** Until `duration`, or with until: recovered until every fault recovered (checked 4 times a second). */
async function observeUntilEnd({ plan, experiment, signal }: RunContext, timeline: Timeline): Promise<void> {
  const early = plan.endWhenRecovered;
  if (early === undefined) return sleep(plan.durationMs - timeline.now(), signal);
  const options = { settleMs: plan.settleMs, probeTimeoutMs: experiment.probe.timeout, notBeforeMs: early.notBeforeMs };
  while (!signal.aborted && timeline.now() < plan.durationMs) {
    if (recoveredSoFar(timeline.entries, timeline.now(), options)) {
      timeline.add({ t: timeline.now(), source: 'runner', kind: 'note', data: { text: `until: recovered — every fault recovered and held for ${formatDuration(plan.settleMs)}: observation ends ${formatDuration(plan.durationMs - timeline.now())} before duration` } });
      return;
    }
    await sleep(Math.min(250, plan.durationMs - timeline.now()), signal);
  }
}

function reasonOf(signal: AbortSignal): unknown {
  return signal.reason instanceof Error ? signal.reason.message : signal.reason;
}

async function injectOnSchedule(
  context: RunContext,
  timeline: Timeline,
  rollbacks: RollbackStack,
  traffic: RunningTraffic[],
  rollbackResults: RollbackResult[],
): Promise<void> {
  const pending: Promise<void>[] = [];
  let chaosStarted = false;
  const schedule = [...context.plan.injections].sort((a, b) => a.at - b.at);
  for (const injection of schedule) {
    await sleep(injection.at - timeline.now(), context.signal);
    if (context.signal.aborted) break;
    if (!chaosStarted) {
      chaosStarted = true;
      timeline.add({ t: timeline.now(), source: 'runner', kind: 'phase', data: { phase: 'chaos' } });
    }
    const id = await injectOne(context, timeline, rollbacks, traffic, injection, rollbackResults);
    if (id !== undefined && injection.rollbackAfter !== undefined) {
      // Faults with a duration (pause, fail-node, spike-load) are undone on time, not at the end.
      pending.push(
        sleep(injection.rollbackAfter, context.signal).then(async () => {
          const result = await rollbacks.rollbackOne(id);
          if (result) recordRollback(timeline, context.journal, result, rollbackResults);
        }),
      );
    }
  }
  // Early rollbacks that are due before the run ends are awaited here; the rest is unwound later.
  void Promise.allSettled(pending);
}

async function injectOne(
  context: RunContext,
  timeline: Timeline,
  rollbacks: RollbackStack,
  traffic: RunningTraffic[],
  injection: PlannedInjection,
  rollbackResults: RollbackResult[],
): Promise<string | undefined> {
  const id = `${injection.index}.${injection.repetition}-${randomUUID().slice(0, 8)}`;
  const base = { fault: injection.index, repetition: injection.repetition, name: injection.name };
  try {
    if (injection.name === 'spike-load') return injectSpike(context, timeline, rollbacks, traffic, injection, id);
    if (injection.actsOn === 'instances' && injection.subjects.length === 0) {
      throw new Error('no eligible instance to touch (see the plan)');
    }
    // Journal first, then act: if rebound dies right after the injection, `recover` knows about it.
    const description = `${injection.name} ${injection.subjects.join(', ')}`.trim();
    const journal = context.journal;
    journal?.append({ type: 'fault', runId: journal.runId, faultId: id, description, undo: plannedUndo(injection, context.plan.target), at: new Date().toISOString() });
    const handle = await context.target.inject(injection, context.plan.selector, timeline, { signal: context.signal }).catch(async (error: unknown) => {
      // A fault that failed half-way (cordoned, then eviction refused) may still need undoing.
      // It is a rollback like any other: in the report and the journal, and a failed one gives exit 4.
      const undone = await context.target.undo(plannedUndo(injection, context.plan.target)).catch((undoError: unknown) => ({ ok: false, action: 'undo', error: errorMessage(undoError) }));
      recordRollback(timeline, journal, { id, ...base, ...undone, action: `after a failed injection: ${undone.action}` }, rollbackResults);
      throw error;
    });
    journal?.append({ type: 'fault', runId: journal.runId, faultId: id, description, undo: handle.undo, at: new Date().toISOString() });
    rollbacks.push({ id, ...base, rollback: () => handle.rollback() });
    timeline.add({
      t: timeline.now(),
      source: 'fault',
      kind: 'fault-injected',
      ...(injection.subjects.length === 1 && { subject: injection.subjects[0] }),
      data: { ...base, subjects: injection.subjects, ...(handle.note !== undefined && { note: handle.note }) },
    });
    return id;
  } catch (error) {
    timeline.add({ t: timeline.now(), source: 'fault', kind: 'fault-failed', data: { ...base, error: errorMessage(error) } });
    // The environment cannot do this fault at all (no node access, engine gone): the run errs (exit 3).
    if (error instanceof EnvironmentError) throw error;
    return undefined;
  }
}

function injectSpike(
  context: RunContext,
  timeline: Timeline,
  rollbacks: RollbackStack,
  traffic: RunningTraffic[],
  injection: PlannedInjection,
  id: string,
): string {
  const url = context.plan.loadUrl;
  if (url === undefined) throw new Error('spike-load needs system.url for this target');
  const params = injection.params as { rate: number; duration: number; connections: number };
  const load = context.traffic.startLoad(
    { url, spec: { profile: 'constant', rate: params.rate, duration: params.duration, connections: params.connections, timeout: 2000 } },
    timeline,
  );
  traffic.push(load);
  rollbacks.push({
    id,
    fault: injection.index,
    repetition: injection.repetition,
    name: injection.name,
    rollback: async () => {
      await load.stop();
      return { ok: true, action: 'stopped the extra load' };
    },
  });
  timeline.add({
    t: timeline.now(),
    source: 'fault',
    kind: 'fault-injected',
    data: { fault: injection.index, repetition: injection.repetition, name: injection.name, subjects: [], note: `extra load at ${params.rate}/s for ${params.duration} ms` },
  });
  return id;
}

function recordRollback(timeline: Timeline, journal: Journal | undefined, result: RollbackResult, results: RollbackResult[]): void {
  if (results.includes(result)) return;
  results.push(result);
  journal?.append({ type: 'undone', runId: journal.runId, faultId: result.id, ok: result.ok, action: result.action, ...(result.error !== undefined && { error: result.error }), at: new Date().toISOString() });
  timeline.add({
    t: timeline.now(),
    source: 'fault',
    kind: 'fault-rolled-back',
    data: { fault: result.fault, repetition: result.repetition, name: result.name, ok: result.ok, action: result.action, ...(result.error !== undefined && { error: result.error }) },
  });
}
