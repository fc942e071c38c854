import type { LoadSpec } from '../experiments/schema.js';
import type { TimelineWriter } from '../timeline/timeline.js';

// What the runner needs from src/probes: start a probe or a load and stop it. The runner depends
// on this small interface so the load can later run elsewhere (Kubernetes Jobs) unchanged.
export interface RunningTraffic {
  /** Stops sending, waits for in-flight requests to be recorded. */
  stop(): Promise<void>;
}

export interface TrafficSources {
  startProbe(
    options: { url: string; rate: number; timeoutMs: number; durationMs: number; keepAlive?: boolean },
    writer: TimelineWriter,
  ): RunningTraffic;
  startLoad(options: { url: string; spec: LoadSpec }, writer: TimelineWriter): RunningTraffic;
}
