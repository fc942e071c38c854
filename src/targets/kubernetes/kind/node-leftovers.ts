import { NETNS_INVENTORY_SCRIPT, type NetnsInventory, parseNetnsInventory, reboundLeftovers, shellQuote } from '../../fault-tools/index.js';
import type { KindNode, KindNodes } from './kind-nodes.js';
import { NODE_HELPER_DIR, NODE_HELPER_UNIT_PREFIX } from './node-helper.js';

export interface NodeLeftovers {
  node: string;
  /** rebound-helper-* units still loaded (running, failed, …): "name active sub". */
  units: string[];
  /** Processes of rebound's helper units (driver, stress-ng, toxiproxy): "pid command line". */
  processes: string[];
  /** Helper directories under /run/rebound/helpers that no unit removed. */
  helperDirs: string[];
  /** Per network namespace file: what of rebound's is still in it ([] for a namespace that is gone). */
  namespaces: { netns: string; leftovers: string[]; inventory?: NetnsInventory }[];
}

// Only processes whose cgroup names a rebound helper unit count: a pod of the user's may run
// stress-ng too. A stress process that joined a pod's cgroups keeps its name=systemd cgroup (the
// unit's), so it is still found (see joinCgroupsScript).
function leftoverScript(netnsFiles: readonly string[]): string {
  return [
    "echo '#node:units'",
    `systemctl list-units ${shellQuote(`${NODE_HELPER_UNIT_PREFIX}*`)} --all --plain --no-legend 2>/dev/null | awk '{ print $1, $3, $4 }'`,
    "echo '#node:processes'",
    `for p in $(pgrep -f 'rebound-fault|stress-ng|toxiproxy-server'); do grep -qs ${shellQuote(NODE_HELPER_UNIT_PREFIX)} /proc/$p/cgroup && echo "$p $(tr '\\0\\n' '  ' < /proc/$p/cmdline 2>/dev/null | cut -c1-200)"; done; true`,
    "echo '#node:dirs'",
    `ls ${NODE_HELPER_DIR} 2>/dev/null; true`,
    ...netnsFiles.flatMap((file) => [
      `echo ${shellQuote(`#node:netns ${file}`)}`,
      `if [ -e ${shellQuote(file)} ]; then nsenter --net=${shellQuote(file)} bash -c ${shellQuote(NETNS_INVENTORY_SCRIPT)}; fi`,
    ]),
    "echo '#node:end'",
  ].join('\n');
}

/**
 * What rebound left in a kind node, for the reliability figures and `recover`: helper units and
 * their processes, helper directories, and rebound's chains / qdiscs in the given pod network
 * namespaces (read-only).
 */
export async function nodeLeftovers(kindNodes: KindNodes, node: KindNode, netnsFiles: readonly string[] = []): Promise<NodeLeftovers> {
  const result = await kindNodes.execScript(node, leftoverScript(netnsFiles), { timeoutMs: 30_000 });
  if (!result.stdout.includes('#node:end')) throw new Error(`listing rebound's leftovers in node ${node.name} failed (exit ${result.exitCode}): ${result.stderr.trim()}`);
  const leftovers: NodeLeftovers = { node: node.name, units: [], processes: [], helperDirs: [], namespaces: [] };
  let section = '';
  let netns = '';
  let chunk: string[] = [];
  const closeNetns = () => {
    if (section !== 'netns') return;
    if (chunk.length === 0) leftovers.namespaces.push({ netns, leftovers: [] });
    else {
      const inventory = parseNetnsInventory(chunk.join('\n'));
      leftovers.namespaces.push({ netns, leftovers: reboundLeftovers(inventory), inventory });
    }
  };
  for (const line of result.stdout.split('\n')) {
    const marker = /^#node:(\w+)(?: (.*))?$/.exec(line);
    if (marker) {
      closeNetns();
      section = marker[1]!;
      netns = marker[2] ?? '';
      chunk = [];
      continue;
    }
    if (line.trim() === '') continue;
    if (section === 'units') leftovers.units.push(line.trim());
    else if (section === 'processes') leftovers.processes.push(line.trim());
    else if (section === 'dirs') leftovers.helperDirs.push(line.trim());
    else if (section === 'netns') chunk.push(line);
  }
  return leftovers;
}

/** Everything in NodeLeftovers as one list of findings ([] = nothing left). */
export function nodeLeftoverList(leftovers: NodeLeftovers): string[] {
  return [
    ...leftovers.units.map((unit) => `unit ${unit}`),
    ...leftovers.processes.map((process) => `process ${process}`),
    ...leftovers.helperDirs.map((dir) => `helper directory ${NODE_HELPER_DIR}/${dir}`),
    ...leftovers.namespaces.flatMap((namespace) => namespace.leftovers.map((item) => `${item} in ${namespace.netns}`)),
  ].map((item) => `${leftovers.node}: ${item}`);
}
