import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { parse as parseJUnit } from 'junit2json';
import { describe, expect, it } from 'vitest';
import { evaluateAssertions } from '../../src/run/run-experiment.js';
import { parseExperiment } from '../../src/experiments/load-experiment.js';
import type { RunReport } from '../../src/run/run-result.js';
import type { DemoContainers } from './support/demo-containers.js';
import { dockerAvailable } from './support/engines.js';
import { rebound, scratchDirectory, writeExperiment } from './support/rebound-cli.js';
import { useDemoContainers } from './support/use-demo-containers.js';

// The acceptance list, end to end: the real CLI as a process, the real Docker engine.
const docker = new Docker();
const available = await dockerAvailable();
const demoContainers = useDemoContainers();

function experiment(containers: DemoContainers, body: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'rebound/v1',
    kind: 'Experiment',
    metadata: { name: 'acceptance' },
    target: 'docker',
    system: { selector: { 'rebound.dev/test': containers.suffix }, url: `http://127.0.0.1:${containers.ports[0]}/` },
    ...body,
  };
}

function readReport(file: string): RunReport {
  return JSON.parse(readFileSync(file, 'utf8')) as RunReport;
}

describe.runIf(available)('rebound run against the real Docker engine', () => {
  it('crash under restart: always → recovered, recovery time measured, engine timestamps kept (exit 0)', async () => {
    const demo = await demoContainers.start({ count: 1, restartPolicy: 'always' });
    const directory = scratchDirectory();
    const file = writeExperiment(directory, 'crash-always', experiment(demo, {
      probe: { rate: '50/s' },
      duration: '12s',
      faults: [{ crash: { count: 1 }, at: '3s' }],
      assertions: [{ recoveryTime: { max: '8s' } }, { replicas: { ready: '>= 1' } }],
    }));
    const result = await rebound(['run', file, '--reporter', 'console', '--reporter', `json=${join(directory, 'report.json')}`]);
    expect(result.exitCode, result.all).toBe(0);
    const run = readReport(join(directory, 'report.json')).runs[0]!;
    const recovery = run.verdicts.find((verdict) => verdict.name === 'recoveryTime')!;
    expect(recovery.passed).toBe(true);
    expect(recovery.measured).toBeGreaterThan(0);
    const engineEvents = run.timeline.filter((entry) => entry.kind === 'instance-event' && entry.engineTime !== undefined);
    const actions = engineEvents.map((entry) => (entry.kind === 'instance-event' ? entry.data.action : ''));
    expect(actions).toContain('die');
    expect(actions).toContain('start');
    expect(result.stdout).toMatch(/detection lag/i);
  });

  it('restart: on-failure:2 and three crashes → the third stays down, explained from RestartCount and the limit', async () => {
    const demo = await demoContainers.start({ count: 1, restartPolicy: 'on-failure', maximumRetryCount: 2 });
    const directory = scratchDirectory();
    const file = writeExperiment(directory, 'crash-on-failure-2', experiment(demo, {
      duration: '12s',
      faults: [{ crash: { count: 1 }, at: '1s', repeat: 3, interval: '3s' }],
      assertions: [{ recoveryTime: { max: '8s' } }],
    }));
    const result = await rebound(['run', file, '--reporter', `json=${join(directory, 'report.json')}`, '--reporter', 'console']);
    expect(result.exitCode, result.all).toBe(1);
    const run = readReport(join(directory, 'report.json')).runs[0]!;
    const notes = run.timeline.flatMap((entry) => (entry.kind === 'fault-injected' ? [entry.data.note] : []));
    expect(notes[0]).toMatch(/restart policy on-failure:2/);
    expect(run.verdicts[0]!.explanation).toMatch(/stayed down: its restart policy is on-failure:2 and Docker had restarted it 2 times: Docker stopped retrying after 2/);
  });

  it('crash without a restart policy → not recovered, explained, exit 1', async () => {
    const demo = await demoContainers.start({ count: 1, restartPolicy: 'no' });
    const directory = scratchDirectory();
    const file = writeExperiment(directory, 'crash-no-policy', experiment(demo, {
      duration: '8s',
      faults: [{ crash: { count: 1 }, at: '2s' }],
      assertions: [{ recoveryTime: { max: '5s' } }, { replicas: { ready: '>= 1' } }],
    }));
    const result = await rebound(['run', file, '--reporter', `json=${join(directory, 'report.json')}`, '--reporter', 'console']);
    expect(result.exitCode, result.all).toBe(1);
    const run = readReport(join(directory, 'report.json')).runs[0]!;
    for (const name of ['recoveryTime', 'replicas']) {
      const verdict = run.verdicts.find((candidate) => candidate.name === name)!;
      expect(verdict.passed).toBe(false);
      expect(verdict.explanation).toMatch(/restart policy/i);
    }
    expect(run.verdicts.find((verdict) => verdict.name === 'recoveryTime')!.measured).toBeNull();
  });

  it('kill under restart: always → stays down: a manual stop, and the report says why', async () => {
    const demo = await demoContainers.start({ count: 1, restartPolicy: 'always' });
    const directory = scratchDirectory();
    const file = writeExperiment(directory, 'kill-always', experiment(demo, {
      duration: '8s',
      faults: [{ kill: { count: 1 }, at: '2s' }],
      assertions: [{ recoveryTime: { max: '5s' } }],
    }));
    const result = await rebound(['run', file, '--reporter', 'console', '--reporter', `json=${join(directory, 'report.json')}`]);
    expect(result.exitCode, result.all).toBe(1);
    expect(result.stdout).toMatch(/manual stop/i);
    const run = readReport(join(directory, 'report.json')).runs[0]!;
    expect(run.verdicts[0]!.explanation).toMatch(/manual stop/i);
    // rebound leaves no mess: the rollback started the container again after the measurements.
    expect((await docker.getContainer(demo.names[0]!).inspect()).State.Running).toBe(true);
  });

  it('pause 5 s under a 200 req/s probe → longest outage within ±300 ms of 5 s, running afterwards', async () => {
    const demo = await demoContainers.start({ count: 1, restartPolicy: 'always' });
    const directory = scratchDirectory();
    const file = writeExperiment(directory, 'pause', experiment(demo, {
      probe: { rate: '200/s', timeout: '1s' },
      duration: '12s',
      faults: [{ pause: { count: 1, duration: '5s' }, at: '2s' }],
      assertions: [{ traffic: { maxOutage: '6s' } }, { recoveryTime: { max: '8s' } }],
    }));
    const result = await rebound(['run', file, '--reporter', `json=${join(directory, 'report.json')}`]);
    expect(result.exitCode, result.all).toBe(0);
    const run = readReport(join(directory, 'report.json')).runs[0]!;
    const outage = Number(run.verdicts.find((verdict) => verdict.name === 'traffic')!.details?.longestOutageMs);
    expect(outage).toBeGreaterThan(4700);
    expect(outage).toBeLessThan(5300);
    const state = (await docker.getContainer(demo.names[0]!).inspect()).State;
    expect(state.Running && !state.Paused).toBe(true);
  });

  it('3 containers, crash percent: 34 → exactly one touched, the others never', async () => {
    const demo = await demoContainers.start({ count: 3, restartPolicy: 'always' });
    const directory = scratchDirectory();
    const file = writeExperiment(directory, 'percent', experiment(demo, {
      duration: '6s',
      faults: [{ crash: { percent: 34 }, at: '1s' }],
      assertions: [{ replicas: { ready: '>= 3' } }],
    }));
    const result = await rebound(['run', file, '--reporter', `json=${join(directory, 'report.json')}`]);
    expect(result.exitCode, result.all).toBe(0);
    const run = readReport(join(directory, 'report.json')).runs[0]!;
    const injected = run.timeline.filter((entry) => entry.kind === 'fault-injected');
    expect(injected).toHaveLength(1);
    const touched = injected[0]!.kind === 'fault-injected' ? injected[0]!.data.subjects : [];
    expect(touched).toHaveLength(1);
    const dead = run.timeline.filter((entry) => entry.kind === 'instance-event' && entry.data.action === 'die').map((entry) => entry.subject);
    expect(new Set(dead)).toEqual(new Set(touched));
  });

  it('containers without the opt-in label are never touched, and the plan says why', async () => {
    const demo = await demoContainers.start({ count: 1, restartPolicy: 'always', optIn: false });
    const directory = scratchDirectory();
    const file = writeExperiment(directory, 'opt-in', experiment(demo, {
      duration: '4s',
      faults: [{ crash: { count: 1 }, at: '1s' }],
      assertions: [{ replicas: { ready: '>= 1' } }],
    }));
    const dry = await rebound(['run', file, '--dry-run']);
    expect(dry.exitCode, dry.all).toBe(0);
    expect(dry.stdout).toMatch(/not eligible, no opt-in label rebound\.dev\/chaos=enabled/);
    const result = await rebound(['run', file, '--reporter', `json=${join(directory, 'report.json')}`]);
    const run = readReport(join(directory, 'report.json')).runs[0]!;
    expect(run.timeline.some((entry) => entry.kind === 'fault-injected')).toBe(false);
    expect(run.timeline.some((entry) => entry.kind === 'instance-event' && entry.data.action === 'die')).toBe(false);
    expect(result.exitCode).toBe(0);
  });

  it('JUnit output parses back; JSON verdicts recomputed from its timeline are the same', async () => {
    const demo = await demoContainers.start({ count: 1, restartPolicy: 'always' });
    const directory = scratchDirectory();
    const body = experiment(demo, {
      probe: { rate: '20/s' },
      duration: '8s',
      iterations: 2,
      faults: [{ crash: { count: 1 }, at: '2s' }],
      assertions: [{ recoveryTime: { max: '5s' } }, { replicas: { ready: '>= 1' } }, { traffic: { successRate: '>= 50%' } }],
    });
    const file = writeExperiment(directory, 'reports', body);
    const result = await rebound(['run', file, '--reporter', `json=${join(directory, 'r.json')}`, '--reporter', `junit=${join(directory, 'r.xml')}`]);
    expect([0, 1]).toContain(result.exitCode);
    const junit = (await parseJUnit(readFileSync(join(directory, 'r.xml'), 'utf8'))) as { tests?: number; testsuite?: { testcase?: unknown[] }[] };
    const cases = (junit.testsuite ?? []).flatMap((suite) => suite.testcase ?? []);
    expect(cases).toHaveLength(6); // 3 assertions × 2 iterations
    const report = readReport(join(directory, 'r.json'));
    const parsed = parseExperiment(readFileSync(file, 'utf8'), file);
    for (const run of report.runs) expect(evaluateAssertions(parsed, run.timeline)).toEqual(run.verdicts);
  });

  it('Ctrl-C during a pause → container unpaused, probes stopped, exit 130', async () => {
    const demo = await demoContainers.start({ count: 1, restartPolicy: 'always' });
    const directory = scratchDirectory();
    const file = writeExperiment(directory, 'sigint', experiment(demo, {
      probe: { rate: '50/s' },
      duration: '60s',
      faults: [{ pause: { count: 1, duration: '50s' }, at: '1s' }],
    }));
    const child = rebound(['run', file, '--reporter', 'console', '--reporter', `json=${join(directory, 'r.json')}`]);
    const deadline = Date.now() + 20_000;
    while (!(await docker.getContainer(demo.names[0]!).inspect()).State.Paused) {
      if (Date.now() > deadline) throw new Error('the container was never paused');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, result.all).toBe(130);
    const state = (await docker.getContainer(demo.names[0]!).inspect()).State;
    expect(state.Paused).toBe(false);
    const run = readReport(join(directory, 'r.json')).runs[0]!;
    expect(run.outcome).toBe('interrupted');
    expect(run.rollbacks.every((rollback) => rollback.ok)).toBe(true);
  });

  it('an unreachable engine → exit 3 with what to do', async () => {
    const demo = await demoContainers.start({ count: 1 });
    const directory = scratchDirectory();
    const file = writeExperiment(directory, 'unreachable', experiment(demo, { faults: [{ crash: {} }] }));
    const result = await rebound(['run', file], { env: { DOCKER_HOST: 'unix:///tmp/rebound-no-such-docker.sock' } });
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toMatch(/docker/i);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
