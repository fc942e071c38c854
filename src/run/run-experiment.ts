import { assertionCatalog } from '../assertions/catalog.js';
import type { Verdict } from '../assertions/verdict.js';
import { type Clock, sleep, systemClock } from '../common/clock.js';
import { formatDuration } from '../common/duration.js';
import { EnvironmentError, errorMessage, UsageError } from '../common/errors.js';
import { type GuardWatch, watchGuards } from '../safety/guards/index.js';
import type { Journal } from '../safety/journal.js';
import { RollbackStack } from '../safety/rollback-stack.js';
import type { Target } from '../targets/target.js';
import type { Plan } from '../plan/plan-experiment.js';
import { FaultPreparations } from './fault-preparations.js';
import { injectFault, type InjectionState, recordRollback } from './inject-fault.js';
import type { RunContext } from './run-context.js';

export type { RunContext };
import { recoveredSoFar } from './recovered-so-far.js';
import type { RunOutcome, RunResult } from './run-result.js';
import type { Experiment } from '../experiments/schema.js';
import { Timeline, type TimelineEntry } from '../timeline/timeline.js';
import type { TrafficSources } from '../probes/traffic.js';


/** Resource samples stop with the observation; this only bounds them if it never stops (the rollback phase included). */
const RESOURCE_SAMPLES_AFTER_MS = 60_000;

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
  const state: InjectionState = { timeline, rollbacks: new RollbackStack(), traffic: [], rollbackResults: [], rollbackStarts: new Map() };
  const timers = new AbortController();
  const preparations = new FaultPreparations(target, plan.selector, timeline);
  let timed: Promise<void>[] = [];
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
  // Resource faults: their instances' cgroups are sampled from the start, so the chart has a baseline.
  const resources = plan.resourceSubjects && { subjects: plan.resourceSubjects, forMs: plan.durationMs + RESOURCE_SAMPLES_AFTER_MS };
  const observation = await target.observe(plan.selector, timeline, { desired: plan.desired, ...(resources && { resources }) });
  try {
    if (plan.probeUrl !== undefined) {
      state.traffic.push(
        context.traffic.startProbe(
          { url: plan.probeUrl, rate: experiment.probe.rate, timeoutMs: experiment.probe.timeout, durationMs: plan.durationMs, keepAlive: experiment.probe.keepAlive },
          timeline,
        ),
      );
    }
    if (plan.load !== undefined) state.traffic.push(context.traffic.startLoad(plan.load, timeline));
    phase('baseline');
    timed = await injectOnSchedule(context, state, timers.signal, preparations);
    if (!context.signal.aborted) phase('recovery');
    await observeUntilEnd(context, timeline);
  } catch (error) {
    outcome = 'error';
    reason = errorMessage(error);
    timeline.add({ t: timeline.now(), source: 'runner', kind: 'note', data: { text: `run failed: ${reason}` } });
  } finally {
    phase('rollback');
    guards.stop();
    const trafficStopped = Promise.allSettled(state.traffic.map((source) => source.stop()));
    // Stopping the probe waits, up to its timeout, for the requests a paused container holds: a run
    // stopped early (a signal, the game-day stop key, a guard) rolls back meanwhile, not after.
    if (!context.signal.aborted) await trafficStopped;
    // Timed rollbacks not yet due are cancelled and unwound here with every other fault.
    timers.abort();
    await Promise.allSettled(timed);
    await preparations.releaseRest();
    for (const result of await state.rollbacks.unwind()) recordRollback(state, context.journal, result);
    await trafficStopped;
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
    rollbacks: state.rollbackResults.map(({ fault, repetition, name, ok, action, error }) => ({ fault, repetition, name, ok, action, ...(error !== undefined && { error }) })),
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

/**
 * Injects each fault at its planned time. Faults with a duration (pause, fail-node, spike-load) are
 * undone on time by a timer; the timers still waiting when the run stops are cancelled (`timers`),
 * and their faults are unwound with the rest. Returns the timers' promises, awaited at the end.
 */
async function injectOnSchedule(context: RunContext, state: InjectionState, timers: AbortSignal, preparations: FaultPreparations): Promise<Promise<void>[]> {
  const { timeline } = state;
  const timed: Promise<void>[] = [];
  let chaosStarted = false;
  const schedule = [...context.plan.injections].sort((a, b) => a.at - b.at);
  // Helpers are started armed ahead of each instant, so that at the instant only a signal is left.
  preparations.schedule(schedule, AbortSignal.any([context.signal, timers]));
  for (const injection of schedule) {
    await sleep(injection.at - timeline.now(), context.signal);
    if (context.signal.aborted) break;
    if (!chaosStarted) {
      chaosStarted = true;
      timeline.add({ t: timeline.now(), source: 'runner', kind: 'phase', data: { phase: 'chaos' } });
    }
    const id = await injectFault(context, state, injection, await preparations.take(injection));
    if (id !== undefined && injection.rollbackAfter !== undefined) {
      timed.push(
        sleep(injection.rollbackAfter, AbortSignal.any([context.signal, timers])).then(async () => {
          if (timers.aborted || context.signal.aborted) return; // the rollback phase unwinds it
          const result = await state.rollbacks.rollbackOne(id);
          if (result) recordRollback(state, context.journal, result);
        }),
      );
    }
  }
  return timed;
}
