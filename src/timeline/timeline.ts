// The timeline: everything a run observed, in order, on one monotonic clock. Assertions and
// reporters read nothing else. Entries are raw observations; verdicts are computed from them.

/** Who wrote an entry. `human` is for game-day notes. */
export type TimelineSource = 'runner' | 'target' | 'probe' | 'load' | 'fault' | 'guard' | 'human';

interface EntryBase {
  /** ms since run start (monotonic clock). For a request: when it was sent. */
  t: number;
  source: TimelineSource;
  /** Container, pod or node name the entry is about, if any. */
  subject?: string;
  /**
   * The engine's own timestamp for the same happening, epoch ms (fractional): Docker event
   * `timeNano`, Kubernetes condition `lastTransitionTime` (1 s precision), event times, ...
   * Kept beside `t` so detection lag can be reported.
   */
  engineTime?: number;
}

/** Run phases, in order. `baseline` is steady state before the first fault. */
export type RunPhase = 'setup' | 'baseline' | 'chaos' | 'recovery' | 'rollback' | 'done';

export interface RunStartedEntry extends EntryBase {
  kind: 'run-started';
  data: { wallClockAtZero: number; experiment: string; target: string; iteration: number };
}
export interface PhaseEntry extends EntryBase {
  kind: 'phase';
  data: { phase: RunPhase };
}
export interface RunEndedEntry extends EntryBase {
  kind: 'run-ended';
  data: { outcome: 'completed' | 'aborted' | 'interrupted' | 'error'; reason?: string };
}

/** An instance (container / pod) as discovered when the run starts or when it appears. */
export interface InstanceSeenEntry extends EntryBase {
  kind: 'instance-seen';
  data: {
    id: string;
    name: string;
    host?: string;
    /** Docker restart policy ("no", "always", "on-failure", "unless-stopped"); Kubernetes: the pod's. */
    restartPolicy?: string;
    /** Docker on-failure: how many restarts the policy allows (0: no limit). */
    maximumRetryCount?: number;
    /** Restarts the engine counted before the run started (Docker RestartCount, the container's restartCount). */
    restartCount?: number;
    hasHealthcheck: boolean;
    running: boolean;
    ready: boolean;
  };
}

/** One lifecycle happening of an instance, straight from the engine (Docker event, pod watch). */
export interface InstanceEventEntry extends EntryBase {
  kind: 'instance-event';
  data: {
    /** die, start, stop, kill, pause, unpause, destroy, create, restart, health, ready, unready, deleted, scheduled; Docker also oom; Kubernetes also terminating, failed, completed, event, back-off, exit-reason (the reason of an exit already reported changed: Error → OOMKilled) */
    action: string;
    id?: string;
    exitCode?: number;
    /** For health: healthy | unhealthy | starting. */
    health?: string;
    /** Kubernetes: the container's restartCount after this event. */
    restartCount?: number;
    node?: string;
    /** Kubernetes: which container of the pod (die, start, restart). */
    container?: string;
    /** Kubernetes: the Event's or container state's reason (action "event": Killing, Scheduled, ...). */
    reason?: string;
    /** Kubernetes: the Event's message (action "event"). */
    message?: string;
    /** Kubernetes: the kind of object an Event is about (Pod, ReplicaSet, Deployment). */
    objectKind?: string;
  };
}

/** Desired vs ready replicas of the system under test, written whenever either changes. */
export interface ReplicasEntry extends EntryBase {
  kind: 'replicas';
  data: { desired: number; ready: number; running: number };
}

/** A node (Kubernetes) or host (Docker) condition change. */
export interface NodeEntry extends EntryBase {
  kind: 'node';
  data: { ready: boolean; schedulable: boolean; reason?: string };
}

/**
 * A rollout as the engine reports it (Kubernetes: a Deployment's status, conditions and
 * ReplicaSets), written whenever any of it changes. `engineTime`: the Progressing condition's
 * lastUpdateTime when its reason changed (1 s precision).
 */
