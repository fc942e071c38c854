import type { RunReport } from '../../../src/experiments/run-result.js';

/** A hand-made report with fixed times, for reporter snapshots. */
export function reportFixture(): RunReport {
  return {
    tool: { name: 'rebound', version: '0.0.0-test' },
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 12_000,
    runs: [
      {
        experiment: { name: 'crash <&> "quotes"', file: 'x.yaml' },
        target: 'docker',
        iteration: 1,
        startedAt: '2026-01-01T00:00:00.000Z',
        wallClockAtZero: 1_767_225_600_000,
        durationMs: 12_000,
        plan: { target: 'docker', targetDescription: 'Docker 20.10 (test)', desired: 1, instances: [], hosts: [], faults: [], durationMs: 12_000, settleMs: 2000, warnings: [] },
        timeline: [
          { t: 0, source: 'runner', kind: 'run-started', data: { wallClockAtZero: 1_767_225_600_000, experiment: 'x', target: 'docker', iteration: 1 } },
          { t: 3000, source: 'fault', kind: 'fault-injected', data: { fault: 0, repetition: 0, name: 'kill', subjects: ['web-1'], note: 'docker kill is a manual stop' } },
          { t: 3004, source: 'target', kind: 'instance-event', subject: 'web-1', engineTime: 1_767_225_603_001, data: { action: 'die' } },
        ],
        verdicts: [
          { name: 'recoveryTime', passed: false, measured: null, unit: 'ms', threshold: '<= 5.00 s', explanation: 'not recovered | \u0001 ]]> 💥' },
          { name: 'traffic', passed: true, measured: 0.995, unit: 'ratio', threshold: 'success >= 99%', explanation: 'fine' },
        ],
        outcome: 'failed',
        rollbacks: [{ fault: 0, repetition: 0, name: 'kill', ok: true, action: 'started web-1 again' }],
      },
    ],
  };
}
