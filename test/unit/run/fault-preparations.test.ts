import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/common/clock.js';
import type { Preparation } from '../../../src/faults/index.js';
import type { PlannedInjection } from '../../../src/plan/plan-experiment.js';
import { FaultPreparations, PREPARE_AHEAD_MS } from '../../../src/run/fault-preparations.js';
import type { Target } from '../../../src/targets/target.js';
import { Timeline } from '../../../src/timeline/timeline.js';

const injection = (at: number, index = 0) => ({ index, repetition: 0, name: 'partition', params: {}, subjects: ['web-0'], at, actsOn: 'instances' }) as unknown as PlannedInjection;

function fakeTarget(fail = false) {
  const prepared: { at: number; released: boolean }[] = [];
  const timeline = new Timeline(systemClock());
  const target = {
    prepare: async (fault: PlannedInjection): Promise<Preparation> => {
      if (fail) throw new Error('no');
      const entry = { at: timeline.now(), released: false, of: fault.at };
      prepared.push(entry);
      return { release: async () => void (entry.released = true) };
    },
  } as unknown as Target;
  return { target, prepared, timeline };
}

describe('fault preparations', () => {
  it(`prepares each fault ${PREPARE_AHEAD_MS} ms ahead (at once when that is past), hands it to its injection, releases the rest`, async () => {
    const { target, prepared, timeline } = fakeTarget();
    const preparations = new FaultPreparations(target, { labels: {} }, timeline);
    const soon = injection(10);
    const later = injection(PREPARE_AHEAD_MS + 150, 1);
    preparations.schedule([soon, later], new AbortController().signal);
    const first = await preparations.take(soon);
    expect(first).toBeDefined();
    expect(prepared).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(prepared).toHaveLength(2);
    expect(prepared[1]!.at).toBeGreaterThanOrEqual(140);
    await preparations.releaseRest();
    expect(prepared.map((entry) => entry.released)).toEqual([false, true]);
  });

  it('forgets a failed preparation (the injection starts from scratch) and prepares nothing after an abort', async () => {
    const failing = fakeTarget(true);
    const preparations = new FaultPreparations(failing.target, { labels: {} }, failing.timeline);
    preparations.schedule([injection(0)], new AbortController().signal);
    expect(await preparations.take(injection(0))).toBeUndefined();
    const { target, prepared, timeline } = fakeTarget();
    const aborted = new AbortController();
    aborted.abort();
    const none = new FaultPreparations(target, { labels: {} }, timeline);
    const one = injection(0);
    none.schedule([one], aborted.signal);
    expect(await none.take(one)).toBeUndefined();
    expect(prepared).toEqual([]);
  });
});
