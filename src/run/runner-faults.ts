import type { FaultParams, RollbackOutcome, RunnerDriven } from '../faults/index.js';
import type { RunningTraffic, TrafficSources } from '../probes/traffic.js';
import type { TimelineWriter } from '../timeline/timeline.js';

/** What a runner-driven fault needs: the traffic sources and where the load goes. */
export interface RunnerFaultContext {
  traffic: TrafficSources;
  timeline: TimelineWriter;
  loadUrl: string | undefined;
  /** Traffic the run stops in its rollback phase, whatever else happens. */
  running: RunningTraffic[];
}

export interface RunnerFault<P> {
  /** The undo record journalled for it (the module's schema). */
  undo: { action: string };
  start(params: P, context: RunnerFaultContext): { note: string; stop(): Promise<RollbackOutcome> };
}

/** spike-load: extra load at `rate` for `duration` through the shared load generator, on loopback. */
const spikeLoad: RunnerFault<FaultParams<'spike-load'>> = {
  undo: { action: 'stop-load' },
  start(params, context) {
    if (context.loadUrl === undefined) throw new Error('spike-load needs system.url for this target');
    const load = context.traffic.startLoad(
      { url: context.loadUrl, spec: { profile: 'constant', rate: params.rate, duration: params.duration, connections: params.connections, timeout: 2000, ...(params.keepAlive !== undefined && { keepAlive: params.keepAlive }) } },
      context.timeline,
    );
    context.running.push(load);
    return {
      note: `extra load at ${params.rate}/s for ${params.duration} ms`,
      stop: async () => {
        await load.stop();
        return { ok: true, action: 'stopped the extra load' };
      },
    };
  },
};

/** The faults the runner drives itself, the same on every target (the catalog's drivenBy: 'runner'). */
export const runnerFaults = {
  'spike-load': spikeLoad,
} satisfies { [K in RunnerDriven]: RunnerFault<FaultParams<K>> };
