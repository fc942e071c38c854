import type { RunResult } from '../run/run-result.js';
import type { TargetKind } from '../targets/target.js';

// The post-mortem of one game day, as data: every reporter (Markdown, HTML, JSON) renders this and
// nothing else. Times `t` are ms on the game day's own monotonic clock (t = 0 when it started);
// each run keeps its own timeline and clock, lined up through the wall-clock time of their zeros.

/** The team's answer to "did the hypothesis hold?". */
export type TeamVerdict = 'held' | 'not-held' | 'unsure';

export interface TeamAnswer {
  verdict: TeamVerdict;
  note?: string;
  /** When it was given (game-day t). */
  t: number;
  /** The facilitator at the terminal, or the `answers` of a --notes file (a rehearsal in CI). */
  from: 'facilitator' | 'notes file';
}

/** What the assertions (the step's expected signals) say, beside the team's answer. */
export type AssertionsVerdict = 'held' | 'not-held' | 'none' | 'not-judged';

export type StepStatus =
  /** It ran to its end (its assertions judged it). */
  | 'ran'
  /** The facilitator skipped it. */
  | 'skipped'
  /** Stopped while it ran (the stop key, a signal): everything was rolled back. */
  | 'stopped'
  /** It could not run (the engine failed, the deploy failed): `error` says why. */
  | 'error'
  /** Never reached: the game day was ended or stopped before it. */
  | 'not-run';

export interface StepReport {
  index: number;
  name: string;
  title?: string;
  kind: 'experiment' | 'check';
  hypothesis: string;
  /** A manual check: what the team looks at or does. */
  check?: string;
  /** An experiment step: its target and where it is defined. */
  target?: TargetKind;
  file?: string;
  inline?: boolean;
  status: StepStatus;
  /** Why it did not run, or failed. */
  reason?: string;
  /** Game-day t when the step started (the facilitator said go) and ended. */
  startedAt?: number;
  endedAt?: number;
  /** Indexes into GameDayReport.runs. */
  runs: number[];
  assertions: { verdict: AssertionsVerdict; text: string };
  team?: TeamAnswer;
  /** What setup, deploy and teardown did ("deployed 3 containers …", "removed …"). */
  notes: string[];
  /** false: its teardown left something behind (its notes say what). */
  released?: boolean;
  /** Every rollback of its runs, in order (also those the stop key triggered). */
  rollbacks: { name: string; ok: boolean; action: string; error?: string; t?: number }[];
}

export interface GameDayNote {
  /** Game-day t it was stamped at: when its first key was typed, or as the notes file says. Absent: its step never ran. */
  t?: number;
  /** The note as typed, without the leading `!` of an action item. */
  text: string;
  actionItem: boolean;
  /** The step running (or about to) when it was typed. */
  step?: number;
  from: 'facilitator' | 'notes file';
  /** Why a note of the notes file could not be placed. */
  unplaced?: string;
}

/** Something that happened at the game-day level (the runs' own entries are in their timelines). */
export interface GameDayEvent {
  t: number;
  kind: 'started' | 'preflight' | 'step-started' | 'step-ended' | 'step-skipped' | 'answer' | 'stopped' | 'ended';
  step?: number;
  text: string;
}

export interface PreflightCheck {
  /** "Docker engine reachable", "step 2 pause-one: plan", "state dir writable". */
  check: string;
  ok: boolean;
  /** What was found; for a failed check, what to fix. */
  detail: string;
  /** The plan, as `--dry-run` prints it (multi-line), for a step's plan check. */
  plan?: string;
  step?: number;
}

export interface Preflight {
  ok: boolean;
  checks: PreflightCheck[];
  durationMs: number;
}

export type GameDayOutcome =
  /** Every step ran or was skipped. */
  | 'completed'
  /** The facilitator ended it (q) before the last step. */
  | 'ended'
  /** The stop key or a signal: everything rolled back, the rest not run. */
  | 'stopped'
  /** Preflight failed: nothing ran. */
  | 'refused';

export interface GameDayStop {
  t: number;
  /** "the stop key (x)", "SIGINT", "SIGTERM". */
  by: string;
  /** The step running then, if any. */
  step?: number;
  /** What was undone because of it, in words. */
  undone: string[];
  /** From the stop to the last of its rollbacks completing (ms), when something was rolled back. */
  rollbackMs?: number;
}

export interface GameDayReport {
  tool: { name: 'rebound'; version: string };
  gameDay: { name: string; title: string; description?: string; file: string; team: { name: string; role: string }[] };
  /** The facilitator at a terminal, or the steps in order without prompts (--yes, no TTY). */
  mode: 'interactive' | 'non-interactive';
  startedAt: string;
  /** Epoch ms of game-day t = 0, to line up the runs' clocks. */
  wallClockAtZero: number;
  durationMs: number;
  outcome: GameDayOutcome;
  stop?: GameDayStop;
  preflight: Preflight;
  steps: StepReport[];
  notes: GameDayNote[];
  events: GameDayEvent[];
  /** Every run of every step, with its whole timeline (notes typed during it inline, source `human`). */
  runs: RunResult[];
}
