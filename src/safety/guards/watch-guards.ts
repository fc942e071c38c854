import type { Timeline } from '../../timeline/timeline.js';
import { errorMessage } from '../../common/errors.js';
import { guardCatalog, type GuardName } from './catalog.js';

/** A guard as the experiment file declares it (`guards:`), after validation. */
export interface GuardSpec {
  name: GuardName;
  params: unknown;
}

/** The guard that stopped a run: which, why, and when (run-clock ms). */
export interface GuardTrip {
  name: string;
  detail: string;
  t: number;
}

export interface GuardWatch {
  /** Set once a guard has tripped; the run is being aborted. */
  readonly tripped: GuardTrip | undefined;
  stop(): void;
}

/** How often armed guards are asked: the abort latency beyond a guard's own grace. */
export const GUARD_INTERVAL_MS = 100;

type LiveTimeline = Pick<Timeline, 'entries' | 'now' | 'add' | 'onEntry'>;

// Guards arm when the chaos phase begins (the first fault is being injected), never during setup or
// baseline, and disarm when the rollback begins. While armed, every guard is evaluated on the
// timeline so far every GUARD_INTERVAL_MS; the first one violated writes a `guard` entry and calls
// `onTrip` (the runner aborts the run with reason 'guard': the rollbacks then run as on Ctrl-C).
export function watchGuards(timeline: LiveTimeline, guards: readonly GuardSpec[], onTrip: (trip: GuardTrip) => void, intervalMs = GUARD_INTERVAL_MS): GuardWatch {
  let timer: NodeJS.Timeout | undefined;
  let tripped: GuardTrip | undefined;
  const disarm = () => {
    clearInterval(timer);
    timer = undefined;
  };

  const check = (armedAt: number) => {
    const now = timeline.now();
    for (const guard of guards) {
      const definition = guardCatalog[guard.name];
      let state;
      try {
        state = definition.evaluate(timeline.entries, { now, armedAt }, guard.params as never);
      } catch (error) {
        // A guard is pure code over the timeline; if it throws, that is a bug: say so, keep running.
        timeline.add({ t: now, source: 'guard', kind: 'note', data: { text: `guard ${guard.name} could not be evaluated: ${errorMessage(error)}` } });
        continue;
      }
      if (!state.violated) continue;
      disarm();
      tripped = { name: guard.name, detail: state.detail, t: now };
      timeline.add({ t: now, source: 'guard', kind: 'guard', data: { name: guard.name, violated: true, detail: state.detail } });
      onTrip(tripped);
      return;
    }
  };

  const unsubscribe = guards.length === 0 ? () => false : timeline.onEntry((entry) => {
    if (entry.kind !== 'phase') return;
    if (entry.data.phase === 'chaos' && timer === undefined && tripped === undefined) {
      const armedAt = entry.t;
      for (const guard of guards) {
        const detail = `armed: ${guardCatalog[guard.name].describe(guard.params as never)}`;
        timeline.add({ t: armedAt, source: 'guard', kind: 'guard', data: { name: guard.name, violated: false, detail } });
      }
      timer = setInterval(() => check(armedAt), intervalMs);
      timer.unref();
    }
    if (entry.data.phase === 'rollback') disarm();
  });

  return {
    get tripped() {
      return tripped;
    },
    stop() {
      disarm();
      unsubscribe();
    },
  };
}
