import { z } from 'zod';

// Which of the matching instances a fault touches. `percent` rounds down but never to zero:
// 34 % of 3 containers is 1. `max` caps either.
export const pickSchema = z.enum(['random', 'oldest', 'newest', 'all']);
export type Pick = z.infer<typeof pickSchema>;

export const selectionShape = {
  count: z.int().min(1).max(10_000).optional().describe('How many matching instances to touch.'),
  percent: z.number().gt(0).max(100).optional().describe('Share of matching instances to touch (rounded down, at least 1).'),
  pick: pickSchema.default('random').describe('Which instances: random, oldest, newest or all.'),
  max: z.int().min(1).optional().describe('Never touch more than this many, whatever count/percent say.'),
};

export interface Selection {
  count?: number;
  percent?: number;
  pick: Pick;
  max?: number;
}

/** How many of `available` instances a selection touches. */
export function selectionSize(selection: Selection, available: number): number {
  let size: number;
  if (selection.pick === 'all' && selection.count === undefined && selection.percent === undefined) size = available;
  else if (selection.count !== undefined) size = selection.count;
  else if (selection.percent !== undefined) size = Math.max(1, Math.floor((available * selection.percent) / 100));
  else size = 1;
  if (selection.max !== undefined) size = Math.min(size, selection.max);
  return Math.min(size, available);
}

/** Chooses the instances a selection touches; `random` draws from the given source for testability. */
export function chooseInstances<T extends { createdAt: number; name: string }>(
  selection: Selection,
  candidates: readonly T[],
  random: () => number = Math.random,
): T[] {
  const size = selectionSize(selection, candidates.length);
  const byAge = [...candidates].sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name));
  switch (selection.pick) {
    case 'oldest':
    case 'all':
      return byAge.slice(0, size);
    case 'newest':
      return byAge.reverse().slice(0, size);
    case 'random': {
      const pool = [...byAge];
      const chosen: T[] = [];
      while (chosen.length < size && pool.length > 0) chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
      return chosen;
    }
  }
}
