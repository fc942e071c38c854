import { z } from 'zod';

// Undo records of the network faults. Each fault is made by a helper (a Docker helper container
// in the instance's network namespace, or a transient unit in a kind node) that removes it by
// itself at the deadline. The record names every helper by its id (what the reliability figures and
// `recover` look for: `helpers[].id`) and carries the helper's remove script: a helper stopped with
// SIGTERM removes the fault itself, but one that was SIGKILLed cannot, and only running the same
// script in the same namespace cleans up after it. Read back from journals: loose objects.

const helperId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,19}$/);
/** The bash that removes the fault, run in the namespace it was applied in; idempotent. */
const removeScript = z.string().min(1);

/** Docker: one helper container per instance, in that container's network namespace. */
export const removeContainerNetworkFaultUndo = z.object({
  action: z.literal('remove-network-fault'),
  helpers: z.array(
    z.object({
      id: helperId,
      /** The container (id) whose network namespace holds the fault. */
      target: z.string().min(1),
      /** Its name, for messages. */
      name: z.string(),
      remove: removeScript,
    }),
  ),
});

/** Kubernetes on kind: one unit per pod, in the node, entering the pod's network namespace. */
export const removePodNetworkFaultUndo = z.object({
  action: z.literal('remove-network-fault'),
  namespace: z.string(),
  helpers: z.array(
    z.object({
      id: helperId,
      node: z.string().min(1),
      pod: z.string().min(1),
      /** The pod's network namespace file in the node (/var/run/netns/cni-…). */
      netns: z.string().min(1),
      remove: removeScript,
    }),
  ),
});

/** partition-node: a unit in the node's own network namespace; the undo also waits for the node to be Ready. */
export const healNodeUndo = z.object({
  action: z.literal('heal-node'),
  node: z.string().min(1),
  helpers: z.array(z.object({ id: helperId, node: z.string().min(1), remove: removeScript })),
});
