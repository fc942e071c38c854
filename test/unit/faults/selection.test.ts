import { describe, expect, it } from 'vitest';
import { chooseInstances, selectionSize } from '../../../src/faults/selection.js';

const instances = [
  { name: 'c', createdAt: 3 },
  { name: 'a', createdAt: 1 },
  { name: 'b', createdAt: 2 },
];

describe('fault selection', () => {
  it('rounds percent down but never to zero', () => {
    expect(selectionSize({ pick: 'random', percent: 34 }, 3)).toBe(1);
    expect(selectionSize({ pick: 'random', percent: 67 }, 3)).toBe(2);
    expect(selectionSize({ pick: 'random', percent: 1 }, 3)).toBe(1);
    expect(selectionSize({ pick: 'random', percent: 100 }, 3)).toBe(3);
  });

  it('caps by max and by what is available', () => {
    expect(selectionSize({ pick: 'random', count: 5 }, 3)).toBe(3);
    expect(selectionSize({ pick: 'all', max: 2 }, 3)).toBe(2);
    expect(selectionSize({ pick: 'random' }, 0)).toBe(0);
  });

  it('picks oldest, newest, all and random without repeats', () => {
    expect(chooseInstances({ pick: 'oldest', count: 2 }, instances).map((i) => i.name)).toEqual(['a', 'b']);
    expect(chooseInstances({ pick: 'newest' }, instances).map((i) => i.name)).toEqual(['c']);
    expect(chooseInstances({ pick: 'all' }, instances)).toHaveLength(3);
    const random = chooseInstances({ pick: 'random', count: 3 }, instances, () => 0.99);
    expect(new Set(random.map((i) => i.name)).size).toBe(3);
  });
});
