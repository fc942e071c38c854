import { describe, expect, it } from 'vitest';
import { pollUntil, type WaitClock } from '../../../src/common/poll-until.js';

/** A clock whose sleep only moves time forward: no real waiting. */
function fakeClock(): WaitClock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe('pollUntil', () => {
  it('returns the first state that is done, with the time waited', async () => {
    const clock = fakeClock();
    const result = await pollUntil({ check: async (attempt) => attempt, done: (value) => value === 3, timeoutMs: 10_000, intervalMs: 250, clock });
    expect(result).toEqual({ status: 'done', value: 3, waitedMs: 500, attempts: 3 });
  });

  it('checks one last time at the deadline itself, never giving up early', async () => {
    const clock = fakeClock();
    const seen: number[] = [];
    const result = await pollUntil({
      check: async () => seen.push(clock.now()),
      done: () => false,
      timeoutMs: 12_000,
      intervalMs: (attempt) => Math.min(500 * 2 ** (attempt - 1), 5000),
      clock,
    });
    expect(result.status).toBe('timeout');
    // 0, 500, 1500, 3500, 7500, then the deadline (12 000) instead of 12 500.
    expect(seen).toEqual([0, 500, 1500, 3500, 7500, 12_000]);
    expect(clock.sleeps.at(-1)).toBe(4500);
  });

  it('stops at once on a hopeless state and keeps it', async () => {
    const result = await pollUntil({ check: async () => 'exited', done: (value) => value === 'running', hopeless: (value) => value === 'exited', timeoutMs: 10_000, intervalMs: 100, clock: fakeClock() });
    expect(result).toMatchObject({ status: 'hopeless', last: 'exited', attempts: 1 });
  });

  it('retries errors only when asked, and returns the last one', async () => {
    const failing = async () => {
      throw new Error('API stutters');
    };
    await expect(pollUntil({ check: failing, done: () => true, timeoutMs: 1000, intervalMs: 100, clock: fakeClock() })).rejects.toThrow('API stutters');
    const result = await pollUntil({ check: failing, done: () => true, timeoutMs: 1000, intervalMs: 100, clock: fakeClock(), retryErrors: true });
    expect(result).toMatchObject({ status: 'timeout', attempts: 11 });
    expect(result.status !== 'done' && (result.lastError as Error).message).toBe('API stutters');
  });

  it('ends when the signal aborts', async () => {
    const controller = new AbortController();
    const result = await pollUntil({
      check: async (attempt) => {
        if (attempt === 2) controller.abort();
        return attempt;
      },
      done: () => false,
      timeoutMs: 10_000,
      intervalMs: 100,
      signal: controller.signal,
      clock: fakeClock(),
    });
    expect(result).toMatchObject({ status: 'aborted', last: 2, attempts: 2 });
  });
});
