import { systemClock } from '../common/clock.js';
import { errorMessage, ReboundError } from '../common/errors.js';
import type { CheckStep, ExperimentStep, GameDay, GameDayStep } from '../experiments/load-game-day.js';
import { runOnTarget } from '../run/run-on-target.js';
import type { RunResult } from '../run/run-result.js';
import { entriesOf } from '../timeline/timeline.js';
import { assertionsVerdict } from './assertions-verdict.js';
import type { Facilitator } from './facilitator.js';
import type { GameDayEvent, GameDayNote, GameDayReport, GameDayStop, Preflight, StepReport } from './game-day-report.js';
import { gameDayTime, noteOf, notesIntoRuns, placeScheduledNote, type ScheduledNote } from './place-notes.js';
import { runPreflight, type TargetSource } from './preflight.js';

export interface GameDayOptions {
  gameDay: GameDay;
  facilitator: Facilitator;
  targets: TargetSource;
  stateDir: string;
  /** Aborted by SIGINT / SIGTERM / SIGHUP (reason: the signal's name). */
  signal: AbortSignal;
  /** Notes of a notes file (a rehearsal): placed on the timeline as they say. */
  scheduledNotes?: readonly ScheduledNote[];
  version: string;
  steadyTimeoutMs?: number;
}

/**
 * A game day, in the order the team lives it: preflight (refuse to start when it fails) → per step:
 * show it and its hypothesis, go / skip / end, run it exactly as `rebound run` would (guards, blast
 * radius, journal, rollbacks), ask whether the hypothesis held → the post-mortem report. The stop
 * key aborts the running step, whose runner rolls every fault back at once; nothing runs after it.
 */
export async function runGameDay(options: GameDayOptions): Promise<GameDayReport> {
  const { gameDay, facilitator } = options;
  const clock = systemClock();
  const events: GameDayEvent[] = [];
  const notes: GameDayNote[] = [];
  const runs: RunResult[] = [];
  const event = (kind: GameDayEvent['kind'], text: string, step?: number) => events.push({ t: clock.now(), kind, text, ...(step !== undefined && { step }) });
  let current: number | undefined;
  let stop: GameDayStop | undefined;
  const stopKey = new AbortController();
  const signal = AbortSignal.any([options.signal, stopKey.signal]);
  const stopped = (by: string) => {
    if (stop) return;
    stop = { t: clock.now(), by, ...(current !== undefined && { step: current }), undone: [] };
    event('stopped', `stopped by ${by}${current !== undefined ? ` during step ${current + 1}` : ''}: rolling back everything`, current);
  };
  options.signal.addEventListener('abort', () => stopped(String(options.signal.reason)), { once: true });
  facilitator.attach({
    now: () => clock.now(),
    note: (text, t) => {
      const note = noteOf(text);
      if (note.text !== '') notes.push({ t: t ?? clock.now(), ...note, from: 'facilitator', ...(current !== undefined && { step: current }) });
    },
    stop: (by) => {
      stopped(by);
      stopKey.abort(by);
    },
  });

  event('started', `game day ${gameDay.name} started (${facilitator.mode})`);
  const preflight = await runPreflight(gameDay, { targets: options.targets, stateDir: options.stateDir, signal, ...(options.steadyTimeoutMs !== undefined && { steadyTimeoutMs: options.steadyTimeoutMs }) });
  event('preflight', preflight.ok ? `preflight passed (${preflight.checks.length} checks)` : `preflight failed: ${preflight.checks.filter((check) => !check.ok).map((check) => check.check).join(', ')}`);
  facilitator.showPreflight(preflight);
  const steps: StepReport[] = gameDay.steps.map((step) => stepReport(step));
  let ended = !preflight.ok || signal.aborted || !(await facilitator.confirmStart(signal));
  if (preflight.ok && ended && !signal.aborted) event('ended', 'the facilitator did not start the game day');

  for (const step of gameDay.steps) {
    const report = steps[step.index]!;
    if (ended || signal.aborted) {
      report.reason = stop ? `not run: the game day was stopped (${stop.by})` : preflight.ok ? 'not run: the game day was ended before it' : 'not run: preflight failed';
      continue;
    }
    current = step.index;
    const decision = await facilitator.beforeStep(step, gameDay.steps.length, signal);
    if (signal.aborted) {
      report.reason = `not run: the game day was stopped (${stop?.by ?? 'stop'}) before it started`;
      continue;
    }
    if (decision === 'quit') {
      ended = true;
      report.reason = 'not run: the facilitator ended the game day';
      event('ended', `the facilitator ended the game day before step ${step.index + 1}`, step.index);
      continue;
    }
    if (decision === 'skip') {
      report.status = 'skipped';
      report.reason = 'skipped by the facilitator';
      event('step-skipped', `step ${step.index + 1} ${step.name} skipped`, step.index);
      continue;
    }
    report.startedAt = clock.now();
    event('step-started', `step ${step.index + 1} ${step.name} started`, step.index);
    if (step.kind === 'experiment') await runExperimentStep(step, report, { ...options, signal, runs, gameDayZero: clock.wallClockAtZero });
    else runCheckStep(step, report, facilitator);
    report.endedAt = clock.now();
    if (stop && report.status === 'ran') report.status = 'stopped';
    report.assertions = assertionsVerdict(report.runs.map((index) => runs[index]!), step.kind);
    event('step-ended', `step ${step.index + 1} ${step.name} ${report.status}${report.reason ? `: ${report.reason}` : ''}`, step.index);
    if (stop) {
      sayUndone(stop, report, facilitator);
      continue;
    }
    const answer = await facilitator.askHypothesis(step, report.assertions, signal);
    if (answer) {
      report.team = { verdict: answer.verdict, ...(answer.note !== undefined && answer.note !== '' && { note: answer.note }), t: clock.now(), from: answer.from };
      event('answer', `step ${step.index + 1} ${step.name}: the team says ${answer.verdict}${answer.note ? ` — ${answer.note}` : ''}`, step.index);
    }
  }
  current = undefined;
  // Stopped between steps or at a prompt: nothing was in effect.
  if (stop && (stop.step === undefined || steps[stop.step]!.status !== 'stopped')) facilitator.say('undone: nothing: no fault was in effect when the game day was stopped');
  if (stop === undefined && preflight.ok && !events.some((entry) => entry.kind === 'ended')) event('ended', 'every step ran or was skipped');

  const placed = (options.scheduledNotes ?? []).map((note) => placeScheduledNote(note, steps, runs, clock.wallClockAtZero));
  const allNotes = [...notes, ...placed].sort((a, b) => (a.t ?? Infinity) - (b.t ?? Infinity));
  notesIntoRuns(allNotes, runs, clock.wallClockAtZero);
  return {
    tool: { name: 'rebound', version: options.version },
    gameDay: { name: gameDay.name, title: gameDay.title, ...(gameDay.description !== undefined && { description: gameDay.description }), file: gameDay.file, team: gameDay.team },
    mode: facilitator.mode,
    startedAt: new Date(clock.wallClockAtZero).toISOString(),
    wallClockAtZero: clock.wallClockAtZero,
    durationMs: clock.now(),
    outcome: !preflight.ok ? 'refused' : stop ? 'stopped' : steps.some((step) => step.status === 'not-run') ? 'ended' : 'completed',
    ...(stop && { stop }),
    preflight: preflight satisfies Preflight,
    steps,
    notes: allNotes,
    events,
    runs,
  };
}

