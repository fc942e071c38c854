import type { V1Pod } from '@kubernetes/client-node';
import type { PlacementEntry } from '../../../timeline/timeline.js';

/**
 * Which node holds which of the pods: the fact a node fault's report needs ("the node held 2 of
 * the system's 3 pods"). Terminating pods count where they still are; they still answer until gone.
 */
export function podPlacement(pods: readonly V1Pod[]): PlacementEntry['data'] {
  const nodes: Record<string, string[]> = {};
  const unscheduled: string[] = [];
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '?';
    const node = pod.spec?.nodeName;
    if (node === undefined || node === '') unscheduled.push(name);
    else (nodes[node] ??= []).push(name);
  }
  for (const names of Object.values(nodes)) names.sort();
  return { nodes: Object.fromEntries(Object.entries(nodes).sort(([a], [b]) => a.localeCompare(b))), unscheduled: unscheduled.sort() };
}
