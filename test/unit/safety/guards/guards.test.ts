import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../../../src/experiments/load-experiment.js';
import { httpGuard } from '../../../../src/safety/guards/http-guard.js';
import { replicaFloorGuard } from '../../../../src/safety/guards/replica-floor-guard.js';
import { TimelineBuilder } from '../../assertions/timeline-builder.js';

const http = (successRate: string, window: string) => httpGuard.params.parse({ successRate, window });
const floor = (min: number, grace: string) => replicaFloorGuard.params.parse({ min, for: grace });

describe('http guard', () => {
  // 20 requests/s answered in 5 ms, failing from 5 s on (a stopped container: refused at once).
  const entries = new TimelineBuilder().phase(0, 'baseline').requests(0, 5000, 50, true).phase(5000, 'chaos').requests(5000, 10_000, 50, false).build();

  it('holds while the window is mostly successes', () => {
    expect(httpGuard.evaluate(entries, { now: 5500, armedAt: 5000 }, http('>= 50%', '2s'))).toMatchObject({ violated: false });
  });

  it('trips once the failures make up the window: after about half of it at >= 50 %', () => {
    const params = http('>= 50%', '2s');
    expect(httpGuard.evaluate(entries, { now: 5990, armedAt: 5000 }, params).violated).toBe(false);
    const state = httpGuard.evaluate(entries, { now: 6100, armedAt: 5000 }, params);
    expect(state.violated).toBe(true);
    expect(state.detail).toBe('45.0 % of the probe requests of the last 2.00 s answered (18 of 40), needs >= 50%');
  });

  it('counts a request only once it has finished: a hanging one is not known yet', () => {
    // Paused: each request fails after its 1 s timeout, so at 5.5 s none of the failures is in.
    const paused = new TimelineBuilder().requests(0, 5000, 50, true);
    for (let t = 5000; t < 8000; t += 50) paused.request(t, false, 1000);
    const built = paused.build();
    const params = http('>= 90%', '2s');
    expect(httpGuard.evaluate(built, { now: 5500, armedAt: 5000 }, params).violated).toBe(false);
    expect(httpGuard.evaluate(built, { now: 6600, armedAt: 5000 }, params).violated).toBe(true);
  });

  it('is not violated when no request of the window has finished', () => {
    expect(httpGuard.evaluate(new TimelineBuilder().build(), { now: 3000, armedAt: 1000 }, http('>= 99%', '1s'))).toEqual({ violated: false, detail: 'no probe request of the last 1.00 s has finished yet' });
  });
});

describe('replicas guard', () => {
  const entries = new TimelineBuilder().replicas(0, 3, 3).phase(2000, 'chaos').replicas(2010, 1, 3).replicas(2500, 0, 3).replicas(9000, 3, 3).build();

  it('trips when ready replicas stay below the floor for the grace time', () => {
    const params = floor(2, '5s');
    expect(replicaFloorGuard.evaluate(entries, { now: 6000, armedAt: 2000 }, params)).toMatchObject({ violated: false, detail: '0 of 3 replicas ready, below the floor of 2 for 3.99 s' });
    expect(replicaFloorGuard.evaluate(entries, { now: 7010, armedAt: 2000 }, params)).toEqual({ violated: true, detail: '0 of 3 replicas ready, below the floor of 2 for 5.00 s (grace 5.00 s)' });
  });

  it('a continuous stretch only: back above the floor resets it', () => {
    const flapping = new TimelineBuilder().replicas(0, 3, 3).replicas(1000, 1, 3).replicas(3000, 3, 3).replicas(4000, 1, 3).build();
    expect(replicaFloorGuard.evaluate(flapping, { now: 6500, armedAt: 0 }, floor(2, '3s')).violated).toBe(false);
    expect(replicaFloorGuard.evaluate(flapping, { now: 7000, armedAt: 0 }, floor(2, '3s')).violated).toBe(true);
  });

  it('does not count time below the floor before it was armed', () => {
    const early = new TimelineBuilder().replicas(0, 0, 1).build();
    expect(replicaFloorGuard.evaluate(early, { now: 10_000, armedAt: 8000 }, floor(1, '5s')).violated).toBe(false);
    expect(replicaFloorGuard.evaluate(early, { now: 13_000, armedAt: 8000 }, floor(1, '5s')).violated).toBe(true);
  });

  it('holds at the floor and with nothing observed yet', () => {
    expect(replicaFloorGuard.evaluate(entries, { now: 1000, armedAt: 0 }, floor(3, '0s'))).toEqual({ violated: false, detail: '3 of 3 replicas ready, floor 3' });
    expect(replicaFloorGuard.evaluate(new TimelineBuilder().build(), { now: 1000, armedAt: 0 }, floor(1, '0s'))).toEqual({ violated: false, detail: 'no replica count observed yet' });
  });
});

describe('guards: in the experiment file', () => {
  const file = (guards: string) => `apiVersion: rebound/v1
kind: Experiment
metadata: { name: guarded }
system: { selector: { app: web }, url: http://127.0.0.1:8080/ }
faults: [{ stop: { count: 1 }, at: 2s }]
guards:
${guards}`;

  it('parses both kinds, with defaults', () => {
    const experiment = parseExperiment(file('  - http: { successRate: ">= 50%", window: 3s }\n  - replicas: { min: 1 }\n'));
    expect(experiment.guards).toEqual([
      { name: 'http', params: { successRate: { op: '>=', value: 0.5, unit: 'ratio', text: '>= 50%' }, window: 3000 } },
      { name: 'replicas', params: { min: 1, for: 5000 } },
    ]);
  });

  it('defaults to none', () => {
    expect(parseExperiment(file('  []\n')).guards).toEqual([]);
  });

  it('refuses two guards in one entry and unknown fields, with their place', () => {
    expect(() => parseExperiment(file('  - { http: { successRate: 50% }, replicas: { min: 1 } }\n'), 'g.yaml')).toThrow(/one guard per entry, found http and replicas/);
    expect(() => parseExperiment(file('  - replicas: { min: 1, fro: 5s }\n'), 'g.yaml')).toThrow(/g\.yaml:7:\d+.*fro/s);
  });
});
