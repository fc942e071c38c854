import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { podPlacement } from '../../../../../src/targets/kubernetes/observe/pod-placement.js';

const pod = (name: string, node?: string): V1Pod => ({ metadata: { name }, spec: { containers: [], ...(node !== undefined && { nodeName: node }) } });

describe('podPlacement', () => {
  it('lists the pods per node, sorted, and the pods not scheduled yet', () => {
    expect(podPlacement([pod('web-c', 'worker2'), pod('web-a', 'worker'), pod('web-b', 'worker2'), pod('web-d')])).toEqual({
      nodes: { worker: ['web-a'], worker2: ['web-b', 'web-c'] },
      unscheduled: ['web-d'],
    });
    expect(podPlacement([])).toEqual({ nodes: {}, unscheduled: [] });
  });
});
