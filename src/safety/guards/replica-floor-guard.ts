import { z } from 'zod';
import { formatDuration } from '../../common/duration.js';
import type { ReplicasEntry } from '../../timeline/timeline.js';
import { durationSchema } from '../../common/schema-primitives.js';
import type { GuardDefinition } from './guard.js';

export const replicaFloorParams = z.strictObject({
  min: z.int().min(0).max(10_000).describe('Fewest ready replicas allowed.'),
  for: durationSchema.prefault(5).describe('How long ready replicas may stay below `min` before the run stops (default 5s).'),
});

export type ReplicaFloorParams = z.output<typeof replicaFloorParams>;

// Ready replicas below `min` continuously for `for`. The count is the target's own `replicas`
// entries (written whenever desired or ready changes); time below the floor before the guard was
// armed does not count, so the grace always applies after the first fault.
export const replicaFloorGuard: GuardDefinition<ReplicaFloorParams> = {
  name: 'replicas',
  summary: 'Stops the run when ready replicas stay below a floor for longer than a grace time.',
  params: replicaFloorParams,
  describe: (params) => `ready replicas >= ${params.min}, below it for at most ${formatDuration(params.for)}`,
  abortWhen: (params) => `ready replicas < ${params.min} for ${formatDuration(params.for)}`,
  evaluate(entries, { now, armedAt }, params) {
    let latest: ReplicasEntry | undefined;
    let belowSince: number | undefined;
    for (let index = entries.length - 1; index >= 0; index--) {
      const entry = entries[index]!;
      if (entry.kind !== 'replicas' || entry.t > now) continue;
      latest ??= entry;
      if (entry.data.ready >= params.min) break;
      belowSince = entry.t;
    }
    if (latest === undefined) return { violated: false, detail: 'no replica count observed yet' };
    if (belowSince === undefined) return { violated: false, detail: `${latest.data.ready} of ${latest.data.desired} replicas ready, floor ${params.min}` };
    const below = now - Math.max(belowSince, armedAt);
    const violated = below >= params.for;
    return {
      violated,
      detail: `${latest.data.ready} of ${latest.data.desired} replicas ready, below the floor of ${params.min} for ${formatDuration(Math.max(0, below))}${violated ? ` (grace ${formatDuration(params.for)})` : ''}`,
    };
  },
};