export interface RolloutEntry extends EntryBase {
  kind: 'rollout';
  data: {
    /** e.g. "Deployment/web". */
    owner: string;
    /** deployment.kubernetes.io/revision: goes up with every new pod template (a rollback too). */
    revision?: number;
    /** The controller has seen the latest spec (status.observedGeneration >= metadata.generation). */
    observed: boolean;
    desired: number;
    /** Pods of the current template, pods in all, available pods (status.updatedReplicas, replicas, availableReplicas). */
    updated: number;
    total: number;
    available: number;
    /** Every pod runs the current template and is available, nothing else runs: `kubectl rollout status`'s "successfully rolled out". */
    complete: boolean;
    /** The Progressing condition: status True/False, reason NewReplicaSetCreated, ReplicaSetUpdated, NewReplicaSetAvailable, ProgressDeadlineExceeded … */
    progressing?: { status: string; reason?: string; message?: string };
    /** The Available condition's status (minimum availability reached). */
    availableCondition?: string;
    /** The Deployment's ReplicaSets that have or want pods, newest revision first; `current` is the one of the current template. */
    replicaSets: { name: string; revision?: number; replicas: number; ready: number; current: boolean }[];
  };
}

/** A fact about the target the verdicts need to explain themselves (e.g. eviction delays). */
export interface TargetFactEntry extends EntryBase {
  kind: 'target-fact';
  data: { key: string; value: string | number | boolean; explanation?: string };
}

/**
 * Facts about a fault that the verdicts need to explain themselves, as fields: assertions read
 * these, never the note's text.
 */
export interface FaultFacts {
  /** Docker: whether the container's restart policy can bring the subjects back after this fault, and why. */
  restartPolicy?: { applies: boolean; reason: string };
  /** Why the subjects stay down until someone acts, when nothing in the engine brings them back. */
  staysDown?: string;
  /** Recovery waits for the cluster's node-failure timers (the target-fact entries state them). */
  waitsForNodeEviction?: boolean;
  /** A rollout: how the engine replaces the instances, in words, and whether it watches a deadline (Kubernetes progressDeadlineSeconds). */
  rollout?: { strategy: string; progressDeadlineMs?: number };
  /** A network fault: how it was made, what the traffic shows meanwhile, the exact rules per instance. */
  network?: NetworkFaultFacts;
}

export interface NetworkFaultFacts {
  /** e.g. "iptables chain REBOUND-rb12…-in (filter INPUT): DROP, loopback exempt". */
  mechanism: string;
  /** What requests see while it lasts, in words the verdicts repeat (TCP retransmits turn loss into latency). */
  effect: string;
  /** Per instance (container / pod, or node): the helper that holds it and the script it applied. */
  applied: { subject: string; helper: string; script: string }[];
  /** Toxiproxy's settings when the fault goes through it. */
  proxy?: { api: string; routes: { port: number; listen: string; upstream: string }[]; toxics: { type: string; stream?: string; toxicity?: number; attributes: Record<string, number> }[] };
  /** The helpers remove it by themselves this long after it was applied (rebound's rollback may come first). */
  endsAfterMs: number;
}

interface FaultRef {
  /** Index of the fault in the experiment, and of its repetition. */
  fault: number;
  repetition: number;
  name: string;
}

/** The injection starts: the first instant the fault can have had an effect. Recovery is measured from here. */
export interface FaultStartedEntry extends EntryBase {
  kind: 'fault-started';
  data: FaultRef & { subjects: string[] };
}

/** The injection completed (`t`): the fault is in effect. */
export interface FaultInjectedEntry extends EntryBase {
  kind: 'fault-injected';
  data: FaultRef & {
    /** Names of the instances / nodes it touched. */
    subjects: string[];
    /** What the engine will do about it, e.g. "docker kill is a manual stop: no restart". */
    note?: string;
    facts?: FaultFacts;
    /** t of the matching fault-started entry (absent in reports of rebound 0.1: the injection's end was all it kept). */
    startedAt?: number;
    /** The injection stopped half-way after changing the system (a drain that gave up): why. The fault is in effect all the same. */
    incomplete?: string;
  };
}
export interface FaultRollbackStartedEntry extends EntryBase {
  kind: 'fault-rollback-started';
  data: FaultRef;
}
export interface FaultRolledBackEntry extends EntryBase {
  kind: 'fault-rolled-back';
  data: FaultRef & { ok: boolean; error?: string; action?: string; startedAt?: number };
}
export interface FaultFailedEntry extends EntryBase {
  kind: 'fault-failed';
  data: FaultRef & { error: string; startedAt?: number };
}

