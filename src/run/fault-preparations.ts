import { sleep } from '../common/clock.js';
import type { Preparation } from '../faults/index.js';
import type { PlannedInjection } from '../plan/plan-experiment.js';
import type { Target } from '../targets/target.js';
import type { Selector } from '../targets/target.js';
import type { TimelineWriter } from '../timeline/timeline.js';

/**
 * How long before its instant a fault is prepared. Starting a helper armed costs 0.3–0.9 s on a
 * loaded 2-core machine (src/targets/FAULT-MECHANISMS.md); firing it at the instant costs ~25 ms.
 */
export const PREPARE_AHEAD_MS = 4000;

/**
 * Faults made ready ahead of their instants (target.prepare: helpers started armed, nothing
 * applied), so that an injection at its instant only fires what is ready. A preparation that fails
 * is forgotten: the injection then starts from scratch and meets the same problem, reported there.
 * What is never injected (the run stopped first) is released at the end.
 */
export class FaultPreparations {
  private readonly pending = new Map<PlannedInjection, Promise<Preparation | undefined>>();

  constructor(
    private readonly target: Target,
    private readonly selector: Selector,
    private readonly timeline: TimelineWriter,
  ) {}

  /** Starts preparing each injection PREPARE_AHEAD_MS before its instant (at once when that has passed). */
  schedule(injections: readonly PlannedInjection[], signal: AbortSignal): void {
    const prepare = this.target.prepare?.bind(this.target);
    if (prepare === undefined) return;
    for (const injection of injections) {
      const ready = sleep(injection.at - PREPARE_AHEAD_MS - this.timeline.now(), signal)
        .then(() => (signal.aborted ? undefined : prepare(injection, this.selector)))
        .catch(() => undefined); // see the class comment: the injection will say what is wrong
      this.pending.set(injection, ready);
    }
  }

  /** The injection's preparation, waited for if it is still under way; undefined: none. */
  take(injection: PlannedInjection): Promise<Preparation | undefined> {
    const ready = this.pending.get(injection) ?? Promise.resolve(undefined);
    this.pending.delete(injection);
    return ready;
  }

  /** Releases every preparation no injection took. */
  async releaseRest(): Promise<void> {
    const rest = [...this.pending.values()];
    this.pending.clear();
    await Promise.allSettled(rest.map(async (ready) => (await ready)?.release()));
  }
}
