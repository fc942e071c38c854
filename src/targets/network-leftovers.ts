import Docker from 'dockerode';
import type { NetworkPlace } from '../safety/reliability-figures.js';
import { dockerLeftovers } from './docker/fault-helpers.js';
import { NETNS_INVENTORY_SCRIPT, parseNetnsInventory, reboundLeftovers } from './fault-tools/index.js';
import { KindNodes } from './kubernetes/kind/kind-nodes.js';
import { nodeLeftovers } from './kubernetes/kind/node-leftovers.js';

export interface NetworkLeftovers {
  /** Namespaces looked into (those still there: a removed container or pod took its own with it). */
  namespaces: number;
  /** What is left, one line each: a helper container or unit, a helper directory, a chain or qdisc in a namespace. */
  leftovers: string[];
}

/**
 * What is left of the given network faults on the engines (the reliability figures' places, from
 * the journals): their helper containers and node units, their helper directories, and anything of
 * rebound's (REBOUND-* chains, the 7262: qdisc, the ifb device) in every namespace they touched
 * that still exists. Only these helpers' ids count for containers, units and a node's own shared
 * namespace, so another run's helpers on the same engine are not taken for leftovers.
 */
export async function networkLeftovers(places: readonly NetworkPlace[], docker: Docker = new Docker()): Promise<NetworkLeftovers> {
  const result: NetworkLeftovers = { namespaces: 0, leftovers: [] };
  const ids = new Set(places.map((place) => place.helper));
  const containers = [...new Set(places.flatMap((place) => (place.target === 'docker' ? [place.container] : [])))];
  if (containers.length > 0) {
    const onDocker = await dockerLeftovers(docker, containers);
    result.namespaces += onDocker.namespaces.length;
    result.leftovers.push(...onDocker.helpers.filter((helper) => ids.has(helper.helperId)).map((helper) => `helper container ${helper.name} (${helper.state})`));
    for (const namespace of onDocker.namespaces) result.leftovers.push(...namespace.leftovers.map((item) => `${item} in container ${namespace.target.slice(0, 12)}`));
  }
  const byNode = new Map<string, Extract<NetworkPlace, { target: 'kubernetes' }>[]>();
  for (const place of places) if (place.target === 'kubernetes') byNode.set(place.node, [...(byNode.get(place.node) ?? []), place]);
  const kindNodes = new KindNodes(docker);
  for (const [nodeName, onNode] of byNode) {
    const node = await kindNodes.find(nodeName);
    // A node container that is gone or stopped holds no namespace any more (it gets new ones when it starts).
    if ('missing' in node || node.state !== 'running') continue;
    const netnsFiles = [...new Set(onNode.flatMap((place) => (place.netns !== undefined ? [place.netns] : [])))];
    const found = await nodeLeftovers(kindNodes, node, netnsFiles);
    const mine = (text: string) => [...ids].some((id) => text.includes(id));
    result.leftovers.push(...found.units.filter(mine).map((unit) => `${nodeName}: unit ${unit}`));
    result.leftovers.push(...found.helperDirs.filter(mine).map((dir) => `${nodeName}: helper directory ${dir}`));
    for (const namespace of found.namespaces) {
      if (namespace.inventory) result.namespaces++;
      result.leftovers.push(...namespace.leftovers.map((item) => `${nodeName}: ${item} in ${namespace.netns}`));
    }
    if (onNode.some((place) => place.netns === undefined)) {
      // partition-node: the node's own namespace, shared with kube-proxy and everyone's faults: only our chains count.
      const own = await kindNodes.execScript(node, NETNS_INVENTORY_SCRIPT);
      result.namespaces++;
      result.leftovers.push(...reboundLeftovers(parseNetnsInventory(own.stdout)).filter(mine).map((item) => `${nodeName}: ${item} in the node's own namespace`));
    }
  }
  return result;
}
