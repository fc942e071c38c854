import { join } from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { type DemoContainers, waitHealthy } from './support/demo-containers.js';
import { inspectContainerNetns, listHelperContainers } from '../../src/targets/docker/fault-helpers.js';
import { reboundLeftovers } from '../../src/targets/fault-tools/index.js';
import { dockerAvailable } from './support/engines.js';
import { killRunDuringFault } from './support/kill-during-fault.js';
import { rebound, scratchDirectory, writeExperiment } from './support/rebound-cli.js';
import { useDemoContainers } from './support/use-demo-containers.js';

// Every Docker fault with a rollback, undone by `rebound recover` alone: the run is killed with -9
// while the fault is in effect, recover reads the journal, and the containers are back as they
// were (same names, labels, restart policy, published ports, healthy); a second recover changes
// nothing.
const docker = new Docker();
const available = await dockerAvailable();
const demoContainers = useDemoContainers();

type Policy = 'no' | 'always' | 'unless-stopped';
interface Case {
  fault: Record<string, unknown>;
  count: number;
  restartPolicy: Policy;
  /** Limits of the containers (the resource faults need them). */
  resources?: { cpus?: number; memoryBytes?: number };
  /** What the killed run left, checked before recover (so the test proves recover did the work). */
  broken: (state: ContainerState[], demo: DemoContainers) => boolean | Promise<boolean>;
  /** What recover must have undone beyond the containers' state (a helper stopped, limits back). */
  restored?: (demo: DemoContainers) => Promise<boolean>;
  /** Kill the run as soon as the injection journalled a refined record (mid-injection) instead of once the fault is in effect. */
  killAt?: 'refined';
}

const MiB = 1024 * 1024;
/** Helper containers working on the demo's first container (a stress left running). */
const helpersOn = async (demo: DemoContainers) => listHelperContainers(docker, { 'rebound.dev/helper-target': (await docker.getContainer(demo.names[0]!).inspect()).Id });
const limitsOf = async (demo: DemoContainers) => {
  const { NanoCpus, Memory, MemorySwap } = (await docker.getContainer(demo.names[0]!).inspect()).HostConfig;
  return [NanoCpus, Memory, MemorySwap];
};

interface ContainerState {
  name: string;
  running: boolean;
  paused: boolean;
  labels: Record<string, string>;
  restartPolicy: string;
  ports: unknown;
  /** The VERSION the container runs (a rollout changes it). */
  version: string | undefined;
}

const down = (index: number) => (state: ContainerState[], demo: DemoContainers) => state.find((container) => container.name === demo.names[index])?.running === false;

const cases: Record<string, Case> = {
  crash: { fault: { crash: { count: 1, pick: 'oldest' } }, count: 1, restartPolicy: 'no', broken: down(0) },
  kill: { fault: { kill: { count: 1, pick: 'oldest' } }, count: 1, restartPolicy: 'always', broken: down(0) },
  stop: { fault: { stop: { count: 1, pick: 'oldest', timeout: '1s' } }, count: 1, restartPolicy: 'always', broken: down(0) },
  // docker restart brings the container back by itself: recover finds it running and says so.
  restart: { fault: { restart: { count: 1, pick: 'oldest', timeout: '1s' } }, count: 1, restartPolicy: 'no', broken: () => true },
  pause: { fault: { pause: { count: 1, pick: 'oldest', duration: '50s' } }, count: 1, restartPolicy: 'no', broken: (state) => state[0]?.paused === true },
  remove: { fault: { remove: { count: 1, pick: 'oldest' } }, count: 2, restartPolicy: 'unless-stopped', broken: (state, demo) => !state.some((container) => container.name === demo.names[0]) },
  'scale up': { fault: { scale: { replicas: 4 } }, count: 2, restartPolicy: 'always', broken: (state) => state.length === 4 },
  'scale down': { fault: { scale: { replicas: 1 } }, count: 2, restartPolicy: 'always', broken: (state) => state.length === 1 },
  'fail-node': { fault: { 'fail-node': {} }, count: 2, restartPolicy: 'always', broken: (state) => state.every((container) => !container.running) },
  // The stress helpers would end at their deadline (50 s) by themselves: recover stops them now.
  'cpu-stress': {
    fault: { 'cpu-stress': { count: 1, pick: 'oldest', workers: 2, duration: '50s' } },
    count: 1, restartPolicy: 'no', resources: { cpus: 0.2 },
    broken: async (_state, demo) => (await helpersOn(demo)).length === 1,
    restored: async (demo) => (await helpersOn(demo)).length === 0,
  },
  'memory-stress': {
    fault: { 'memory-stress': { count: 1, pick: 'oldest', size: '50%', duration: '50s' } },
    count: 1, restartPolicy: 'no', resources: { memoryBytes: 64 * MiB },
    broken: async (_state, demo) => (await helpersOn(demo)).length === 1,
    restored: async (demo) => (await helpersOn(demo)).length === 0,
  },
  // Without a restart policy the OOM-killed container stays down: recover starts it.
  oom: { fault: { oom: { count: 1, pick: 'oldest' } }, count: 1, restartPolicy: 'no', resources: { memoryBytes: 64 * MiB }, broken: down(0) },
  squeeze: {
    fault: { squeeze: { count: 1, pick: 'oldest', cpu: '50%', memory: '48Mi' } },
    count: 1, restartPolicy: 'no', resources: { cpus: 0.2, memoryBytes: 64 * MiB },
    broken: async (_state, demo) => (await limitsOf(demo))[1] === 48 * MiB,
    restored: async (demo) => JSON.stringify(await limitsOf(demo)) === JSON.stringify([0.2e9, 64 * MiB, 64 * MiB]),
  },
  // The new release in effect on every container: recover re-creates the previous one on each.
  rollout: { fault: { rollout: { to: { env: { VERSION: 'v2' } } } }, count: 2, restartPolicy: 'always', broken: (state) => state.length === 2 && state.every((container) => container.version === 'v2') },
  // Killed while Compose's recreation runs: whatever step it reached (successors created, originals
  // stopped or removed, some renamed), recover puts the previous release back.
  'rollout killed mid-recreation': { fault: { rollout: { to: { env: { VERSION: 'v2' } } } }, count: 3, restartPolicy: 'unless-stopped', broken: () => true, killAt: 'refined' },
};

