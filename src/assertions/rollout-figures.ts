import { entriesOf, type RequestEntry, type TimelineEntry } from '../timeline/timeline.js';
import { runWindows } from './chaos-window.js';
import { outages } from './traffic-figures.js';
import { recoveryInstant, replicasAt, replicaSteps } from './steady-state.js';

// A rollout measured from the timeline, the same way on both targets. Definitions, once:
// - the rollout window: from the injection's start to its rollback's start (or the end of observation);
// - previous versions: the versions that answered in the baseline (X-Version);
// - complete: every instance runs the new release and is ready — on Kubernetes the Deployment's
//   status says so (a `rollout` entry: complete, at a newer revision); on a Docker host every
//   container is replaced when the injection ends (Compose's recreation), so it is the first instant
//   from then on with ready >= desired;
// - stalled: the engine says the rollout makes no progress (Kubernetes: Progressing=False,
//   ProgressDeadlineExceeded); a Docker host has no such notion and never stalls;
// - rolled back (the clients' view): from the rollback's start to the first instant from which only
//   previous versions answer and the steady state holds for the settle period.

export interface RolloutFigures {
  /** Index of the rollout fault in the experiment. */
  fault: number;
  /** t of the injection's start, and of its end (Docker: the last successor started; Kubernetes: the patch accepted). */
  startedAt: number;
  injectedAt: number;
  /** End of the rollout window: the rollback's start, or the end of observation. */
  windowEnd: number;
  /** t of the rollback's start when it happened during observation. */
  rollbackAt: number | null;
  /** The versions that answered before the rollout (empty: no answer named its version). */
  previousVersions: string[];
  /** ms from the start until the rollout was complete; null: not within the window. */
  completedMs: number | null;
  /** ms from the start until the engine reported a stall; null: none (always null on Docker). */
  stalledMs: number | null;
  /** Probe requests sent in the window, and how many failed; load requests failed in it. */
  sent: number;
  failed: number;
  loadFailed: number;
  longestOutageMs: number;
  /** Share of the window's probe requests answered by a previous version (a failure is not); null without versions. */
  previousShare: number | null;
  /** Share of the answers in the window's last second that came from a new version; null without versions. */
  newShareAtEnd: number | null;
  /** ms from the rollback's start until only previous versions answer and the steady state held for the settle period; null: not seen. */
  rolledBackMs: number | null;
  /** How long the engine's undo took (fault-rollback-started → fault-rolled-back). */
  undoMs: number | null;
}

/** The figures of every rollout fault of the run, in injection order. */
export function rolloutFigures(entries: readonly TimelineEntry[], settleMs: number): RolloutFigures[] {
  const windows = runWindows(entries);
  const requests = entriesOf(entries, 'request');
  const injected = entriesOf(entries, 'fault-injected').filter((entry) => entry.data.name === 'rollout');
  return injected.map((entry) => {
    const startedAt = entry.data.startedAt ?? entry.t;
    const rollbackStarted = entriesOf(entries, 'fault-rollback-started').find((candidate) => candidate.data.fault === entry.data.fault && candidate.data.repetition === entry.data.repetition && candidate.t >= startedAt);
    const rolledBack = entriesOf(entries, 'fault-rolled-back').find((candidate) => candidate.data.fault === entry.data.fault && candidate.data.repetition === entry.data.repetition && candidate.t >= startedAt);
    const rollbackAt = rollbackStarted !== undefined && rollbackStarted.t < windows.end ? rollbackStarted.t : null;
    const windowEnd = rollbackAt ?? windows.end;
    const previous = versionsAnswering(requests, windows.baselineStart, startedAt);
    const inWindow = requests.filter((request) => request.t >= startedAt && request.t < windowEnd);
    const failed = inWindow.filter((request) => !request.data.ok).length;
    const loadFailed = entriesOf(entries, 'load-bucket').filter((bucket) => bucket.t >= startedAt && bucket.t < windowEnd).reduce((sum, bucket) => sum + bucket.data.failed, 0);
    const longest = outages(requests, startedAt, windowEnd).reduce((most, outage) => Math.max(most, outage.ms), 0);
    const completedAt = completionInstant(entries, startedAt, entry.t, windowEnd);
    const stalledAt = stallInstant(entries, startedAt, windowEnd);
    return {
      fault: entry.data.fault,
      startedAt,
      injectedAt: entry.t,
      windowEnd,
      rollbackAt,
      previousVersions: [...previous],
      completedMs: completedAt === undefined ? null : completedAt - startedAt,
      stalledMs: stalledAt === undefined ? null : stalledAt - startedAt,
      sent: inWindow.length,
      failed,
      loadFailed,
      longestOutageMs: longest,
      previousShare: previous.size === 0 || inWindow.length === 0 ? null : inWindow.filter((request) => request.data.ok && previous.has(request.data.version ?? '')).length / inWindow.length,
      newShareAtEnd: newShare(inWindow.filter((request) => request.t >= windowEnd - 1000), previous),
      rolledBackMs: rollbackAt === null ? null : rolledBackMs(entries, requests, rollbackAt, previous, settleMs, windows.end),
      undoMs: rollbackStarted !== undefined && rolledBack !== undefined ? rolledBack.t - rollbackStarted.t : null,
    };
  });
}

