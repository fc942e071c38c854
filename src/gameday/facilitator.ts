import type { CheckStep, ExperimentStep, GameDayStep } from '../experiments/load-game-day.js';
import type { RunResult } from '../run/run-result.js';
import type { RunStartInfo } from '../run/run-start-info.js';
import type { TimelineEntry } from '../timeline/timeline.js';
import type { AssertionsVerdict, Preflight, TeamVerdict } from './game-day-report.js';

// The person at the keyboard, as the game day sees them. The terminal (keys and a live view) and
// the non-interactive mode (--yes, no TTY: steps in order, answers from a notes file) are two
// implementations in src/cli/gameday; the game day itself never reads a key or writes a line.

export type StepDecision = 'go' | 'skip' | 'quit';

/** What the facilitator can do at any time: type a note, press the stop key. */
export interface GameDayControls {
  /** Game-day t now: a note is stamped with the instant its first key was pressed. */
  now(): number;
  /** A note; `!` first makes it an action item. `t`: when it was started (default now). */
  note(text: string, t?: number): void;
  /** The stop key: roll back everything at once, run nothing more. `by` names it ("the stop key (x)"). */
  stop(by: string): void;
}

/** The live view of one experiment step: its runs' entries as they are recorded. */
export interface StepView {
  onRunStart(info: RunStartInfo): void;
  onEntry(entry: TimelineEntry): void;
  onRunEnd(result: RunResult): void;
  close(): void;
}

export interface FacilitatorAnswer {
  verdict: TeamVerdict;
  note?: string;
  from: 'facilitator' | 'notes file';
}

export interface Facilitator {
  readonly mode: 'interactive' | 'non-interactive';
  /** Called once before anything else. */
  attach(controls: GameDayControls): void;
  /** Shows the preflight's checks and plans. */
  showPreflight(preflight: Preflight): void;
  /** After a good preflight: start the game day (true) or not. Resolves false when `signal` aborts. */
  confirmStart(signal: AbortSignal): Promise<boolean>;
  /** Shows the step and its hypothesis; Enter = go, s = skip, q = end the game day. Resolves 'quit' when `signal` aborts. */
  beforeStep(step: GameDayStep, total: number, signal: AbortSignal): Promise<StepDecision>;
  /** A manual check is under way: what the team looks at or does (its answer follows). */
  showCheck(step: CheckStep): void;
  /** The live view of an experiment step while it runs. */
  stepView(step: ExperimentStep): StepView;
  /** After a step: did the hypothesis hold? undefined: no answer (none given, or `signal` aborted). */
  askHypothesis(step: GameDayStep, assertions: { verdict: AssertionsVerdict; text: string }, signal: AbortSignal): Promise<FacilitatorAnswer | undefined>;
  /** A line for the facilitator: what was undone, a step's end, the report's path. */
  say(line: string): void;
  /** Gives the terminal back (raw mode off, live region done). Safe to call twice. */
  close(): void;
}