async function stateOf(demo: DemoContainers): Promise<ContainerState[]> {
  const listed = await docker.listContainers({ all: true, filters: { label: [`rebound.dev/test=${demo.suffix}`] } });
  const states = await Promise.all(
    listed.map(async ({ Id }) => {
      const info = await docker.getContainer(Id).inspect();
      return {
        name: info.Name.replace(/^\//, ''),
        running: info.State.Running && !info.State.Paused,
        paused: info.State.Paused,
        labels: info.Config.Labels,
        restartPolicy: info.HostConfig.RestartPolicy?.Name ?? '',
        ports: info.HostConfig.PortBindings,
        version: info.Config.Env?.find((entry) => entry.startsWith('VERSION='))?.slice('VERSION='.length),
      };
    }),
  );
  return states.sort((a, b) => a.name.localeCompare(b.name));
}

describe.runIf(available)('rebound recover after kill -9: every Docker fault kind', () => {
  it.each(Object.entries(cases))('%s: undone from the journal, back as it was; recover twice changes nothing', async (name, { fault, count, restartPolicy, resources, broken, restored, killAt }) => {
    const demo = await demoContainers.start({ count, restartPolicy, ...(resources && { resources }) });
    const before = await stateOf(demo);
    const directory = scratchDirectory();
    const state = join(directory, 'state');
    const file = writeExperiment(directory, name.replace(/\W+/g, '-'), {
      apiVersion: 'rebound/v1',
      kind: 'Experiment',
      metadata: { name: `recover-${name.replace(/\W+/g, '-')}` },
      target: 'docker',
      system: { selector: { 'rebound.dev/test': demo.suffix }, url: `http://127.0.0.1:${demo.ports[0]}/` },
      probe: { rate: '5/s' },
      duration: '60s',
      faults: [{ ...fault, at: '500ms' }],
    });
    await killRunDuringFault(['run', file, '--state-dir', state], state, 60_000, killAt ?? 'injected');
    expect(await broken(await stateOf(demo), demo), `what the killed run left: ${JSON.stringify(await stateOf(demo))}`).toBe(true);

    const first = await rebound(['recover', '--all', '--state-dir', state]);
    expect(first.exitCode, first.all).toBe(0);
    expect(first.stdout).toMatch(/^undone: /m);
    await waitHealthy(docker, demo.names);
    expect(await stateOf(demo)).toEqual(before);
    if (restored) expect(await restored(demo)).toBe(true);

    const second = await rebound(['recover', '--all', '--state-dir', state]);
    expect(second.exitCode, second.all).toBe(0);
    expect(second.stdout).toMatch(/nothing to recover/);
    expect(await stateOf(demo)).toEqual(before);
  });
});

// The network faults' three mechanisms (Toxiproxy behind a redirect, an iptables chain, a tc qdisc):
// killed with -9 while the helper holds the fault (30 s), `recover` removes it at once — the helper
// is stopped, the remove script runs again in the container's namespace — and a second recover
// changes nothing.
describe.runIf(available)('rebound recover after kill -9: Docker network faults', () => {
  const networkCases: Record<string, Record<string, unknown>> = {
    'network-delay': { 'network-delay': { delay: '100ms', duration: '30s' } },
    partition: { partition: { duration: '30s' } },
    'network-bandwidth': { 'network-bandwidth': { rate: '1mbit', direction: 'both', duration: '30s' } },
  };
  it.each(Object.entries(networkCases))('%s: removed at once by recover, nothing left in the namespace', async (name, fault) => {
    const demo = await demoContainers.start({ count: 1, restartPolicy: 'no' });
    const target = (await docker.getContainer(demo.names[0]!).inspect()).Id;
    const directory = scratchDirectory();
    const state = join(directory, 'state');
    const file = writeExperiment(directory, name, {
      apiVersion: 'rebound/v1',
      kind: 'Experiment',
      metadata: { name: `recover-${name}` },
      target: 'docker',
      system: { selector: { 'rebound.dev/test': demo.suffix }, url: `http://127.0.0.1:${demo.ports[0]}/` },
      probe: { rate: '5/s' },
      duration: '60s',
      faults: [{ ...fault, at: '500ms' }],
    });
    await killRunDuringFault(['run', file, '--state-dir', state], state);
    expect(reboundLeftovers(await inspectContainerNetns(docker, target)), 'what the killed run left').not.toEqual([]);

    const started = performance.now();
    const first = await rebound(['recover', '--all', '--state-dir', state]);
    console.info(`${name}: recover took ${((performance.now() - started) / 1000).toFixed(2)} s`);
    expect(first.exitCode, first.all).toBe(0);
    expect(first.stdout).toMatch(/^undone: .*removed/m);
    expect(reboundLeftovers(await inspectContainerNetns(docker, target))).toEqual([]);
    expect((await listHelperContainers(docker)).filter((helper) => helper.target === target)).toEqual([]);

    const second = await rebound(['recover', '--all', '--state-dir', state]);
    expect(second.exitCode, second.all).toBe(0);
    expect(second.stdout).toMatch(/nothing to recover/);
  });
});
