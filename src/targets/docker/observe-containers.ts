import type Docker from 'dockerode';
import type { TimelineWriter } from '../../timeline/timeline.js';
import type { Observation, Selector } from '../target.js';
import { discoverContainers } from './discover-containers.js';
import { matchesSelector } from './container-facts.js';

interface ContainerState {
  name: string;
  running: boolean;
  paused: boolean;
  hasHealthcheck: boolean;
  health?: string;
}

interface DockerEvent {
  Type?: string;
  Action?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  timeNano?: number;
}

// rename: a rollout (Compose's recreation) creates each successor under a temporary name and renames it once the old container is gone.
const TRACKED = new Set(['create', 'start', 'die', 'stop', 'kill', 'pause', 'unpause', 'destroy', 'restart', 'oom', 'rename']);

const isReady = (state: ContainerState) => state.running && !state.paused && (!state.hasHealthcheck || state.health === 'healthy');

// Streams the engine's container events into the timeline with the engine's own timeNano beside
// rebound's receipt time, and keeps the ready/running counts. The stream is opened before the
// snapshot is taken so nothing between the two is missed; it is reopened (with `since`) if it ends.
/** A container observation whose desired count can change: Docker has no spec, so the scale fault says what it asked for. */
export interface ContainerObservation extends Observation {
  setDesired(count: number): void;
}

export async function observeContainers(docker: Docker, selector: Selector, host: string, writer: TimelineWriter, initialDesired: number): Promise<ContainerObservation> {
  let desired = initialDesired;
  const states = new Map<string, ContainerState>();
  let last = { ready: -1, running: -1, desired: -1 };
  let stopped = false;
  let lastEventSeconds = Math.floor(Date.now() / 1000) - 1;
  const buffered: DockerEvent[] = [];
  let snapshotDone = false;
  // Docker's own OOMKilled: an `oom` event for the container, then its `die` (moby sets the flag on
  // the event and reports it at the exit), until it starts again. The die event itself does not say.
  const oomSeen = new Set<string>();

  const writeReplicas = () => {
    const values = [...states.values()];
    const ready = values.filter(isReady).length;
    const running = values.filter((state) => state.running && !state.paused).length;
    if (ready === last.ready && running === last.running && desired === last.desired) return;
    last = { ready, running, desired };
    writer.add({ t: writer.now(), source: 'target', kind: 'replicas', data: { desired, ready, running } });
  };

  const apply = (event: DockerEvent) => {
    const rawAction = event.Action ?? '';
    const attributes = event.Actor?.Attributes ?? {};
    const name = attributes.name ?? '';
    const id = event.Actor?.ID ?? event.id ?? '';
    const health = rawAction.startsWith('health_status') ? rawAction.split(':')[1]?.trim() : undefined;
    const action = health !== undefined ? 'health' : rawAction;
    if (health === undefined && !TRACKED.has(action)) return;
    if (!matchesSelector(selector, attributes, name)) return;
    const engineTime = event.timeNano !== undefined ? event.timeNano / 1e6 : undefined;
    if (event.timeNano !== undefined) lastEventSeconds = Math.floor(event.timeNano / 1e9);
    const known = states.get(id);
    // A container that appears during the run (a clone, a re-created replica): whether it has a
    // health check is not in the event, so it counts as not ready until inspect says (healthcheckOf).
    const state = known ?? { name, running: false, paused: false, hasHealthcheck: true };
    if (known === undefined) void healthcheckOf(docker, id).then((has) => {
      const current = states.get(id);
      if (has || current === undefined || !current.hasHealthcheck) return;
      current.hasHealthcheck = false;
      delete current.health;
      writeReplicas();
    });
    switch (action) {
      case 'start':
        Object.assign(state, { running: true, paused: false });
        if (state.hasHealthcheck) state.health = 'starting';
        else delete state.health;
        break;
      case 'die':
      case 'stop':
        Object.assign(state, { running: false, paused: false });
        break;
      case 'pause':
        state.paused = true;
        break;
      case 'unpause':
        state.paused = false;
        break;
      case 'health':
        Object.assign(state, { hasHealthcheck: true, health });
        break;
      case 'rename':
        state.name = name;
        break;
    }
    if (action === 'destroy') states.delete(id);
    else states.set(id, state);
    const exitCode = attributes.exitCode !== undefined ? Number(attributes.exitCode) : undefined;
    if (action === 'oom') oomSeen.add(id);
    const oomKilled = action === 'die' && oomSeen.delete(id);
    if (action === 'start') oomSeen.delete(id);
    writer.add({
      t: writer.now(),
      source: 'target',
      kind: 'instance-event',
      subject: name,
      ...(engineTime !== undefined && { engineTime }),
      data: { action, id, ...(exitCode !== undefined && { exitCode }), ...(health !== undefined && { health }), ...(oomKilled && { reason: 'OOMKilled' }) },
    });
    writeReplicas();
  };

  let stream: NodeJS.ReadableStream | undefined;
  const open = async (since?: number): Promise<void> => {
    stream = (await docker.getEvents({ filters: { type: ['container'] }, ...(since !== undefined && { since }) })) as NodeJS.ReadableStream;
    let pending = '';
    stream.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (!line) continue;
        try {
          const event = JSON.parse(line) as DockerEvent;
          if (snapshotDone) apply(event);
          else buffered.push(event);
        } catch {
          // A malformed line from the engine: skip it; observers never break a run.
        }
      }
    });
    stream.on('end', () => {
      if (stopped) return;
      writer.add({ t: writer.now(), source: 'target', kind: 'note', data: { text: 'Docker event stream ended; reconnecting' } });
      setTimeout(() => void open(lastEventSeconds).catch(() => undefined), 200);
    });
    stream.on('error', () => undefined);
  };

  await open();
  const snapshotStartedNs = Date.now() * 1e6;
  const discovery = await discoverContainers(docker, selector, host);
  for (const instance of discovery.instances) {
    states.set(instance.id, { name: instance.name, running: instance.running, paused: false, hasHealthcheck: instance.hasHealthcheck, ...(instance.hasHealthcheck && { health: instance.ready ? 'healthy' : 'starting' }) });
    writer.add({
      t: writer.now(),
      source: 'target',
      kind: 'instance-seen',
      subject: instance.name,
      data: {
        id: instance.id,
        name: instance.name,
        host,
        restartPolicy: instance.restartPolicy ?? 'no',
        ...(instance.maximumRetryCount !== undefined && { maximumRetryCount: instance.maximumRetryCount }),
        ...(instance.restartCount !== undefined && { restartCount: instance.restartCount }),
        hasHealthcheck: instance.hasHealthcheck,
        running: instance.running,
        ready: instance.ready,
      },
    });
  }
  writeReplicas();
  snapshotDone = true;
  for (const event of buffered.splice(0)) if ((event.timeNano ?? 0) >= snapshotStartedNs) apply(event);

  return {
    setDesired: (count) => {
      desired = count;
      writeReplicas();
    },
    stop: async () => {
      stopped = true;
      (stream as unknown as { destroy?: () => void })?.destroy?.();
    },
  };
}

/** Whether the container has a HEALTHCHECK (gone already, or the engine says no: false). */
async function healthcheckOf(docker: Docker, id: string): Promise<boolean> {
  try {
    const info = await docker.getContainer(id).inspect();
    const test = info.Config?.Healthcheck?.Test;
    return Array.isArray(test) && test.length > 0 && test[0] !== 'NONE';
  } catch {
    return false; // removed before we asked: it is not in the count anyway
  }
}
