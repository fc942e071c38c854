import type { TrafficSources } from './traffic.js';
import { LoadGenerator } from './load-generator.js';
import { TrafficProbe } from './traffic-probe.js';

/** The probe and load generator the runner uses (src/probes/traffic.ts). */
export const trafficSources: TrafficSources = {
  startProbe: (options, writer) => new TrafficProbe(options, writer).start(),
  startLoad: ({ url, spec }, writer) => new LoadGenerator(url, spec, writer).start(),
};
