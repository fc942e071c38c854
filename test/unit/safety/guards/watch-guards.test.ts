import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Timeline } from '../../../../src/timeline/timeline.js';
import { httpGuard } from '../../../../src/safety/guards/http-guard.js';
import { replicaFloorGuard } from '../../../../src/safety/guards/replica-floor-guard.js';
import { type GuardTrip, watchGuards } from '../../../../src/safety/guards/watch-guards.js';

// The run clock follows the fake timers, so "now" and the guard interval move together.
function fakeTimeline(): Timeline {
  const zero = Date.now();
  return new Timeline({ now: () => Date.now() - zero, fromWallClock: (epochMs) => epochMs - zero });
}

const phase = (timeline: Timeline, name: 'baseline' | 'chaos' | 'rollback') => timeline.add({ t: timeline.now(), source: 'runner', kind: 'phase', data: { phase: name } });
const replicas = (timeline: Timeline, ready: number) => timeline.add({ t: timeline.now(), source: 'target', kind: 'replicas', data: { desired: 1, ready, running: ready } });

describe('watchGuards', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('never trips during setup and baseline, arms at the chaos phase, trips after the grace, once', () => {
    const timeline = fakeTimeline();
    const trips: GuardTrip[] = [];
    const watch = watchGuards(timeline, [{ name: 'replicas', params: replicaFloorGuard.params.parse({ min: 1, for: '2s' }) }], (trip) => trips.push(trip));
    phase(timeline, 'baseline');
    replicas(timeline, 0);
    vi.advanceTimersByTime(10_000);
    expect(trips).toEqual([]);

    phase(timeline, 'chaos');
    expect(timeline.entries.at(-1)).toMatchObject({ kind: 'guard', t: 10_000, data: { name: 'replicas', violated: false, detail: 'armed: ready replicas >= 1, below it for at most 2.00 s' } });
    vi.advanceTimersByTime(1900);
    expect(trips).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(trips).toEqual([{ name: 'replicas', t: 12_000, detail: '0 of 1 replicas ready, below the floor of 1 for 2.00 s (grace 2.00 s)' }]);
    expect(watch.tripped).toEqual(trips[0]);
    expect(timeline.entries.filter((entry) => entry.kind === 'guard' && entry.data.violated)).toHaveLength(1);
    vi.advanceTimersByTime(5000);
    expect(trips).toHaveLength(1);
    watch.stop();
  });

  it('disarms when the rollback begins', () => {
    const timeline = fakeTimeline();
    const trips: GuardTrip[] = [];
    const watch = watchGuards(timeline, [{ name: 'http', params: httpGuard.params.parse({ successRate: '>= 50%', window: '1s' }) }], (trip) => trips.push(trip));
    phase(timeline, 'chaos');
    phase(timeline, 'rollback');
    for (let t = 0; t < 3000; t += 100) timeline.add({ t: timeline.now(), source: 'probe', kind: 'request', data: { ms: 0, ok: false } });
    vi.advanceTimersByTime(3000);
    expect(trips).toEqual([]);
    expect(watch.tripped).toBeUndefined();
    watch.stop();
  });
});
