import { readdir, readFile } from 'node:fs/promises';
import Docker from 'dockerode';
import type { EngineLeftovers, JournalledHelper } from '../safety/reliability-figures.js';
import { listHelperContainers } from './docker/helper-leftovers.js';
import { KIND_CLUSTER_LABEL, KindNodes } from './kubernetes/kind/kind-nodes.js';
import { NODE_HELPER_UNIT_PREFIX } from './kubernetes/kind/node-helper.js';

/**
 * What is left on this machine of the given helpers (the reliability figures' journalled helpers):
 * Docker helper containers rebound-helper-<id>, units rebound-helper-<id>.service in the kind nodes
 * of this engine, and every process whose cgroup is one of theirs — read from the host's /proc, which
 * sees the processes of helper containers and of kind nodes alike. Only these ids count, so helpers
 * of other runs on the same engine (another suite, a game day) are not mistaken for leftovers.
 */
export async function helperLeftovers(helpers: readonly JournalledHelper[], docker: Docker = new Docker()): Promise<EngineLeftovers> {
  const ids = new Set(helpers.map((helper) => helper.id));
  const leftovers: EngineLeftovers = { containers: [], units: [], processes: [] };
  if (ids.size === 0) return leftovers;
  const containers = (await listHelperContainers(docker)).filter((container) => ids.has(container.helperId));
  leftovers.containers = containers.map((container) => `${container.name} (${container.state})`);
  if (helpers.some((helper) => helper.target === 'kubernetes')) leftovers.units = await nodeUnits(docker, ids);
  const marks = [...containers.map((container) => container.containerId), ...[...ids].map((id) => `${NODE_HELPER_UNIT_PREFIX}${id}.service`)];
  leftovers.processes = await processesIn(marks);
  return leftovers;
}

async function nodeUnits(docker: Docker, ids: ReadonlySet<string>): Promise<string[]> {
  const kindNodes = new KindNodes(docker);
  const nodes = await docker.listContainers({ filters: { label: [KIND_CLUSTER_LABEL], status: ['running'] } });
  const units: string[] = [];
  for (const container of nodes) {
    const name = (container.Names[0] ?? container.Id).replace(/^\//, '');
    const node = await kindNodes.find(name);
    if ('missing' in node) continue;
    const result = await kindNodes.execScript(node, `systemctl list-units '${NODE_HELPER_UNIT_PREFIX}*' --all --plain --no-legend 2>/dev/null | awk '{ print $1, $3, $4 }'`);
    for (const line of result.stdout.split('\n').filter(Boolean)) {
      const id = /^rebound-helper-(\S+)\.service /.exec(line)?.[1];
      if (id !== undefined && ids.has(id)) units.push(`${name}: ${line}`);
    }
  }
  return units;
}

/** "<pid> <command>" of every process on this machine whose /proc/<pid>/cgroup mentions one of `marks`. */
async function processesIn(marks: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    // A process that ended meanwhile has no files left to read: it is not a leftover.
    const cgroup = await readFile(`/proc/${entry}/cgroup`, 'utf8').catch(() => '');
    if (!marks.some((mark) => cgroup.includes(mark))) continue;
    const command = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ').trim();
    found.push(`${entry} ${command.slice(0, 160)}`);
  }
  return found;
}

