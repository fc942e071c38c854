import { z } from 'zod';

// Undo records several faults share. Read back from journals by `rebound recover`, so they are
// loose objects (an extra field written by a newer rebound is ignored, a missing one is refused).

const names = z.array(z.string().min(1));

/** Docker: start (or unpause) each container still down: crash, kill, stop, restart, fail-node. */
export const startContainersUndo = z.object({ action: z.literal('start'), containers: names });

/** Docker: unpause each container still paused. */
export const unpauseContainersUndo = z.object({ action: z.literal('unpause'), containers: names });

/**
 * A container as `docker inspect` showed it before rebound removed it: enough to create it again
 * with the same name, labels, environment, restart policy, published ports and networks.
 */
export const recordedContainer = z.object({
  name: z.string().min(1),
  /** The old container id, whose short form Docker adds as a network alias (not copied). */
  id: z.string(),
  config: z.record(z.string(), z.unknown()),
  hostConfig: z.record(z.string(), z.unknown()),
  /** Networks it was attached to, with the aliases it had there. */
  networks: z.record(z.string(), z.object({ aliases: z.array(z.string()).optional() })),
});
export type RecordedContainer = z.output<typeof recordedContainer>;

/** Kubernetes: nothing to undo, a controller replaces deleted pods; the undo reports how many are ready. */
export const controllerReplacesUndo = z.object({
  action: z.literal('controller-replaces'),
  namespace: z.string(),
  pods: names,
  /** The system's pod labels, to count its ready pods. */
  labels: z.record(z.string(), z.string()),
});

// Faults done by a helper (src/targets/fault-tools: a Docker helper container, a transient unit in a
// kind node) name each helper by its id, journalled before it starts: stopping the helper ends the
// fault (the helper removes what it applied, and its stress processes end with it). The reliability
// figures count what is left of the helpers these records name (`helpers[].id`).
const helperId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,19}$/);

/** Docker: stop each helper container rebound-helper-<id> still there (docker stop: SIGTERM, the driver removes). */
export const stopHelpersUndo = z.object({
  action: z.literal('stop-helpers'),
  helpers: z.array(z.object({ id: helperId, /** The container it works on. */ target: z.string() })),
});

/** Kubernetes on kind: stop each helper unit rebound-helper-<id>.service still loaded in its node. */
export const stopNodeHelpersUndo = z.object({
  action: z.literal('stop-node-helpers'),
  namespace: z.string(),
  helpers: z.array(z.object({ id: helperId, node: z.string(), pod: z.string() })),
});
