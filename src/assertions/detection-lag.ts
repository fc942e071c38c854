import { entriesOf, type TimelineEntry } from '../timeline/timeline.js';
import { percentile } from '../stats/percentile.js';

export interface DetectionLag {
  action: string;
  samples: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

/** How long after the engine's own timestamp rebound saw each kind of event: (t0 wall + t) - engineTime. */
export function detectionLag(entries: readonly TimelineEntry[]): DetectionLag[] {
  const zero = entriesOf(entries, 'run-started')[0]?.data.wallClockAtZero;
  if (zero === undefined) return [];
  const byAction = new Map<string, number[]>();
  for (const entry of entriesOf(entries, 'instance-event')) {
    if (entry.engineTime === undefined) continue;
    const lags = byAction.get(entry.data.action) ?? [];
    lags.push(zero + entry.t - entry.engineTime);
    byAction.set(entry.data.action, lags);
  }
  return [...byAction.entries()].map(([action, lags]) => ({
    action,
    samples: lags.length,
    medianMs: percentile(lags, 50)!,
    p95Ms: percentile(lags, 95)!,
    maxMs: Math.max(...lags),
  }));
}
