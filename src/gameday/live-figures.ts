import { recoveryTimes } from '../assertions/recovery-time.js';
import { percentileOfSorted } from '../stats/percentile.js';
import type { RequestEntry, RunPhase, TimelineEntry } from '../timeline/timeline.js';

/** Per-second figures are over the last second of answers (a request counts when its answer, or its failure, came). */
const WINDOW_MS = 1000;
/** An entry is recorded a little after the instant it describes: recovery is judged up to now minus this. */
const RECORDING_MARGIN_MS = 250;

export type LiveFaultState = 'injecting' | 'in effect' | 'rolling back' | 'rolled back' | 'failed' | 'rollback failed';

export interface LiveFault {
  name: string;
  subjects: string[];
  /** Run t of the injection's start. */
  at: number;
  state: LiveFaultState;
  /** Recovered this long after its start (the recovery-time assertion's definition), once it has. */
  recoveredAfterMs?: number;
}

/** What the live view shows at one instant of a run. */
export interface LiveSnapshot {
  phase: RunPhase | 'starting';
  /** Run t now. */
  elapsedMs: number;
  /** Probe answers in the last second. */
  probe: { ok: number; failed: number };
  /** Latency of the probe's answered requests of the last second, ms. */
  latency?: { p50: number; p95: number };
  /** Load generator requests in the last second, when there is load. */
  load?: { ok: number; failed: number };
  ready?: number;
  desired?: number;
  faults: LiveFault[];
  /** Probe answers since the run started. */
  totals: { ok: number; failed: number };
}

/**
 * Counts a run's entries as they arrive into what a person watching needs: requests OK / failed
 * per second, latency, ready replicas, each fault's state and recovery. Pure: `snapshot(now)` is a
 * function of the entries and the instant.
 */
export class LiveFigures {
  private readonly entries: TimelineEntry[] = [];
  private readonly requests: RequestEntry[] = [];
  private phase: RunPhase | 'starting' = 'starting';
  private replicas: { ready: number; desired: number } | undefined;
  private totals = { ok: 0, failed: 0 };
  private hasLoad = false;

  constructor(private readonly options: { settleMs: number; probeTimeoutMs: number }) {}

  add(entry: TimelineEntry): void {
    this.entries.push(entry);
    switch (entry.kind) {
      case 'phase':
        this.phase = entry.data.phase;
        break;
      case 'request':
        this.requests.push(entry);
        if (entry.data.ok) this.totals.ok++;
        else this.totals.failed++;
        break;
      case 'replicas':
        this.replicas = { ready: entry.data.ready, desired: entry.data.desired };
        break;
      case 'load-bucket':
        this.hasLoad = true;
        break;
      default:
        break;
    }
  }

  snapshot(now: number): LiveSnapshot {
    const answered = this.requests.filter((request) => request.t + request.data.ms > now - WINDOW_MS && request.t + request.data.ms <= now);
    const ok = answered.filter((request) => request.data.ok).map((request) => request.data.ms).sort((a, b) => a - b);
    const snapshot: LiveSnapshot = {
      phase: this.phase,
      elapsedMs: now,
      probe: { ok: ok.length, failed: answered.length - ok.length },
      faults: this.faults(now),
      totals: { ...this.totals },
    };
    if (ok.length > 0) snapshot.latency = { p50: percentileOfSorted(ok, 50)!, p95: percentileOfSorted(ok, 95)! };
    if (this.hasLoad) {
      const buckets = this.entries.filter((entry) => entry.kind === 'load-bucket' && entry.t + entry.data.bucketMs > now - WINDOW_MS && entry.t <= now);
      snapshot.load = buckets.reduce((sum, entry) => (entry.kind === 'load-bucket' ? { ok: sum.ok + entry.data.ok, failed: sum.failed + entry.data.failed } : sum), { ok: 0, failed: 0 });
    }
    if (this.replicas) {
      snapshot.ready = this.replicas.ready;
      snapshot.desired = this.replicas.desired;
    }
    return snapshot;
  }

  private faults(now: number): LiveFault[] {
    const faults = new Map<string, LiveFault>();
    const key = (data: { fault: number; repetition: number }) => `${data.fault}.${data.repetition}`;
    for (const entry of this.entries) {
      if (entry.kind === 'fault-started') faults.set(key(entry.data), { name: entry.data.name, subjects: entry.data.subjects, at: entry.t, state: 'injecting' });
      const fault = 'data' in entry && typeof entry.data === 'object' && entry.data !== null && 'fault' in entry.data ? faults.get(key(entry.data as { fault: number; repetition: number })) : undefined;
      if (!fault) continue;
      if (entry.kind === 'fault-injected') fault.state = 'in effect';
      if (entry.kind === 'fault-failed') fault.state = 'failed';
      if (entry.kind === 'fault-rollback-started') fault.state = 'rolling back';
      if (entry.kind === 'fault-rolled-back') fault.state = entry.data.ok ? 'rolled back' : 'rollback failed';
    }
    // The recovery-time assertion's own rule, over the part of the timeline that can no longer change.
    const complete = now - this.options.probeTimeoutMs - RECORDING_MARGIN_MS;
    const settled = this.entries.filter((entry) => entry.t <= complete);
    const recovered = recoveryTimes(settled, this.options.settleMs, undefined, complete);
    const list = [...faults.values()];
    for (const time of recovered) {
      const fault = list.find((candidate) => candidate.at === time.t && candidate.name === time.name);
      if (fault && time.ms !== null) fault.recoveredAfterMs = time.ms;
    }
    return list;
  }
}