function stepReport(step: GameDayStep): StepReport {
  return {
    index: step.index,
    name: step.name,
    ...(step.title !== undefined && { title: step.title }),
    kind: step.kind,
    hypothesis: step.hypothesis,
    ...(step.kind === 'check' ? { check: step.check } : { target: step.target, file: step.file, inline: step.inline }),
    status: 'not-run',
    runs: [],
    assertions: { verdict: 'not-judged', text: 'did not run' },
    notes: [],
    rollbacks: [],
  };
}

/** An experiment step goes through the same code path as `rebound run`: setup and deploy, iterations, teardown. */
async function runExperimentStep(step: ExperimentStep, report: StepReport, options: GameDayOptions & { runs: RunResult[]; gameDayZero: number }): Promise<void> {
  const view = options.facilitator.stepView(step);
  try {
    const done = await runOnTarget({
      file: step.file,
      experiment: step.experiment,
      kind: step.target,
      target: await options.targets.get(step.target, step.experiment),
      iterations: step.experiment.iterations,
      signal: options.signal,
      stateDir: options.stateDir,
      onRunStart: (info) => view.onRunStart(info),
      onEntry: (entry) => view.onEntry(entry),
      onRunEnd: (result) => {
        view.onRunEnd(result);
        report.runs.push(options.runs.length);
        options.runs.push(result);
      },
    });
    report.status = 'ran';
    report.notes.push(...done.notes);
    report.released = done.releasedOk;
    const broken = done.runs.find((run) => run.outcome === 'error');
    if (broken) {
      report.status = 'error';
      report.reason = broken.reason ?? 'the run failed';
    }
  } catch (error) {
    // Setup, deploy or the engine failed: the step could not run (runOnTarget already tore down what it deployed).
    if (!(error instanceof ReboundError)) throw error;
    report.status = 'error';
    report.reason = `${errorMessage(error)}${error.hint ? ` — ${error.hint}` : ''}`;
  } finally {
    view.close();
  }
  report.rollbacks = report.runs.flatMap((index) => {
    const run = options.runs[index]!;
    return entriesOf(run.timeline, 'fault-rolled-back').map((entry) => ({ name: entry.data.name, ok: entry.data.ok, action: entry.data.action ?? 'rolled back', ...(entry.data.error !== undefined && { error: entry.data.error }), t: gameDayTime(run, entry.t, options.gameDayZero) }));
  });
}

function runCheckStep(step: CheckStep, report: StepReport, facilitator: Facilitator): void {
  facilitator.showCheck(step);
  report.status = 'ran';
}

/** Says, and keeps in the report, what the stop undid in the step it interrupted, and how long its rollbacks took. */
function sayUndone(stop: GameDayStop, report: StepReport, facilitator: Facilitator): void {
  stop.undone.push(...undoneAfterStop(report, stop.t), ...report.notes.filter((note) => note.startsWith('teardown')));
  const last = Math.max(...report.rollbacks.map((rollback) => rollback.t ?? -Infinity));
  if (Number.isFinite(last) && last >= stop.t) stop.rollbackMs = last - stop.t;
  for (const line of stop.undone.length > 0 ? stop.undone : ['nothing to roll back: no fault was in effect']) facilitator.say(`undone: ${line}`);
}

/** The rollbacks the stop caused, in words ("unpause rebound-web-0 (pause) in 85 ms"). */
function undoneAfterStop(report: StepReport, stopT: number): string[] {
  return report.rollbacks
    .filter((rollback) => rollback.t !== undefined && rollback.t >= stopT)
    .map((rollback) => `${rollback.name}: ${rollback.action}${rollback.ok ? '' : ` — FAILED${rollback.error ? `: ${rollback.error}` : ''}`} (${Math.round(rollback.t! - stopT)} ms after the stop)`);
}
