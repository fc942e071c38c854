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
  /** What the killed run left, checked before recover (so the test proves recover did the work). */
  broken: (state: ContainerState[], demo: DemoContainers) => boolean;
}

interface ContainerState {
  name: string;
  running: boolean;
  paused: boolean;
  labels: Record<string, string>;
  restartPolicy: string;
  ports: unknown;
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
      };
    }),
  );
  return states.sort((a, b) => a.name.localeCompare(b.name));
}

describe.runIf(available)('rebound recover after kill -9: every Docker fault kind', () => {
  it.each(Object.entries(cases))('%s: undone from the journal, back as it was; recover twice changes nothing', async (name, { fault, count, restartPolicy, broken }) => {
    const demo = await demoContainers.start({ count, restartPolicy });
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
    await killRunDuringFault(['run', file, '--state-dir', state], state);
    expect(broken(await stateOf(demo), demo), `what the killed run left: ${JSON.stringify(await stateOf(demo))}`).toBe(true);

    const first = await rebound(['recover', '--all', '--state-dir', state]);
    expect(first.exitCode, first.all).toBe(0);
    expect(first.stdout).toMatch(/^undone: /m);
    await waitHealthy(docker, demo.names);
    expect(await stateOf(demo)).toEqual(before);

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
