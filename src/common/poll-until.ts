import { sleep } from './clock.js';

// The one wait loop: every "until ready / gone / evicted, at most this long" in rebound goes
// through here, with the clock injected so unit tests run without real sleeps.

/** Time as a wait sees it: monotonic ms and a sleep that ends early (without throwing) on abort. */
export interface WaitClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realWaitClock: WaitClock = { now: () => performance.now(), sleep };

export interface PollOptions<T> {
  /** Reads the state once. A throw ends the wait with that error, unless `retryErrors`. */
  check: (attempt: number) => Promise<T>;
  /** The state waited for. */
  done: (value: T) => boolean;
  /** Gives up after this long; the last check runs at the deadline itself, not before it. */
  timeoutMs: number;
  /** Pause between checks: fixed, or per attempt (1, 2, …) for a back-off. */
  intervalMs: number | ((attempt: number) => number);
  signal?: AbortSignal;
  clock?: WaitClock;
  /** A state from which waiting longer is pointless (gone, exited under a policy that never restarts). */
  hopeless?: (value: T) => boolean;
  /** Keep checking when `check` throws (an API stuttering while a node rejoins); the last error is returned. */
  retryErrors?: boolean;
}

export type PollResult<T> =
  | { status: 'done'; value: T; waitedMs: number; attempts: number }
  | { status: 'timeout' | 'aborted' | 'hopeless'; last?: T; lastError?: unknown; waitedMs: number; attempts: number };

export async function pollUntil<T>(options: PollOptions<T>): Promise<PollResult<T>> {
  const clock = options.clock ?? realWaitClock;
  const started = clock.now();
  const deadline = started + options.timeoutMs;
  let attempts = 0;
  let last: { value: T } | undefined;
  let lastError: unknown;
  for (;;) {
    attempts++;
    try {
      const value = await options.check(attempts);
      last = { value };
      lastError = undefined;
      if (options.done(value)) return { status: 'done', value, waitedMs: clock.now() - started, attempts };
    } catch (error) {
      if (!options.retryErrors) throw error;
      lastError = error;
    }
    const ended = (status: 'timeout' | 'aborted' | 'hopeless'): PollResult<T> => ({
      status,
      ...(last !== undefined && { last: last.value }),
      ...(lastError !== undefined && { lastError }),
      waitedMs: clock.now() - started,
      attempts,
    });
    if (options.signal?.aborted) return ended('aborted');
    if (last !== undefined && lastError === undefined && options.hopeless?.(last.value)) return ended('hopeless');
    const now = clock.now();
    if (now >= deadline) return ended('timeout');
    const interval = typeof options.intervalMs === 'function' ? options.intervalMs(attempts) : options.intervalMs;
    await clock.sleep(Math.min(interval, deadline - now), options.signal);
    if (options.signal?.aborted) return ended('aborted');
  }
}
