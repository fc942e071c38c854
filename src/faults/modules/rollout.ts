import { z } from 'zod';
import { durationSchema } from '../../common/schema-primitives.js';
import { defineFault } from '../fault-module.js';
import { recordedContainer } from '../undo-records.js';

// A new release of the whole system: its image and/or environment change, and the engine replaces
// every instance the way its users get it.
//
// Docker does what `docker compose up -d` does when a service's configuration changed. Measured on
// this project's machine with Compose v2.40.3 (docker events, a service at scale 3, a changed env,
// 2026-12-01): Compose first creates all 3 successors under temporary names (<old id>_<name>), then
// stops the 3 old containers in parallel (SIGTERM, SIGKILL after --timeout, default 10 s), removes
// them and renames the successors, then starts the successors one after another (at +2.1, +3.7 and
// +4.8 s after `up`). Issue 15 expected "one at a time, in order"; the measurement wins: every old
// container is gone before the first successor starts, so a Docker host serves nothing meanwhile.
// Kubernetes updates the Deployment's pod template, and its controller rolls a new ReplicaSet with
// the Deployment's own strategy (rebound's deploy: maxSurge 1, maxUnavailable 0).
//
// No duration of its own: the new release stays until the rollback (`duration` rolls back earlier,
// while the run still observes). The injection ends when the update is applied (Docker: the last
// successor started, as `up -d` returns; Kubernetes: the patch accepted); the rollout's progress is
// observed (Docker events, the Deployment's conditions and ReplicaSets), not waited for.

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name: letters, digits and _');
/** A count or a percentage, as a Deployment's maxSurge / maxUnavailable take it. */
const intOrPercent = z.union([z.int().min(0).max(10_000), z.string().regex(/^\d{1,3}%$/, 'a percentage such as "25%"')]);

export const rolloutTo = z
  .strictObject({
    image: z.string().min(1).optional().describe('The new image (it must be on the Docker host / loaded into the kind nodes: nothing is pulled).'),
    env: z.record(envName, z.string()).optional().describe('Environment variables to set (others stay as they are), e.g. { VERSION: v2 }.'),
  })
  .refine((to) => to.image !== undefined || (to.env !== undefined && Object.keys(to.env).length > 0), { message: 'say what the new release changes: `image`, `env`, or both' });
export type RolloutTo = z.output<typeof rolloutTo>;

/** "image rebound/demo-app:v2, env VERSION=v2": a new release in words, for notes. */
export function releaseInWords(to: RolloutTo): string {
  const env = Object.entries(to.env ?? {}).map(([key, value]) => `${key}=${value}`);
  return [...(to.image !== undefined ? [`image ${to.image}`] : []), ...(env.length > 0 ? [`env ${env.join(' ')}`] : [])].join(', ');
}

export const rollout = defineFault({
  name: 'rollout',
  summary: 'A new release of every instance (image and/or env): Docker recreates the containers as `docker compose up` does; Kubernetes rolls the Deployment.',
  actsOn: 'system',
  drivenBy: 'target',
  params: z.strictObject({
    to: rolloutTo.describe('What the new release changes.'),
    duration: durationSchema.optional().describe('Roll back this long after the injection completed, while the run still observes (default: at the end of the run).'),
    stopTimeout: durationSchema.prefault(10).describe('Docker: grace before SIGKILL when the old containers are stopped (Compose\'s --timeout, default 10s).'),
    maxSurge: intOrPercent.optional().describe('Kubernetes: override the Deployment\'s maxSurge for this rollout (rebound\'s deploy: 1).'),
    maxUnavailable: intOrPercent.optional().describe('Kubernetes: override the Deployment\'s maxUnavailable for this rollout (rebound\'s deploy: 0).'),
    container: z.string().min(1).optional().describe('Kubernetes: the container of the pod template to update (default: the first).'),
  }),
  docker: {
    does: 'what `docker compose up -d` does to a changed service (measured, Compose v2.40.3): every successor created, every old container stopped and removed, then the successors renamed and started one after another',
    rollback: 'the same recreation back to each container\'s recorded configuration (same names, ports, labels, restart policy)',
    // Each container's configuration is journalled before anything is created or stopped.
    undo: z.object({
      action: z.literal('recreate-previous'),
      containers: z.array(recordedContainer),
      /** Grace before SIGKILL when the successors are stopped again (the rollout's stopTimeout). */
      stopTimeoutS: z.number().min(0).optional(),
    }),
  },
  kubernetes: {
    does: "patches the Deployment's pod template (and, if asked, maxSurge / maxUnavailable); its controller rolls a new ReplicaSet under the Deployment's strategy and progressDeadlineSeconds",
    rollback: 'the previous pod template and strategy back, as `kubectl rollout undo` does; waits until that rollout completed',
    undo: z.object({
      action: z.literal('restore-template'),
      namespace: z.string(),
      /** Unknown until the Deployment was read: then nothing was patched yet. */
      deployment: z.string().nullable(),
      /** The pod template (and strategy) before the rollout, as the API returned them. */
      template: z.record(z.string(), z.unknown()).nullable(),
      strategy: z.record(z.string(), z.unknown()).nullable(),
      /** deployment.kubernetes.io/revision before the rollout, for the report. */
      revision: z.int().nullable(),
    }),
  },
  durationOf: (params) => params.duration,
});
