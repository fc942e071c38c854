import type { z } from 'zod';
import type { TimelineEntry } from '../timeline/timeline.js';
import type { Verdict } from './verdict.js';

/** Definitions an assertion needs besides its own parameters (from the experiment). */
export interface AssertionContext {
  /** How long the steady state must hold uninterrupted to count as recovered (default 2 s). */
  settleMs: number;
}

// An assertion is one pure function over a finished timeline: it never talks to an engine and never
// reads a clock, so a JSON report's timeline re-evaluated gives the same verdicts.
export interface AssertionDefinition<P = any> {
  name: string;
  /** One line for `rebound list`. */
  summary: string;
  params: z.ZodType<P>;
  evaluate(entries: readonly TimelineEntry[], params: P, context: AssertionContext): Verdict;
}
