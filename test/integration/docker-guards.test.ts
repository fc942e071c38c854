import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { RunReport, RunResult } from '../../src/run/run-result.js';
import { readJournals } from '../../src/safety/journal.js';
import type { DemoContainers } from './support/demo-containers.js';
import { dockerAvailable } from './support/engines.js';
import { rebound, scratchDirectory, writeExperiment } from './support/rebound-cli.js';
import { useDemoContainers } from './support/use-demo-containers.js';

// Abort conditions on the real Docker engine: a guard violated past its grace stops the run early,
// rolls everything back and reports "aborted by guard" (exit 1).
const docker = new Docker();
const available = await dockerAvailable();
const demoContainers = useDemoContainers();

/** Runs a 60 s experiment that a guard is expected to cut short; its JSON report's only run. */
async function runGuarded(containers: DemoContainers, name: string, body: Record<string, unknown>): Promise<{ exitCode: number | undefined; all: string; run: RunResult; stateDir: string }> {
  const directory = scratchDirectory();
  const file = writeExperiment(directory, name, {
    apiVersion: 'rebound/v1',
    kind: 'Experiment',
    metadata: { name: `guard-${name}` },
    target: 'docker',
    system: { selector: { 'rebound.dev/test': containers.suffix }, url: `http://127.0.0.1:${containers.ports[0]}/` },
    probe: { rate: '50/s', timeout: '500ms' },
    duration: '60s',
    ...body,
  });
  const report = join(directory, 'report.json');
  const stateDir = join(directory, 'state');
  const result = await rebound(['run', file, '--reporter', 'console', '--reporter', `json=${report}`, '--state-dir', stateDir]);
  return { exitCode: result.exitCode, all: result.all, run: (JSON.parse(readFileSync(report, 'utf8')) as RunReport).runs[0]!, stateDir };
}

function guardLatency(run: RunResult): number {
  const injected = run.timeline.find((entry) => entry.kind === 'fault-injected');
  const tripped = run.timeline.find((entry) => entry.kind === 'guard' && entry.data.violated);
  expect(injected, 'a fault-injected entry').toBeDefined();
  expect(tripped, 'a tripped guard entry').toBeDefined();
  return tripped!.t - injected!.t;
}

describe.runIf(available)('guards on the real Docker engine', () => {
  it('http guard: the only probed container stopped → aborted within the window, started again, exit 1', async () => {
    const demo = await demoContainers.start({ count: 1, restartPolicy: 'no' });
    const { exitCode, all, run, stateDir } = await runGuarded(demo, 'http', {
      faults: [{ stop: { count: 1, timeout: '1s' }, at: '2s' }],
      guards: [{ http: { successRate: '>= 50%', window: '2s' } }],
      assertions: [{ recoveryTime: { max: '30s' } }],
    });
    expect(exitCode, all).toBe(1);
    expect(run.outcome).toBe('aborted');
    expect(run.reason).toMatch(/^aborted by guard: .* of the probe requests of the last 2\.00 s answered .*needs >= 50%/);
    const latency = guardLatency(run);
    console.info(`http guard: tripped ${latency.toFixed(0)} ms after the fault was injected; run ended at ${(run.durationMs / 1000).toFixed(2)} s of 60 s`);
    expect(latency).toBeLessThanOrEqual(2000 + 1500);
    expect(run.durationMs).toBeLessThan(15_000);
    expect(run.rollbacks).toEqual([expect.objectContaining({ name: 'stop', ok: true })]);
    expect(all).toMatch(/guard http tripped/);
    expect((await docker.getContainer(demo.names[0]!).inspect()).State.Running).toBe(true);
    const [journal] = readJournals(stateDir);
    expect(journal).toMatchObject({ ended: true, pending: [] });
  });

  it('replicas guard: killed with no restart, below the floor for 1 s → aborted, started again, exit 1', async () => {
    const demo = await demoContainers.start({ count: 1, restartPolicy: 'no' });
    const { exitCode, all, run } = await runGuarded(demo, 'replicas', {
      faults: [{ kill: { count: 1 }, at: '1s' }],
      guards: [{ replicas: { min: 1, for: '1s' } }],
    });
    expect(exitCode, all).toBe(1);
    expect(run.outcome).toBe('aborted');
    expect(run.reason).toMatch(/^aborted by guard: 0 of 1 replicas ready, below the floor of 1 for 1\.\d\d s/);
    const latency = guardLatency(run);
    console.info(`replicas guard: tripped ${latency.toFixed(0)} ms after the fault was injected`);
    expect(latency).toBeLessThanOrEqual(1000 + 1500);
    expect(run.rollbacks).toEqual([expect.objectContaining({ name: 'kill', ok: true })]);
    expect((await docker.getContainer(demo.names[0]!).inspect()).State.Running).toBe(true);
  });
});
