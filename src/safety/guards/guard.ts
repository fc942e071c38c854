import type { z } from 'zod';
import type { TimelineEntry } from '../../timeline/timeline.js';

/** What a guard concludes at one moment: violated or not, and why, in words for a person. */
export interface GuardState {
  violated: boolean;
  detail: string;
}

/** When the guard is asked: now, and since when it is armed (the first fault), run-clock ms. */
export interface GuardMoment {
  now: number;
  armedAt: number;
}

// A guard is a pure function over the timeline so far (like an assertion, but asked while the run
// goes on): it never talks to an engine and never reads a clock, so hand-written timelines test it.
// Its own parameters say how long a violation must last (its grace), so "violated" means "stop now".
export interface GuardDefinition<P = any> {
  name: string;
  /** One line for `rebound list`. */
  summary: string;
  params: z.ZodType<P>;
  /** "success rate >= 50% over 2.00 s of probe requests", for the armed entry and the docs. */
  describe(params: P): string;
  /** When it stops the run, for the plan: "the probe's success rate < 50% over the last 2.00 s" (after "abort if"). */
  abortWhen(params: P): string;
  evaluate(entries: readonly TimelineEntry[], moment: GuardMoment, params: P): GuardState;
}