/** One traffic-probe request: `t` = sent, `ms` = until answered or failed. */
export interface RequestEntry extends EntryBase {
  kind: 'request';
  data: {
    ms: number;
    ok: boolean;
    status?: number;
    /** ECONNREFUSED, ECONNRESET, timeout, ... */
    error?: string;
    /** Which instance answered (from the demo app's body / X-Instance header). */
    instance?: string;
    /** The version that answered (X-Version header, or "version <v>" in the body). */
    version?: string;
    /** Two-tier app: web and the api it called ran on different nodes (X-Crossed-Nodes); absent when not said. */
    crossedNodes?: boolean;
  };
}

/** Load generator counters for one bucket [t, t + bucketMs). */
export interface LoadBucketEntry extends EntryBase {
  kind: 'load-bucket';
  data: {
    bucketMs: number;
    sent: number;
    ok: number;
    failed: number;
    /** Latency of answered requests in this bucket, from when each was due (HdrHistogram percentiles). */
    latencyMs: { p50: number; p95: number; p99: number; max: number };
    /**
     * The same latencies as an HDR histogram (µs, 3 significant digits, compressed base64; see
     * src/stats/latency-histogram.ts), so buckets merge; absent when nothing was answered, and in
     * reports written before it existed.
     */
    histogram?: string;
    /** Requests answered per instance id. */
    byInstance: Record<string, number>;
    /** Requests answered per version (X-Version); absent when no answer named one. */
    byVersion?: Record<string, number>;
    /** Two-tier app: answers whose tiers ran on different nodes / on the same node (X-Crossed-Nodes); absent when no answer said. */
    crossedNodes?: { crossed: number; same: number };
    /** Target rate (req/s) the profile asked for during this bucket. */
    targetRate: number;
  };
}

/**
 * A HorizontalPodAutoscaler's status, written whenever it changes: what it wants (desired), what it
 * has (current), the metric it reads, and its conditions. `subject` is its name.
 */
export interface AutoscalerEntry extends EntryBase {
  kind: 'autoscaler';
  data: {
    /** status.desiredReplicas: 0 while the controller cannot compute one (ScalingActive False, e.g. no metrics yet). */
    desired: number;
    current: number;
    min: number;
    max: number;
    /** Average CPU use as a share of the request, %, as the autoscaler last read it (absent until metrics arrive). */
    cpuPercent?: number;
    /** The target share, %. */
    targetCpuPercent?: number;
    /** Epoch ms of the autoscaler's last scale (status.lastScaleTime, 1 s precision). */
    lastScaleTime?: number;
    /** AbleToScale, ScalingActive, ScalingLimited: status True/False/Unknown and the controller's reason. */
    conditions: Record<string, { status: string; reason?: string; message?: string }>;
  };
}

/** Which node holds which of the system's pods, as the Kubernetes observer found them when it started. */
export interface PlacementEntry extends EntryBase {
  kind: 'placement';
  data: {
    /** Node name → the system's pods on it (names, sorted). */
    nodes: Record<string, string[]>;
    /** Pods not bound to a node yet (Pending). */
    unscheduled: string[];
  };
}

/**
 * One worker (pod) of a cluster load (load.in: cluster), at the end of the load: what it sent
 * against its share of the schedule. A missing or slow worker is reported here, not averaged away
 * in the merged `load-bucket` entries.
 */
