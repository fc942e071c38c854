import type { V1Node } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { podsToRespread, spreadDomains } from '../../../../../src/targets/kubernetes/deploy/respread-pods.js';

const on = (node: string, ...names: string[]) => names.map((name) => ({ name, node }));

describe('podsToRespread', () => {
  it('leaves spread pods alone', () => {
    expect(podsToRespread([...on('a', 'p1', 'p2'), ...on('b', 'p3')], ['a', 'b'])).toEqual([]);
    expect(podsToRespread([], ['a', 'b'])).toEqual([]);
  });

  it('moves pods off the fullest node until the nodes are at most one apart', () => {
    expect(podsToRespread(on('a', 'p1', 'p2', 'p3'), ['a', 'b'])).toEqual(['p3']);
    expect(podsToRespread(on('a', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6'), ['a', 'b'])).toEqual(['p6', 'p5', 'p4']);
    expect(podsToRespread([...on('a', 'p1', 'p2', 'p3', 'p4'), ...on('b', 'p5')], ['a', 'b', 'c'])).toEqual(['p4', 'p3']);
  });

  it('counts only the nodes pods can go to', () => {
    expect(podsToRespread([...on('a', 'p1', 'p2'), ...on('control-plane', 'p3')], ['a'])).toEqual([]);
  });
});

describe('spreadDomains', () => {
  const node = (name: string, options: { ready?: boolean; unschedulable?: boolean; taint?: string } = {}): V1Node => ({
    metadata: { name },
    spec: { ...(options.unschedulable && { unschedulable: true }), ...(options.taint && { taints: [{ key: 'k', effect: options.taint }] }) },
    status: { conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }] },
  });

  it('is the Ready, schedulable, untainted nodes', () => {
    expect(spreadDomains([node('worker'), node('worker2', { ready: false }), node('worker3', { unschedulable: true }), node('cp', { taint: 'NoSchedule' }), node('w4', { taint: 'PreferNoSchedule' })])).toEqual(['worker', 'w4']);
  });
});
