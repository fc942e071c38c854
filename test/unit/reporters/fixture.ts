import type { RunReport, RunResult } from '../../../src/run/run-result.js';
import type { TimelineEntry } from '../../../src/timeline/timeline.js';

// Hand-made reports for reporter snapshots. Everything that changes between real runs (times,
// container hostnames, versions) is fixed here, so the snapshots are identical on every machine.
export const WALL_CLOCK_AT_ZERO = Date.parse('2026-01-01T00:00:00.000Z');
/** An explanation with everything a report format can choke on. */
export const NASTY = 'not recovered | stayed down \u0001\u001b[31m ]]> <script>alert(1)</script> & "quotes" 💥';

function requests(from: number, to: number, failing: (t: number) => boolean): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (let t = from; t < to; t += 250) {
    const ok = !failing(t);
    entries.push({ t, source: 'probe', kind: 'request', data: ok ? { ms: 4, ok, status: 200, instance: 'web-1' } : { ms: 1, ok, error: 'ECONNREFUSED' } });
  }
  return entries;
}

function frame(experiment: string, target: 'docker' | 'kubernetes', iteration: number, body: TimelineEntry[], ended: 'completed' | 'error'): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    { t: 0, source: 'runner', kind: 'run-started', data: { wallClockAtZero: WALL_CLOCK_AT_ZERO, experiment, target, iteration } },
    { t: 0, source: 'runner', kind: 'phase', data: { phase: 'baseline' } },
    ...['web-1', 'web-2', 'web-3'].map((name): TimelineEntry => ({ t: 0, source: 'target', kind: 'instance-seen', subject: name, data: { id: name, name, restartPolicy: 'always', hasHealthcheck: true, running: true, ready: true } })),
    { t: 0, source: 'target', kind: 'replicas', data: { desired: 3, ready: 3, running: 3 } },
    ...body,
    { t: 10_000, source: 'runner', kind: 'phase', data: { phase: 'rollback' } },
    { t: 12_000, source: 'runner', kind: 'run-ended', data: { outcome: ended } },
  ];
  return entries.sort((a, b) => a.t - b.t);
}

function run(fields: Pick<RunResult, 'experiment' | 'target' | 'iteration' | 'timeline' | 'verdicts' | 'outcome' | 'rollbacks'> & Partial<RunResult>): RunResult {
  return {
    startedAt: new Date(WALL_CLOCK_AT_ZERO).toISOString(),
    wallClockAtZero: WALL_CLOCK_AT_ZERO,
    durationMs: 12_000,
    plan: { target: fields.target, targetDescription: fields.target === 'docker' ? 'Docker 20.10.24 (unix:///var/run/docker.sock)' : 'kind-rebound (Kubernetes v1.34.0)', desired: 3, instances: [], hosts: [], faults: [], durationMs: 12_000, settleMs: 2000, warnings: [] },
    ...fields,
  };
}

const crashRecovered = run({
  experiment: { name: 'web-survives-a-crash', file: 'experiments/docker/crash.yaml' },
  target: 'docker',
  iteration: 1,
  timeline: frame('web-survives-a-crash', 'docker', 1, [
    ...requests(0, 10_000, (t) => t >= 3000 && t < 3500),
    { t: 3000, source: 'runner', kind: 'phase', data: { phase: 'chaos' } },
    { t: 3000, source: 'fault', kind: 'fault-injected', data: { fault: 0, repetition: 0, name: 'crash', subjects: ['web-2'], note: "SIGKILL of the main process: Docker's restart policy (always) starts it again" } },
    { t: 3004.2, source: 'target', kind: 'instance-event', subject: 'web-2', engineTime: WALL_CLOCK_AT_ZERO + 3001.1, data: { action: 'die', exitCode: 137 } },
    { t: 3010, source: 'target', kind: 'replicas', data: { desired: 3, ready: 2, running: 2 } },
    { t: 3900, source: 'target', kind: 'instance-event', subject: 'web-2', engineTime: WALL_CLOCK_AT_ZERO + 3895.4, data: { action: 'start' } },
    { t: 4500, source: 'target', kind: 'replicas', data: { desired: 3, ready: 3, running: 3 } },
  ], 'completed'),
  verdicts: [
    { name: 'recoveryTime', passed: true, measured: 1500, unit: 'ms', threshold: '<= 15.00 s', explanation: 'recovered 1.50 s after crash (limit 15.00 s)' },
    { name: 'replicas', passed: true, measured: 2, unit: 'count', threshold: 'min ready >= 2', explanation: 'ready replicas went down to 2 of 3 and were back to 3 after 1.50 s' },
    { name: 'traffic', passed: true, measured: 26 / 28, unit: 'ratio', threshold: 'success >= 90%', explanation: '26/28 ok (92.86 %), longest outage 504 ms' },
  ],
  outcome: 'passed',
  rollbacks: [{ fault: 0, repetition: 0, name: 'crash', ok: true, action: 'nothing to undo: the restart policy restarted web-2' }],
});