export interface LoadWorkerEntry extends EntryBase {
  kind: 'load-worker';
  data: {
    /** Worker index (the Indexed Job's completion index) and how many there were. */
    worker: number;
    of: number;
    pod?: string;
    node?: string;
    /** Requests its share of the schedule asked for while the load ran, and what it sent (its buckets). */
    expected: number;
    sent: number;
    ok: number;
    failed: number;
    /** Due but not sent: every connection of the worker was busy. */
    dropped?: number;
    /** Due before its pod started (after the common start instant): never sent. */
    skipped?: number;
    /** How late it began its share after the common start instant, ms. */
    startLagMs?: number;
    /** ok: sent at least 95 % of its share; slow: less; missing: nothing came from it. */
    status: 'ok' | 'slow' | 'missing';
    /** Why, in words (the pod's fate, its start lag, lost log lines). */
    detail?: string;
  };
}

/**
 * One instance's cgroup, sampled (every 500 ms) while the run has a resource fault: CPU used and
 * throttled, memory used, the limits in force. The counters are cumulative since the container's
 * cgroup was made, so they start again from 0 when the container restarts; `subject` is the instance.
 */
export interface ResourceSampleEntry extends EntryBase {
  kind: 'resource-sample';
  data: {
    cpuUsageMs: number;
    /** CFS bandwidth periods so far, and in how many of them the cgroup was throttled (cpu.stat). */
    periods: number;
    throttledPeriods: number;
    throttledMs: number;
    memoryBytes: number;
    /** Absent: no limit. */
    memoryLimitBytes?: number;
    cpuLimitMillicores?: number;
  };
}

export interface GuardEntry extends EntryBase {
  kind: 'guard';
  data: { name: string; violated: boolean; detail: string };
}

export interface NoteEntry extends EntryBase {
  kind: 'note';
  /** A game-day note (source `human`): `actionItem` when it was typed with a leading `!`. */
  data: { text: string; actionItem?: boolean };
}

export type TimelineEntry =
  | RunStartedEntry
  | PhaseEntry
  | RunEndedEntry
  | InstanceSeenEntry
  | InstanceEventEntry
  | ReplicasEntry
  | NodeEntry
  | TargetFactEntry
  | RolloutEntry
  | FaultStartedEntry
  | FaultInjectedEntry
  | FaultRollbackStartedEntry
  | FaultRolledBackEntry
  | FaultFailedEntry
  | RequestEntry
  | LoadBucketEntry
  | AutoscalerEntry
  | PlacementEntry
  | LoadWorkerEntry
  | ResourceSampleEntry
  | GuardEntry
  | NoteEntry;

export type TimelineKind = TimelineEntry['kind'];
export type EntryOf<K extends TimelineKind> = Extract<TimelineEntry, { kind: K }>;

/** Something that accepts timeline entries while a run goes on (targets, probes, faults). */
export interface TimelineWriter {
  /** Monotonic ms since run start, to stamp entries with. */
  now(): number;
  /** Epoch ms → t. */
  fromWallClock(epochMs: number): number;
  add(entry: TimelineEntry): void;
}

/** Append-only list of entries, kept in `t` order, with listeners for live progress. */
export class Timeline implements TimelineWriter {
  readonly entries: TimelineEntry[] = [];
  private readonly listeners = new Set<(entry: TimelineEntry) => void>();

  constructor(private readonly clock: { now(): number; fromWallClock(epochMs: number): number }) {}

  now(): number {
    return this.clock.now();
  }

  fromWallClock(epochMs: number): number {
    return this.clock.fromWallClock(epochMs);
  }

  add(entry: TimelineEntry): void {
    // Requests are recorded when they finish but stamped with when they were sent, so they can
    // arrive out of order: insert in place, scanning back from the end (almost always 0 steps).
    let index = this.entries.length;
    while (index > 0 && this.entries[index - 1]!.t > entry.t) index--;
    this.entries.splice(index, 0, entry);
    for (const listener of this.listeners) {
      try {
        listener(entry);
      } catch {
        // A listener (progress display) can never break a run.
      }
    }
  }

  onEntry(listener: (entry: TimelineEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Entries of one kind, in order. */
export function entriesOf<K extends TimelineKind>(entries: readonly TimelineEntry[], kind: K): EntryOf<K>[] {
  return entries.filter((entry): entry is EntryOf<K> => entry.kind === kind);
}
