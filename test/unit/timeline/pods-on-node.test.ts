import { describe, expect, it } from 'vitest';
import { podsOnNode } from '../../../src/timeline/pods-on-node.js';
import type { TimelineEntry } from '../../../src/timeline/timeline.js';

const placement: TimelineEntry = { t: 5, source: 'target', kind: 'placement', data: { nodes: { worker: ['web-a', 'web-b'], worker2: ['web-c'] }, unscheduled: [] } };

describe('podsOnNode', () => {
  it('counts the system\'s pods the node held at the start, of all of them', () => {
    expect(podsOnNode([placement], 'worker')).toEqual({ held: 2, of: 3 });
    expect(podsOnNode([placement], 'control-plane')).toEqual({ held: 0, of: 3 });
    expect(podsOnNode([], 'worker')).toBeUndefined();
  });
});
