import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/common/clock.js';
import { DockerTarget } from '../../src/targets/docker/index.js';
import { createRecorded, recordContainer } from '../../src/targets/docker/faults/recorded-container.js';
import { successorConfig } from '../../src/targets/docker/faults/successor-config.js';
import type { Selector } from '../../src/targets/target.js';
import { entriesOf, Timeline } from '../../src/timeline/timeline.js';
import { type DemoContainers, waitHealthy } from './support/demo-containers.js';
import { dockerAvailable } from './support/engines.js';
import { injectionRun, plannedFault } from './support/inject-fault.js';
import { useDemoContainers } from './support/use-demo-containers.js';

// The rollout fault on the real Docker engine: what `docker compose up -d` does to a changed
// service (all successors created, all old containers stopped and removed, then the successors
// renamed and started one after another), for a good and a broken release, and its undo from the
// journalled record alone — also from a recreation left half done.
const docker = new Docker();
const available = await dockerAvailable();
const demoContainers = useDemoContainers();
const target = new DockerTarget(docker);

interface Shape {
  name: string;
  running: boolean;
  labels: Record<string, string>;
  restartPolicy: string;
  ports: unknown;
  version: string | undefined;
}

/** What a user sees of each container: name, labels, restart policy, ports, and the VERSION it runs. */
async function shapes(demo: DemoContainers): Promise<Shape[]> {
  const listed = await docker.listContainers({ all: true, filters: { label: [`rebound.dev/test=${demo.suffix}`] } });
  const infos = await Promise.all(listed.map(({ Id }) => docker.getContainer(Id).inspect()));
  return infos
    .map((info) => ({
      name: info.Name.replace(/^\//, ''),
      running: info.State.Running,
      labels: info.Config.Labels,
      restartPolicy: info.HostConfig.RestartPolicy?.Name ?? '',
      ports: info.HostConfig.PortBindings,
      version: info.Config.Env?.find((entry) => entry.startsWith('VERSION='))?.slice('VERSION='.length),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The X-Version each published port answers with (undefined: no answer). */
async function versions(demo: DemoContainers): Promise<(string | undefined)[]> {
  return Promise.all(
    demo.ports.map(async (port) => {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
        await response.arrayBuffer();
        return response.ok ? (response.headers.get('x-version') ?? undefined) : `HTTP ${response.status}`;
      } catch {
        return undefined;
      }
    }),
  );
}

const selectorOf = (demo: DemoContainers): Selector => ({ labels: { 'rebound.dev/test': demo.suffix } });
const withVersion = (shape: Shape[], version: string | undefined) => shape.map((container) => ({ ...container, version }));

describe.runIf(available)('rollout on a Docker host', () => {
  it('recreates every container as Compose does, in its order; the rollback puts the previous release back; undoing twice changes nothing', async () => {
    const demo = await demoContainers.start({ count: 3, restartPolicy: 'always' });
    const before = await shapes(demo);
    const ids = await Promise.all(demo.names.map(async (name) => (await docker.getContainer(name).inspect()).Id));
    const timeline = new Timeline(systemClock());
    const observation = await target.observe(selectorOf(demo), timeline, { desired: 3 });
    const run = injectionRun(selectorOf(demo), { timeline });
    try {
      const handle = await target.inject(plannedFault('rollout', { to: { env: { VERSION: 'v2' } } }, []), run);
      // Every container's configuration was journalled before anything changed.
      const first = run.records[0]!.record as unknown as { containers: { id: string; name: string }[] };
      expect(first.containers.map((container) => container.id)).toEqual(ids);
      expect(handle.facts?.rollout?.strategy).toMatch(/docker compose up/);

      await waitHealthy(docker, demo.names);
      expect(await shapes(demo)).toEqual(withVersion(before, 'v2'));
      expect(await versions(demo)).toEqual(['v2', 'v2', 'v2']);

      // Compose's order, from the engine's own events: every successor created before the first old
      // container is stopped, every rename before the first successor starts.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const events = entriesOf(timeline.entries, 'instance-event');
      const at = (action: string, filter: (id: string) => boolean = () => true) => events.filter((event) => event.data.action === action && filter(event.data.id ?? '')).map((event) => event.engineTime!);
      const isNew = (id: string) => !ids.includes(id);
      expect(at('create', isNew)).toHaveLength(3);
      expect(Math.max(...at('create', isNew))).toBeLessThan(Math.min(...at('kill', (id) => ids.includes(id))));
      expect(at('rename')).toHaveLength(3);
      expect(Math.max(...at('rename'))).toBeLessThan(Math.min(...at('start', isNew)));
      expect(at('start', isNew)).toHaveLength(3);

      const rolledBack = await handle.rollback();
      expect(rolledBack, rolledBack.error).toMatchObject({ ok: true, action: expect.stringMatching(/re-created from the recorded configuration/) });
      await waitHealthy(docker, demo.names);
      expect(await shapes(demo)).toEqual(before);
      expect(await versions(demo)).toEqual(['v1', 'v1', 'v1']);

      const again = await target.undo(handle.undo);
      expect(again).toEqual({ ok: true, action: 'every container is the previous release already: nothing to undo' });
      expect(await shapes(demo)).toEqual(before);
    } finally {
      await observation.stop();
    }
  });

  it('a broken release (BROKEN=exit) replaces the working containers: nothing answers until the rollback', async () => {
    const demo = await demoContainers.start({ count: 2, restartPolicy: 'always' });
    const before = await shapes(demo);
    const handle = await target.inject(plannedFault('rollout', { to: { env: { VERSION: 'v2', BROKEN: 'exit' } } }, []), injectionRun(selectorOf(demo)));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Restarted in vain by the restart policy: no port answers.
    expect(await versions(demo)).toEqual([undefined, undefined]);
    const states = await Promise.all(demo.names.map(async (name) => (await docker.getContainer(name).inspect()).State));
    for (const state of states) expect(state.Health?.Status).not.toBe('healthy');

    const rolledBack = await handle.rollback();
    expect(rolledBack.ok, rolledBack.error).toBe(true);
    await waitHealthy(docker, demo.names);
    expect(await shapes(demo)).toEqual(before);
    expect(await versions(demo)).toEqual(['v1', 'v1']);
  });

  it('undoes a recreation left half done (a run killed mid-rollout): a successor not yet renamed, a stopped original, an untouched one', async () => {
    const demo = await demoContainers.start({ count: 3, restartPolicy: 'always' });
    const before = await shapes(demo);
    const infos = await Promise.all(demo.names.map((name) => docker.getContainer(name).inspect()));
    const recorded = infos.map(recordContainer);
    // Container 0: its successor created under Compose's temporary name, the original stopped and removed.
    const temporary = `${infos[0]!.Id.slice(0, 12)}_${demo.names[0]}`;
    await createRecorded(docker, successorConfig(recorded[0]!, { env: { VERSION: 'v2' } }), temporary);
    await docker.getContainer(demo.names[0]!).remove({ force: true });
    // Container 1: stopped (Compose stops before it removes). Container 2: untouched.
    await docker.getContainer(demo.names[1]!).stop({ t: 1 });

    const undone = await target.undo({ target: 'docker', fault: 'rollout', record: { action: 'recreate-previous', containers: recorded } });
    expect(undone.ok, undone.error).toBe(true);
    expect(undone.action).toContain(`${demo.names[0]} re-created from the recorded configuration`);
    expect(undone.action).toContain(`${demo.names[1]}, ${demo.names[2]} still the previous release`);
    expect(undone.action).toContain(`removed the unfinished successor ${temporary}`);
    await waitHealthy(docker, demo.names);
    expect(await shapes(demo)).toEqual(before);
    // The containers that were never replaced are the originals themselves.
    expect((await docker.getContainer(demo.names[2]!).inspect()).Id).toBe(infos[2]!.Id);
  });
});
