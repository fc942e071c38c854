import { entriesOf, type TimelineEntry } from '../timeline/timeline.js';
import { runWindows } from './chaos-window.js';

/** Where the answers of a run came from: which version, and (two-tier app) whether its tiers crossed nodes. */
export interface AnswerOrigins {
  /** Answered requests (probe and load) per version (X-Version); empty when no answer named one. */
  byVersion: Record<string, number>;
  /**
   * Answers whose web and api tiers ran on different nodes (`crossed`) or on the same node
   * (`same`), from the web tier's X-Crossed-Nodes; null when no answer said (one tier, or a Docker
   * host, where there are no nodes to cross).
   */
  crossedNodes: { crossed: number; same: number } | null;
}

/**
 * The origins of the answers during chaos — the same window as every traffic figure: probe
 * requests sent from the first fault to the end of observation, and load buckets that started in it.
 */
export function answerOrigins(entries: readonly TimelineEntry[]): AnswerOrigins {
  const windows = runWindows(entries);
  const start = windows.chaosStart ?? windows.end;
  const inChaos = (t: number) => t >= start && t < windows.end;
  const byVersion: Record<string, number> = {};
  let crossedNodes: AnswerOrigins['crossedNodes'] = null;
  const countVersion = (version: string, count: number) => (byVersion[version] = (byVersion[version] ?? 0) + count);
  const countCrossing = (crossed: number, same: number) => {
    crossedNodes ??= { crossed: 0, same: 0 };
    crossedNodes.crossed += crossed;
    crossedNodes.same += same;
  };
  for (const request of entriesOf(entries, 'request')) {
    if (!request.data.ok || !inChaos(request.t)) continue;
    if (request.data.version !== undefined) countVersion(request.data.version, 1);
    if (request.data.crossedNodes !== undefined) countCrossing(request.data.crossedNodes ? 1 : 0, request.data.crossedNodes ? 0 : 1);
  }
  for (const bucket of entriesOf(entries, 'load-bucket')) {
    if (!inChaos(bucket.t)) continue;
    for (const [version, count] of Object.entries(bucket.data.byVersion ?? {})) countVersion(version, count);
    if (bucket.data.crossedNodes) countCrossing(bucket.data.crossedNodes.crossed, bucket.data.crossedNodes.same);
  }
  return { byVersion, crossedNodes };
}

/** The share of answers that crossed nodes, or null when no answer said. */
export function crossedNodeShare(origins: AnswerOrigins): number | null {
  const { crossedNodes } = origins;
  if (crossedNodes === null || crossedNodes.crossed + crossedNodes.same === 0) return null;
  return crossedNodes.crossed / (crossedNodes.crossed + crossedNodes.same);
}