const killNotRecovered = run({
  experiment: { name: 'web-survives-a-crash', file: 'experiments/docker/crash.yaml' },
  target: 'docker',
  iteration: 2,
  timeline: frame('web-survives-a-crash', 'docker', 2, [
    ...requests(0, 10_000, (t) => t === 3000),
    { t: 3000, source: 'runner', kind: 'phase', data: { phase: 'chaos' } },
    { t: 2988, source: 'fault', kind: 'fault-started', data: { fault: 0, repetition: 0, name: 'kill', subjects: ['web-1'] } },
    { t: 3000, source: 'fault', kind: 'fault-injected', data: { fault: 0, repetition: 0, name: 'kill', subjects: ['web-1'], note: 'docker kill is a manual stop: the restart policy does not apply, web-1 stays down', startedAt: 2988 } },
    { t: 3003, source: 'target', kind: 'instance-event', subject: 'web-1', engineTime: WALL_CLOCK_AT_ZERO + 3000.4, data: { action: 'die', exitCode: 137 } },
    { t: 3008, source: 'target', kind: 'replicas', data: { desired: 3, ready: 2, running: 2 } },
  ], 'completed'),
  verdicts: [
    { name: 'recoveryTime', passed: false, measured: null, unit: 'ms', threshold: '<= 15.00 s', explanation: NASTY },
    { name: 'replicas', passed: false, measured: 2, unit: 'count', threshold: 'final ready == 3', explanation: 'ready replicas 2 of 3 at the end' },
    { name: 'traffic', passed: true, measured: 27 / 28, unit: 'ratio', threshold: 'success >= 95%', explanation: '27/28 ok (96.43 %), longest outage 254 ms' },
  ],
  outcome: 'failed',
  rollbacks: [{ fault: 0, repetition: 0, name: 'kill', ok: true, action: 'started web-1 again' }],
});

const drainErrored = run({
  experiment: { name: 'web-survives-a-drain', file: 'experiments/kubernetes/drain.yaml' },
  target: 'kubernetes',
  iteration: 1,
  durationMs: 8_250,
  timeline: frame('web-survives-a-drain', 'kubernetes', 1, [
    { t: 2000, source: 'runner', kind: 'phase', data: { phase: 'chaos' } },
    { t: 2000, source: 'fault', kind: 'fault-failed', data: { fault: 0, repetition: 0, name: 'drain-node', error: 'eviction of web-7c9f-abcde refused: PodDisruptionBudget web allows 0 disruptions' } },
    { t: 2100, source: 'target', kind: 'instance-event', subject: 'web-7c9f-abcde', engineTime: WALL_CLOCK_AT_ZERO + 2000, data: { action: 'event', reason: 'Killing' } },
    { t: 2500, source: 'guard', kind: 'guard', data: { name: 'maxUnavailable', violated: true, detail: '2 of 3 pods unready for longer than 5.00 s' } },
  ], 'error'),
  verdicts: [{ name: 'recoveryTime', passed: false, measured: null, unit: 'ms', threshold: '<= 30.00 s', explanation: 'no fault was injected, so there is nothing to recover from (see fault-failed entries)' }],
  outcome: 'error',
  reason: 'lost the API server at https://127.0.0.1:6443: connect ECONNREFUSED',
  rollbacks: [{ fault: 0, repetition: 0, name: 'drain-node', ok: false, action: 'uncordon rebound-worker', error: 'connect ECONNREFUSED 127.0.0.1:6443' }],
});
drainErrored.plan.warnings.push('only 1 node is schedulable: drain-node leaves nowhere to reschedule');

/** Three runs: a docker crash that recovered, a docker kill that did not, a kubernetes drain that errored. */
export function reportFixture(): RunReport {
  return structuredClone({
    tool: { name: 'rebound', version: '0.0.0-test' },
    startedAt: new Date(WALL_CLOCK_AT_ZERO).toISOString(),
    durationMs: 32_250,
    runs: [crashRecovered, killNotRecovered, drainErrored],
  } satisfies RunReport);
}

/** A report with one passing run, for tests of the simplest case. */
export function singleRunFixture(): RunReport {
  const report = reportFixture();
  return { ...report, durationMs: 12_000, runs: [report.runs[0]!] };
}
