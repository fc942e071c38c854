import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/run/run-result.js';
import { dockerAvailable } from './support/engines.js';
import { rebound, scratchDirectory, writeExperiment } from './support/rebound-cli.js';

// until: recovered on the real engine: a restart-always container is SIGKILLed and Docker restarts
// it in about a second; the run stops observing once the steady state held for the settle period,
// long before its 40 s duration. The same experiment without a restart policy never recovers and
// runs the whole (shorter) duration.
const wanted = await dockerAvailable();

function experiment(name: string, restartPolicy: 'always' | 'no', duration: string, hostPort: number) {
  return {
    apiVersion: 'rebound/v1',
    kind: 'Experiment',
    metadata: { name },
    deploy: { image: 'rebound/demo-app:v1', replicas: 1, restartPolicy, docker: { hostPort } },
    system: { selector: { app: name } },
    probe: { rate: '50/s', timeout: '1s' },
    duration,
    settle: '2s',
    until: 'recovered',
    faults: [{ crash: { count: 1 }, at: '1s' }],
    assertions: [{ recoveryTime: { max: '10s' } }],
  };
}

/** Runs it on Docker through the CLI; the exit code and the run from its JSON report. */
async function runOnDocker(name: string, restartPolicy: 'always' | 'no', duration: string, hostPort: number) {
  const directory = scratchDirectory();
  const suffix = Math.random().toString(16).slice(2, 8);
  const file = writeExperiment(directory, name, experiment(`${name}-${suffix}`, restartPolicy, duration, hostPort));
  const json = join(directory, 'run.json');
  const result = await rebound(['run', file, '--target', 'docker', '--reporter', `json=${json}`, '--state-dir', join(directory, 'state')]);
  return { result, run: (JSON.parse(readFileSync(json, 'utf8')) as { runs: RunResult[] }).runs[0]! };
}

describe.runIf(wanted)('until: recovered (Docker)', () => {
  it('ends the run once the crashed container is back and answered for the settle period; the verdict agrees', async () => {
    const { result, run } = await runOnDocker('early', 'always', '40s', 18951);
    expect(result.exitCode, result.all).toBe(0);
    const recovery = run.verdicts.find((verdict) => verdict.name === 'recoveryTime')!;
    expect(recovery.passed).toBe(true);
    // Fault at 1 s + recovery (~1–2 s) + settle 2 s + the probe timeout not yet trusted (1.25 s).
    expect(run.durationMs).toBeLessThan(12_000);
    expect(run.durationMs).toBeGreaterThan(1000 + recovery.measured! + 2000);
    expect(run.timeline.some((entry) => entry.kind === 'note' && String(entry.data.text).startsWith('until: recovered'))).toBe(true);
    console.info(`until: recovered — recovered after ${(recovery.measured! / 1000).toFixed(2)} s, run ended at ${(run.durationMs / 1000).toFixed(2)} s of 40 s`);
  });

  it('a run that never recovers observes its whole duration', async () => {
    const { result, run } = await runOnDocker('never', 'no', '6s', 18955);
    expect(result.exitCode, result.all).toBe(1);
    expect(run.verdicts[0]).toMatchObject({ name: 'recoveryTime', passed: false, measured: null });
    expect(run.durationMs).toBeGreaterThanOrEqual(6000);
  });
});
