import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/run/run-result.js';
import { readJournals } from '../../src/safety/journal.js';
import type { DemoContainers } from './support/demo-containers.js';
import { inspectContainerNetns, listHelperContainers } from '../../src/targets/docker/fault-helpers.js';
import { reboundLeftovers } from '../../src/targets/fault-tools/index.js';
import { dockerAvailable } from './support/engines.js';
import { faultInEffect } from './support/kill-during-fault.js';
import { rebound, scratchDirectory, writeExperiment } from './support/rebound-cli.js';
import { useDemoContainers } from './support/use-demo-containers.js';

// SIGTERM while a fault is active, for every fault Docker can do: everything rolled back, the
// report written, exit 143, the journal with nothing left for `rebound recover`.
const docker = new Docker();
const available = await dockerAvailable();
const demoContainers = useDemoContainers();

type ContainerState = Docker.ContainerInspectInfo['State'];

async function stateOf(name: string): Promise<ContainerState | undefined> {
  try {
    return (await docker.getContainer(name).inspect()).State;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

const isDown = (state: ContainerState | undefined) => state !== undefined && !state.Running;
const runningNames = async (suffix: string) =>
  (await docker.listContainers({ filters: { label: [`rebound.dev/test=${suffix}`] } })).map((container) => container.Names[0]!.replace(/^\//, '')).sort();

interface SignalCase {
  fault: Record<string, unknown>;
  /** The fault has visibly happened: now is the time for SIGTERM. */
  tookEffect(containers: DemoContainers, before: ContainerState): Promise<boolean>;
  /** Limits of the container (the resource faults need them). */
  resources?: { cpus?: number; memoryBytes?: number };
  /** What the rollback must have undone beyond the container running (a helper stopped, limits back). */
  undone?(containers: DemoContainers): Promise<boolean>;
}

const MiB = 1024 * 1024;
const helpersOn = async ({ names }: DemoContainers) => (await listHelperContainers(docker, { 'rebound.dev/helper-target': (await docker.getContainer(names[0]!).inspect()).Id })).length;
const memoryLimit = async ({ names }: DemoContainers) => (await docker.getContainer(names[0]!).inspect()).HostConfig.Memory;

const cases: Record<string, SignalCase> = {
  pause: { fault: { pause: { count: 1, duration: '50s' } }, tookEffect: async ({ names }) => (await stateOf(names[0]!))?.Paused === true },
  stop: { fault: { stop: { count: 1, timeout: '1s' } }, tookEffect: async ({ names }) => isDown(await stateOf(names[0]!)) },
  kill: { fault: { kill: { count: 1 } }, tookEffect: async ({ names }) => isDown(await stateOf(names[0]!)) },
  // restart policy no: nothing but the rollback starts a crashed container again.
  crash: { fault: { crash: { count: 1 } }, tookEffect: async ({ names }) => isDown(await stateOf(names[0]!)) },
  restart: { fault: { restart: { count: 1, timeout: '1s' } }, tookEffect: async ({ names }, before) => (await stateOf(names[0]!))?.StartedAt !== before.StartedAt },
  remove: { fault: { remove: { count: 1 } }, tookEffect: async ({ names }) => (await stateOf(names[0]!)) === undefined },
  scale: { fault: { scale: { replicas: 2 } }, tookEffect: async ({ suffix }) => (await runningNames(suffix)).length === 2 },
  // On Docker the host cannot be failed: every selected container is stopped.
  'fail-node': { fault: { 'fail-node': {} }, tookEffect: async ({ names }) => isDown(await stateOf(names[0]!)) },
  'cpu-stress': { fault: { 'cpu-stress': { count: 1, duration: '50s' } }, resources: { cpus: 0.2 }, tookEffect: async (demo) => (await helpersOn(demo)) === 1, undone: async (demo) => (await helpersOn(demo)) === 0 },
  'memory-stress': { fault: { 'memory-stress': { count: 1, size: '30Mi', duration: '50s' } }, resources: { memoryBytes: 64 * MiB }, tookEffect: async (demo) => (await helpersOn(demo)) === 1, undone: async (demo) => (await helpersOn(demo)) === 0 },
  // Without a restart policy the OOM-killed container stays down: the rollback starts it.
  oom: { fault: { oom: { count: 1 } }, resources: { memoryBytes: 64 * MiB }, tookEffect: async ({ names }) => isDown(await stateOf(names[0]!)) },
  squeeze: { fault: { squeeze: { count: 1, memory: '48Mi' } }, resources: { memoryBytes: 64 * MiB }, tookEffect: async (demo) => (await memoryLimit(demo)) === 48 * MiB, undone: async (demo) => (await memoryLimit(demo)) === 64 * MiB },
};

describe.runIf(available)('SIGTERM during a Docker fault', () => {
  for (const [name, { fault, tookEffect, resources, undone }] of Object.entries(cases)) {
    it(`${name}: rolled back, report written, exit 143`, async () => {
      const demo = await demoContainers.start({ count: 1, restartPolicy: 'no', ...(resources && { resources }) });
      const before = (await stateOf(demo.names[0]!))!;
      const directory = scratchDirectory();
      const stateDir = join(directory, 'state');
      const file = writeExperiment(directory, name, {
        apiVersion: 'rebound/v1',
        kind: 'Experiment',
        metadata: { name: `sigterm-${name}` },
        target: 'docker',
        system: { selector: { 'rebound.dev/test': demo.suffix }, url: `http://127.0.0.1:${demo.ports[0]}/` },
        duration: '60s',
        faults: [{ ...fault, at: '1s' }],
      });
      const child = rebound(['run', file, '--reporter', `json=${join(directory, 'r.json')}`, '--state-dir', stateDir]);
      const deadline = Date.now() + 20_000;
      while (!(await tookEffect(demo, before))) {
        if (Date.now() > deadline) throw new Error(`the ${name} fault never took effect`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const signalled = performance.now();
      child.kill('SIGTERM');
      const result = await child;
      console.info(`${name}: exited ${((performance.now() - signalled) / 1000).toFixed(2)} s after SIGTERM`);
      expect(result.exitCode, result.all).toBe(143);
      const state = await stateOf(demo.names[0]!);
      expect(state?.Running && !state.Paused, `${demo.names[0]} running again`).toBe(true);
      // Nothing extra left running either (scale's clones removed).
      expect(await runningNames(demo.suffix)).toEqual(demo.names);
      if (undone) expect(await undone(demo), `${name} undone`).toBe(true);
      const run = (JSON.parse(readFileSync(join(directory, 'r.json'), 'utf8')) as RunReport).runs[0]!;
      expect(run.outcome).toBe('interrupted');
      expect(run.reason).toBe('interrupted by SIGTERM');
      expect(run.rollbacks).toHaveLength(1);
      expect(run.rollbacks[0]!.ok, run.rollbacks[0]!.error).toBe(true);
      expect(readJournals(stateDir)).toEqual([expect.objectContaining({ ended: true, pending: [] })]);
    });
  }
});

// The network faults: SIGTERM once the helper holds the fault (its journal says injected); the
// rollback stops the helper, and nothing of rebound's is left in the container's namespace.
describe.runIf(available)('SIGTERM during a Docker network fault', () => {
  const networkCases: Record<string, Record<string, unknown>> = {
    'network-delay': { 'network-delay': { delay: '100ms', duration: '50s' } },
    'network-loss': { 'network-loss': { loss: 30, duration: '50s' } },
    'network-bandwidth': { 'network-bandwidth': { rate: '1mbit', duration: '50s' } },
    partition: { partition: { duration: '50s' } },
    'connection-fault': { 'connection-fault': { mode: 'timeout', share: 50, duration: '50s' } },
  };
  for (const [name, fault] of Object.entries(networkCases)) {
    it(`${name}: rolled back, nothing left in the namespace, exit 143`, async () => {
      const demo = await demoContainers.start({ count: 1, restartPolicy: 'no' });
      const target = (await docker.getContainer(demo.names[0]!).inspect()).Id;
      const directory = scratchDirectory();
      const stateDir = join(directory, 'state');
      const file = writeExperiment(directory, name, {
        apiVersion: 'rebound/v1',
        kind: 'Experiment',
        metadata: { name: `sigterm-${name}` },
        target: 'docker',
        system: { selector: { 'rebound.dev/test': demo.suffix }, url: `http://127.0.0.1:${demo.ports[0]}/` },
        duration: '60s',
        faults: [{ ...fault, at: '1s' }],
      });
      const child = rebound(['run', file, '--reporter', `json=${join(directory, 'r.json')}`, '--state-dir', stateDir]);
      const deadline = Date.now() + 30_000;
      while (!faultInEffect(stateDir)) {
        if (Date.now() > deadline) throw new Error(`the ${name} fault never took effect`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const signalled = performance.now();
      child.kill('SIGTERM');
      const result = await child;
      console.info(`${name}: exited ${((performance.now() - signalled) / 1000).toFixed(2)} s after SIGTERM`);
      expect(result.exitCode, result.all).toBe(143);
      const run = (JSON.parse(readFileSync(join(directory, 'r.json'), 'utf8')) as RunReport).runs[0]!;
      expect(run.outcome).toBe('interrupted');
      expect(run.rollbacks).toHaveLength(1);
      expect(run.rollbacks[0]!.ok, run.rollbacks[0]!.error).toBe(true);
      expect(reboundLeftovers(await inspectContainerNetns(docker, target))).toEqual([]);
      expect((await listHelperContainers(docker)).filter((helper) => helper.target === target)).toEqual([]);
      expect(readJournals(stateDir)).toEqual([expect.objectContaining({ ended: true, pending: [] })]);
    });
  }
});
