import { formatDuration } from '../../common/duration.js';
import { guardCatalog, type GuardSpec } from './index.js';

/**
 * The experiment's guards in words, one line each, for the plan print and `rebound validate`:
 * "guard http: abort if the probe's success rate < 90% over the last 5.00 s, armed at 1.00 s (the
 * first fault)". Guards arm when the first fault is injected, so `firstFaultMs` says from when.
 */
export function describeGuards(guards: readonly GuardSpec[], firstFaultMs: number | undefined): string[] {
  if (guards.length === 0) return [NO_GUARDS];
  return guardsInWords(guards, firstFaultMs).map((guard) => guard.text);
}

export const NO_GUARDS = 'guards: none (nothing stops the run early)';

/** Each guard with its line in words (the plan summary keeps these, so a JSON report says what could have stopped the run). */
export function guardsInWords(guards: readonly GuardSpec[], firstFaultMs: number | undefined): { name: string; text: string }[] {
  const armed = firstFaultMs === undefined ? 'armed at the first fault' : `armed at ${formatDuration(firstFaultMs)} (the first fault)`;
  return guards.map((guard) => ({ name: guard.name, text: `guard ${guard.name}: abort if ${guardCatalog[guard.name].abortWhen(guard.params as never)}, ${armed}` }));
}
