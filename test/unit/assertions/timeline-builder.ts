import type { FaultFacts, TimelineEntry } from '../../../src/timeline/timeline.js';

/** Readable hand-made timelines for assertion tests. */
export class TimelineBuilder {
  readonly entries: TimelineEntry[] = [{ t: 0, source: 'runner', kind: 'run-started', data: { wallClockAtZero: 1_000_000, experiment: 'x', target: 'docker', iteration: 1 } }];

  phase(t: number, phase: 'baseline' | 'chaos' | 'rollback' | 'done'): this {
    this.entries.push({ t, source: 'runner', kind: 'phase', data: { phase } });
    return this;
  }
  seen(name: string, restartPolicy = 'always'): this {
    this.entries.push({ t: 0, source: 'target', kind: 'instance-seen', subject: name, data: { id: name, name, restartPolicy, hasHealthcheck: true, running: true, ready: true } });
    return this;
  }
  replicas(t: number, ready: number, desired = 1): this {
    this.entries.push({ t, source: 'target', kind: 'replicas', data: { desired, ready, running: ready } });
    return this;
  }
  /** A fault injected at t; with `startedAt`, its injection started earlier (a report of rebound 0.1 has none). */
  fault(t: number, name: string, subjects: string[], note?: string, more: { facts?: FaultFacts; startedAt?: number } = {}): this {
    this.entries.push({ t, source: 'fault', kind: 'fault-injected', data: { fault: 0, repetition: 0, name, subjects, ...(note && { note }), ...more } });
    return this;
  }
  event(t: number, subject: string, action: string, engineTime?: number): this {
    this.entries.push({ t, source: 'target', kind: 'instance-event', subject, ...(engineTime !== undefined && { engineTime }), data: { action } });
    return this;
  }
  /** Probe requests every `every` ms in [from, to): ok with latency `ms`, or failing. */
  requests(from: number, to: number, every: number, ok: boolean, ms = 5): this {
    for (let t = from; t < to; t += every) this.entries.push({ t, source: 'probe', kind: 'request', data: { ms, ok, ...(ok ? { status: 200 } : { error: 'ECONNREFUSED' }) } });
    return this;
  }
  request(t: number, ok: boolean, ms: number): this {
    this.entries.push({ t, source: 'probe', kind: 'request', data: { ms, ok } });
    return this;
  }
  build(): TimelineEntry[] {
    return [...this.entries].sort((a, b) => a.t - b.t);
  }
}
