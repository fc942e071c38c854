import { entriesOf, type TimelineEntry } from './timeline.js';

/**
 * How many of the system's pods a node held when the run started (the Kubernetes observer's
 * placement entry), of how many: "the node held 2 of the system's 3 pods". Undefined when the run
 * has no placement entry (a Docker run, or a report written before placements were recorded).
 */
export function podsOnNode(entries: readonly TimelineEntry[], node: string): { held: number; of: number } | undefined {
  const placement = entriesOf(entries, 'placement')[0];
  if (placement === undefined) return undefined;
  const all = Object.values(placement.data.nodes).reduce((sum, pods) => sum + pods.length, placement.data.unscheduled.length);
  return { held: placement.data.nodes[node]?.length ?? 0, of: all };
}
