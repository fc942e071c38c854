import type { LoadSpec } from '../experiments/schema.js';
import type { TimelineWriter } from '../timeline/timeline.js';

// What the runner needs from src/probes: start a probe or a load and stop it. The runner depends
// on this small interface so the load can later run elsewhere (Kubernetes Jobs) unchanged.
export interface RunningTraffic {
  /** Stops sending, waits for in-flight requests to be recorded. */
  stop(): Promise<void>;
}

/** A load to send: where, what, and (the cluster load) when and not from where. */
export interface LoadRequest {
  url: string;
  spec: LoadSpec;
  /** When the load starts, ms of the run clock (default: at once): a cluster load's pods need time to start. */
  startAtMs?: number;
  /** Nodes the load must not run on (load.avoidFaultedNodes: the nodes of node faults). */
  avoidNodes?: string[];
}

export interface TrafficSources {
  startProbe(
    options: { url: string; rate: number; timeoutMs: number; durationMs: number; keepAlive?: boolean },
    writer: TimelineWriter,
  ): RunningTraffic;
  /** The local load generator, or (spec.in: cluster) the load as a Kubernetes Job; it stops by itself. */
  startLoad(options: LoadRequest, writer: TimelineWriter): RunningTraffic;
}
