import type { CoreV1Event } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { eventHappening } from '../../../../../src/targets/kubernetes/observe/event-entry.js';

describe('eventHappening', () => {
  it('prefers eventTime (microseconds) over lastTimestamp (seconds)', () => {
    const base = { metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'web-1' }, reason: 'Scheduled', message: 'Successfully assigned ns/web-1 to w1\n', type: 'Normal' };
    const scheduler = eventHappening({ ...base, eventTime: new Date(1500.25) as unknown as CoreV1Event['eventTime'], lastTimestamp: new Date(1000) } as CoreV1Event);
    expect(scheduler).toMatchObject({ subject: 'web-1', reason: 'Scheduled', involvedKind: 'Pod', message: 'Successfully assigned ns/web-1 to w1', engineTime: 1500, count: 1 });
    const kubelet = eventHappening({ ...base, reason: 'Killing', lastTimestamp: new Date(3000), count: 2 } as CoreV1Event);
    expect(kubelet).toMatchObject({ reason: 'Killing', engineTime: 3000, count: 2 });
  });
});
