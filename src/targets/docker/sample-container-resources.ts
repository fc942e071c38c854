import { readFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import { sleep } from '../../common/clock.js';
import type { TimelineWriter } from '../../timeline/timeline.js';
import { cgroupFilePaths, parseCgroupFiles, resourceSampleData } from '../fault-tools/index.js';
import type { Observation } from '../target.js';
import { engineIsLocal } from './docker-client.js';

/** Twice a second: enough to see throttling start and stop, cheap enough to run beside the faults (a few file reads). */
export const RESOURCE_SAMPLE_MS = 500;

/**
 * Samples the named containers' cgroups into resource-sample entries, from the files themselves
 * (cpuacct.usage, cpu.stat, memory.usage_in_bytes, the limits): the engine's stats API gives the
 * same numbers once a second at best, these files at any rate, and they are what the kernel
 * throttles by. A container's cgroup keeps its path across restarts (it is named after the
 * container id), so the paths are found once, from its main process; a container that is down has
 * no cgroup and gives no sample. Needs the engine on this machine (its /sys/fs/cgroup).
 */
export function sampleContainerResources(docker: Docker, names: readonly string[], writer: TimelineWriter, forMs: number): Observation {
  if (!engineIsLocal()) {
    writer.add({ t: writer.now(), source: 'target', kind: 'note', data: { text: `no resource samples: they are read from the cgroup files of the Docker host, and the engine is at ${process.env.DOCKER_HOST}` } });
    return { stop: async () => undefined };
  }
  const stop = new AbortController();
  const paths = new Map<string, Record<string, string>>();
  const started = performance.now();
  const loop = (async () => {
    while (!stop.signal.aborted && performance.now() - started < forMs) {
      const tick = performance.now();
      await Promise.all(names.map((name) => sampleOnce(docker, name, paths, writer)));
      await sleep(Math.max(0, RESOURCE_SAMPLE_MS - (performance.now() - tick)), stop.signal);
    }
  })();
  return {
    stop: async () => {
      stop.abort();
      await loop;
    },
  };
}

async function sampleOnce(docker: Docker, name: string, paths: Map<string, Record<string, string>>, writer: TimelineWriter): Promise<void> {
  try {
    let files = paths.get(name);
    if (files === undefined) {
      const pid = (await docker.getContainer(name).inspect()).State.Pid;
      if (!(pid > 0)) return;
      files = cgroupFilePaths(await readFile(`/proc/${pid}/cgroup`, 'utf8'));
      if (Object.keys(files).length === 0) return;
      paths.set(name, files);
    }
    const t = writer.now();
    const contents = await Promise.all(Object.entries(files).map(async ([file, path]) => [file, await readFile(path, 'utf8').catch(() => undefined)] as const));
    const reading = parseCgroupFiles(Object.fromEntries(contents.filter((entry): entry is readonly [string, string] => entry[1] !== undefined)));
    if (reading === undefined) return;
    writer.add({
      t,
      source: 'target',
      kind: 'resource-sample',
      subject: name,
      data: resourceSampleData(reading),
    });
  } catch {
    // Gone or not running (no process to find its cgroup from): no sample this time. Observers never break a run.
  }
}
