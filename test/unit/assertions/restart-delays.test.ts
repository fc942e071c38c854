import { describe, expect, it } from 'vitest';
import { restartDelayOf, restartDelays } from '../../../src/assertions/restart-delays.js';
import type { TimelineEntry } from '../../../src/timeline/timeline.js';
import { TimelineBuilder } from './timeline-builder.js';

const injected = (t: number, repetition: number, subject: string): TimelineEntry => ({ t, source: 'fault', kind: 'fault-injected', data: { fault: 0, repetition, name: 'oom', subjects: [subject], startedAt: t - 100 } });

describe('restart delays', () => {
  it('measures each kill\'s death to the next start, from the engine\'s timestamps, first and repeated', () => {
    const builder = new TimelineBuilder().phase(0, 'baseline');
    builder.entries.push(injected(2000, 0, 'web-0'), injected(10_000, 1, 'web-0'));
    builder.event(2100, 'web-0', 'die', 1_000_000).event(2700, 'web-0', 'start', 1_000_450).event(10_100, 'web-0', 'die', 1_008_000).event(20_500, 'web-0', 'start', 1_018_000).phase(25_000, 'rollback');
    const delays = restartDelays(builder.build());
    expect(delays).toEqual([
      { fault: 0, repetition: 0, subject: 'web-0', ms: 450, engineTimes: true },
      { fault: 0, repetition: 1, subject: 'web-0', ms: 10_000, engineTimes: true },
    ]);
    expect(restartDelayOf(delays, 'first')).toBe(450);
    expect(restartDelayOf(delays, 'last')).toBe(10_000);
  });

  it('counts no start made by rebound\'s rollback, and has no repeat without a repetition', () => {
    const builder = new TimelineBuilder().phase(0, 'baseline');
    builder.entries.push(injected(2000, 0, 'web-0'));
    builder.event(2100, 'web-0', 'die').phase(9000, 'rollback').event(9100, 'web-0', 'start');
    expect(restartDelays(builder.build())).toEqual([]);
    expect(restartDelayOf([], 'first')).toBeNull();
    expect(restartDelayOf([{ fault: 0, repetition: 0, subject: 'a', ms: 5, engineTimes: false }], 'last')).toBeNull();
  });
});