function versionsAnswering(requests: readonly RequestEntry[], from: number, to: number): Set<string> {
  return new Set(requests.filter((request) => request.data.ok && request.data.version !== undefined && request.t >= from && request.t < to).map((request) => request.data.version!));
}

function newShare(requests: readonly RequestEntry[], previous: ReadonlySet<string>): number | null {
  const answered = requests.filter((request) => request.data.ok && request.data.version !== undefined);
  if (previous.size === 0 || answered.length === 0) return null;
  return answered.filter((request) => !previous.has(request.data.version!)).length / answered.length;
}

/** The newest revision the engine reported before `t` (Kubernetes `rollout` entries), or undefined. */
function revisionBefore(entries: readonly TimelineEntry[], t: number): number | undefined {
  let revision: number | undefined;
  for (const entry of entriesOf(entries, 'rollout')) if (entry.t < t && entry.data.revision !== undefined) revision = Math.max(revision ?? 0, entry.data.revision);
  return revision;
}

function completionInstant(entries: readonly TimelineEntry[], startedAt: number, injectedAt: number, windowEnd: number): number | undefined {
  const rollouts = entriesOf(entries, 'rollout');
  // Kubernetes keeps serving the old pods: ready counts say nothing about the rollout, only the Deployment's status does.
  const kubernetes = entriesOf(entries, 'run-started')[0]?.data.target === 'kubernetes';
  if (rollouts.length > 0 || kubernetes) {
    const before = revisionBefore(entries, startedAt) ?? 0;
    return rollouts.find((entry) => entry.t >= startedAt && entry.t < windowEnd && entry.data.complete && (entry.data.revision ?? 0) > before)?.t;
  }
  // No engine rollout status (a Docker host): replaced when the injection ended, complete once ready again.
  const steps = replicaSteps(entries);
  const candidates = [replicasAt(steps, injectedAt), ...steps.filter((step) => step.t > injectedAt)];
  const step = candidates.find((candidate) => candidate !== undefined && candidate.ready >= candidate.desired && candidate.t < windowEnd);
  return step === undefined ? undefined : Math.max(step.t, injectedAt);
}

function stallInstant(entries: readonly TimelineEntry[], startedAt: number, windowEnd: number): number | undefined {
  const before = revisionBefore(entries, startedAt) ?? 0;
  return entriesOf(entries, 'rollout').find(
    (entry) => entry.t >= startedAt && entry.t < windowEnd && (entry.data.revision ?? 0) > before && entry.data.progressing?.status === 'False' && entry.data.progressing.reason === 'ProgressDeadlineExceeded',
  )?.t;
}

function rolledBackMs(entries: readonly TimelineEntry[], requests: readonly RequestEntry[], rollbackAt: number, previous: ReadonlySet<string>, settleMs: number, end: number): number | null {
  // Answers of the new release still coming after the rollback began: rolled back only after the last of them.
  const lastNew = requests
    .filter((request) => request.t >= rollbackAt && request.data.ok && request.data.version !== undefined && previous.size > 0 && !previous.has(request.data.version))
    .reduce((latest, request) => Math.max(latest, request.t + request.data.ms), rollbackAt);
  const instant = recoveryInstant(entries, lastNew, settleMs, end);
  return instant === undefined ? null : instant - rollbackAt;
}
