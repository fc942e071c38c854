import { recoveryTimes } from '../assertions/recovery-time.js';
import type { TimelineEntry } from '../timeline/timeline.js';

/** Slack for entries recorded just after the instant they describe (watch events, request completions). */
const RECORDING_MARGIN_MS = 250;

export interface RecoveredSoFarOptions {
  settleMs: number;
  /** A probe request is recorded, with its send time, only when it completes: at most this late. */
  probeTimeoutMs: number;
  /** Never before this instant: the last timed rollback or the end of the load. */
  notBeforeMs: number;
}

/**
 * Whether a run with `until: recovered` may stop observing at `now`: every fault injected so far has
 * recovered, judged by the recovery-time assertion's own rule, over the part of the timeline that can
 * no longer change (a request sent later than `now - timeout` may still fail). The verdicts computed
 * after the run therefore find the same recoveries.
 */
export function recoveredSoFar(entries: readonly TimelineEntry[], now: number, options: RecoveredSoFarOptions): boolean {
  if (now < options.notBeforeMs) return false;
  const complete = now - options.probeTimeoutMs - RECORDING_MARGIN_MS;
  const settled = entries.filter((entry) => entry.t <= complete);
  // A fault started but not yet complete in the settled part (a repetition injected a moment ago)
  // has not recovered: without this, only the earlier faults were judged, and the run stopped
  // right after injecting the last one.
  const key = (entry: TimelineEntry) => (entry.kind === 'fault-started' || entry.kind === 'fault-injected' || entry.kind === 'fault-failed' ? `${entry.data.fault}.${entry.data.repetition}` : undefined);
  const judged = new Set(settled.filter((entry) => entry.kind !== 'fault-started').map(key));
  if (entries.some((entry) => key(entry) !== undefined && !judged.has(key(entry)))) return false;
  const times = recoveryTimes(settled, options.settleMs, undefined, complete);
  return times.length > 0 && times.every((time) => time.ms !== null);
}
