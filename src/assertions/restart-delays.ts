import { entriesOf, type TimelineEntry } from '../timeline/timeline.js';
import { runWindows } from './chaos-window.js';

/** How long the engine waited to start an instance again after a fault killed it. */
export interface RestartDelay {
  fault: number;
  repetition: number;
  subject: string;
  /** The instance's death (die) to its next start, ms. */
  ms: number;
  /** From the engine's own timestamps (Docker event times; Kubernetes finishedAt / startedAt, 1 s precision), else rebound's. */
  engineTimes: boolean;
}

/**
 * For each injected fault and subject: its first death from the injection on, to its next start —
 * Docker's restart-policy delay (100 ms, doubling while a container keeps dying within 10 s of its
 * start), the kubelet's (at once, then CrashLoopBackOff's 10 s, 20 s … for a container that died again).
 * Only what the engine did by itself counts: a start after the observation ended is rebound's rollback.
 */
export function restartDelays(entries: readonly TimelineEntry[]): RestartDelay[] {
  const { end } = runWindows(entries);
  const events = entriesOf(entries, 'instance-event').filter((event) => event.t < end);
  const delays: RestartDelay[] = [];
  for (const injection of entriesOf(entries, 'fault-injected')) {
    const from = injection.data.startedAt ?? injection.t;
    for (const subject of injection.data.subjects) {
      const own = events.filter((event) => event.subject === subject && event.t >= from);
      const die = own.find((event) => event.data.action === 'die');
      const start = die && own.find((event) => event.data.action === 'start' && event.t >= die.t);
      if (!die || !start) continue;
      const engineTimes = die.engineTime !== undefined && start.engineTime !== undefined;
      delays.push({ fault: injection.data.fault, repetition: injection.data.repetition, subject, ms: engineTimes ? start.engineTime! - die.engineTime! : start.t - die.t, engineTimes });
    }
  }
  return delays;
}

/** The longest restart delay of a repetition of the first fault that restarted anything (null: none restarted). */
export function restartDelayOf(delays: readonly RestartDelay[], which: 'first' | 'last'): number | null {
  const fault = delays[0]?.fault;
  const repetitions = [...new Set(delays.filter((delay) => delay.fault === fault).map((delay) => delay.repetition))].sort((a, b) => a - b);
  if (repetitions.length === 0 || (which === 'last' && repetitions.length < 2)) return null;
  const repetition = which === 'first' ? repetitions[0] : repetitions.at(-1);
  return Math.max(...delays.filter((delay) => delay.fault === fault && delay.repetition === repetition).map((delay) => delay.ms));
}
