import { setTimeout as delay } from 'node:timers/promises';

// One injected clock for a run. `now()` is monotonic milliseconds since the clock was created
// (t = 0 of the run); wall-clock time only serves display and lining up with engine timestamps.
export interface Clock {
  /** Monotonic ms since t = 0. */
  now(): number;
  /** Epoch ms (wall clock) of t = 0, fractional. */
  readonly wallClockAtZero: number;
  /** Epoch ms → t on this clock. */
  fromWallClock(epochMs: number): number;
  /** t on this clock → epoch ms. */
  toWallClock(t: number): number;
}

export function systemClock(): Clock {
  const zero = performance.now();
  // performance.timeOrigin + performance.now() is the wall clock as of process start plus monotonic
  // time since: sub-millisecond, and immune to NTP steps during the run.
  const wallClockAtZero = performance.timeOrigin + zero;
  return {
    now: () => performance.now() - zero,
    wallClockAtZero,
    fromWallClock: (epochMs) => epochMs - wallClockAtZero,
    toWallClock: (t) => wallClockAtZero + t,
  };
}

/** Sleep that ends early (without throwing) when the signal aborts. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return;
  try {
    await delay(ms, undefined, signal ? { signal } : undefined);
  } catch (error) {
    if (!(error instanceof Error && error.name === 'AbortError')) throw error;
  }
}
