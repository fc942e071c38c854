import { describe, expect, it } from 'vitest';
import { rollout } from '../../../src/assertions/rollout.js';
import { rolloutFigures } from '../../../src/assertions/rollout-figures.js';
import type { RolloutEntry, TimelineEntry } from '../../../src/timeline/timeline.js';
import { TimelineBuilder } from './timeline-builder.js';

const context = { settleMs: 2000 };
const params = (input: Record<string, unknown>) => rollout.params.parse(input);

/** A run on `target`: baseline from 0, probe requests answered by `version` every 100 ms in [from, to). */
class RolloutTimeline extends TimelineBuilder {
  constructor(target: 'docker' | 'kubernetes') {
    super();
    (this.entries[0] as Extract<TimelineEntry, { kind: 'run-started' }>).data.target = target;
    this.phase(0, 'baseline');
  }
  answers(from: number, to: number, version: string | null): this {
    for (let t = from; t < to; t += 100) this.entries.push({ t, source: 'probe', kind: 'request', data: version === null ? { ms: 1, ok: false, error: 'ECONNREFUSED' } : { ms: 5, ok: true, status: 200, version } });
    return this;
  }
  rolloutAt(startedAt: number, injectedAt: number): this {
    return this.fault(injectedAt, 'rollout', [], undefined, { startedAt });
  }
  engine(t: number, data: Partial<RolloutEntry['data']>): this {
    this.entries.push({ t, source: 'target', kind: 'rollout', subject: 'web', data: { owner: 'Deployment/web', observed: true, desired: 3, updated: 3, total: 3, available: 3, complete: false, replicaSets: [], ...data } });
    return this;
  }
  rollback(t: number, done: number): this {
    this.entries.push({ t, source: 'fault', kind: 'fault-rollback-started', data: { fault: 0, repetition: 0, name: 'rollout' } });
    this.entries.push({ t: done, source: 'fault', kind: 'fault-rolled-back', data: { fault: 0, repetition: 0, name: 'rollout', ok: true, startedAt: t } });
    return this;
  }
}

describe('rollout figures', () => {
  it('Kubernetes: complete when the Deployment says so at a newer revision; no failure, the old version answered until it was replaced', () => {
    const entries = new RolloutTimeline('kubernetes')
      .replicas(0, 3, 3)
      .engine(100, { revision: 1, complete: true, progressing: { status: 'True', reason: 'NewReplicaSetAvailable' } })
      .answers(0, 3000, 'v1').rolloutAt(2000, 2070)
      .engine(2080, { revision: 2, updated: 1, total: 4 })
      .answers(3000, 6000, 'v2')
      .engine(5300, { revision: 2, complete: true, progressing: { status: 'True', reason: 'NewReplicaSetAvailable' } })
      .phase(10_000, 'rollback').build();
    const [figures] = rolloutFigures(entries, 2000);
    expect(figures).toMatchObject({ completedMs: 3300, stalledMs: null, failed: 0, longestOutageMs: 0, previousVersions: ['v1'], previousShare: 10 / 40, rollbackAt: null, rolledBackMs: null });
    expect(rollout.evaluate(entries, params({ completes: '10s', maxFailed: 0 }), context)).toMatchObject({ passed: true, measured: 3300, unit: 'ms' });
  });

  it('Kubernetes, a broken release: stalled at ProgressDeadlineExceeded, the old version answers throughout, rolled back at once for the clients', () => {
    const entries = new RolloutTimeline('kubernetes')
      .replicas(0, 3, 3)
      .engine(100, { revision: 1, complete: true, progressing: { status: 'True', reason: 'NewReplicaSetAvailable' } })
      .answers(0, 16_000, 'v1').rolloutAt(2000, 2070)
      .engine(2100, { revision: 2, updated: 1, total: 4, progressing: { status: 'True', reason: 'ReplicaSetUpdated' } })
      .engine(10_700, { revision: 2, updated: 1, total: 4, progressing: { status: 'False', reason: 'ProgressDeadlineExceeded' } })
      .rollback(11_000, 11_400).phase(16_000, 'rollback').build();
    const [figures] = rolloutFigures(entries, 2000);
    expect(figures).toMatchObject({ completedMs: null, stalledMs: 8700, failed: 0, previousShare: 1, rollbackAt: 11_000, rolledBackMs: 0, undoMs: 400 });
    const verdict = rollout.evaluate(entries, params({ stalls: '12s', previousVersionShare: '>= 99%', maxFailed: 0, rolledBackWithin: '4s' }), context);
    expect(verdict).toMatchObject({ passed: true, measured: 8700 });
    expect(verdict.explanation).toBe('stalled (ProgressDeadlineExceeded) 8.70 s after it started; 0 failed requests, longest outage 0 ms; 100.0 % answered by v1; rolled back 0 ms after the rollback began');
  });

  it('Docker: replaced when the injection ends, complete once every container is ready again; the outage and failures in between', () => {
    const entries = new RolloutTimeline('docker')
      .replicas(0, 3, 3).answers(0, 2500, 'v1').rolloutAt(2000, 3800)
      .replicas(2600, 0, 3).answers(2500, 4200, null).replicas(4500, 3, 3).answers(4200, 12_000, 'v2')
      .phase(12_000, 'rollback').build();
    const [figures] = rolloutFigures(entries, 2000);
    expect(figures).toMatchObject({ completedMs: 2500, failed: 17, longestOutageMs: 1800, newShareAtEnd: 1 });
    const verdict = rollout.evaluate(entries, params({ completes: '10s', maxFailed: 0, maxOutage: '500ms' }), context);
    expect(verdict.passed).toBe(false);
    expect(verdict.explanation).toMatch(/^17 requests failed; longest outage 1\.80 s — complete 2\.50 s after it started/);
  });

  it('Docker, a broken release: never ready, nothing stalls — the stall check fails and says why; the rollback measured until v1 answers again', () => {
    const entries = new RolloutTimeline('docker')
      .replicas(0, 3, 3).answers(0, 2500, 'v1').rolloutAt(2000, 4700)
      .replicas(2600, 0, 3).answers(2500, 17_000, null).replicas(18_000, 3, 3).answers(17_000, 22_000, 'v1')
      .rollback(13_700, 16_500).phase(22_000, 'rollback').build();
    const [figures] = rolloutFigures(entries, 2000);
    expect(figures).toMatchObject({ completedMs: null, stalledMs: null, rollbackAt: 13_700, rolledBackMs: 4300 });
    expect(figures!.previousShare).toBeCloseTo(5 / 117, 5);
    const verdict = rollout.evaluate(entries, params({ stalls: '12s', previousVersionShare: '>= 99%' }), context);
    expect(verdict.passed).toBe(false);
    expect(verdict.explanation).toMatch(/^the engine never reported the rollout stalled; the previous version answered 4\.3 %/);
  });

  it('says so when no rollout was injected, and refuses parameters that check nothing', () => {
    const entries = new RolloutTimeline('docker').replicas(0, 3, 3).phase(5000, 'rollback').build();
    expect(rollout.evaluate(entries, params({ maxFailed: 0 }), context)).toMatchObject({ passed: false, measured: null, explanation: 'no rollout fault was injected (see fault-failed entries)' });
    expect(rollout.params.safeParse({ fault: 0 }).success).toBe(false);
  });
});
