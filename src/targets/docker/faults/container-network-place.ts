import type Docker from 'dockerode';
import { EnvironmentError } from '../../../common/errors.js';
import { type InstanceNetworkFault, type NetworkFaultScript, networkFaultScript, newHelperId, refusalReasons } from '../../fault-tools/index.js';
import { inspectContainerNetns, runHelperCommand } from '../fault-helpers.js';

/** One container's network namespace, ready for a fault's helper: its script built and checked. */
export interface ContainerNetworkPlace {
  /** The container's id and name. */
  target: string;
  name: string;
  /** When it was started: a restarted container has a new network namespace. */
  startedAt: string;
  helperId: string;
  planned: NetworkFaultScript;
}

/**
 * Looks into the container's network namespace (a read-only helper) and builds the fault's scripts
 * for it: its interface, its declared ports, its peers' addresses. Refuses, touching nothing, when
 * the namespace is the host's, or already holds a root qdisc or a redirect of the port that is not
 * this fault's to make.
 */
export async function containerNetworkPlace(docker: Docker, subject: string, fault: InstanceNetworkFault): Promise<ContainerNetworkPlace> {
  const info = await docker.getContainer(subject).inspect();
  const name = info.Name.replace(/^\//, '');
  const mode = info.HostConfig.NetworkMode ?? '';
  if (mode === 'host') throw new Error(`${name} uses the host's network namespace (network_mode: host): rebound does not change the host's network`);
  const inventory = await inspectContainerNetns(docker, info.Id);
  const device = inventory.defaultDevice ?? 'eth0';
  const declaredPorts = Object.keys(info.Config.ExposedPorts ?? {}).filter((key) => key.endsWith('/tcp')).map((key) => Number(key.split('/')[0]));
  const peerAddresses = fault.name === 'partition' && fault.params.peers?.selector ? await peerAddressesOf(docker, fault.params.peers.selector, info.Id) : undefined;
  const helperId = newHelperId();
  const planned = networkFaultScript(fault, { id: helperId, device, declaredPorts, ...(peerAddresses && { peerAddresses }) });
  if (planned.refusal.shapeDevice !== undefined && inventory.defaultDevice === undefined) {
    throw new Error(`${name} has no default route, so no interface to shape (network mode ${mode || 'default'})`);
  }
  const reasons = refusalReasons(inventory, planned.refusal);
  if (reasons.length > 0) throw new Error(`${fault.name} refuses to touch ${name}, and changed nothing: ${reasons.join('; ')}`);
  if (planned.needsNetem) await requireNetem(docker, fault.name);
  return { target: info.Id, name, startedAt: info.State.StartedAt, helperId, planned };
}

/** Addresses of the running containers with these labels (every network they are on), the subject excluded. */
async function peerAddressesOf(docker: Docker, labels: Record<string, string>, self: string): Promise<string[]> {
  const listed = await docker.listContainers({ filters: { label: Object.entries(labels).map(([key, value]) => `${key}=${value}`) } });
  const addresses = listed
    .filter((container) => container.Id !== self)
    .flatMap((container) => Object.values(container.NetworkSettings?.Networks ?? {}).map((network) => network.IPAddress))
    .filter((address): address is string => typeof address === 'string' && address !== '');
  return [...new Set(addresses)].sort();
}

// The kernel does not change while rebound runs: asked once per engine client.
const netemChecks = new WeakMap<Docker, Promise<string | undefined>>();

/**
 * tc netem exists only where the kernel has sch_netem (this project's 6.18 kernel has not, and
 * loads no modules: `tc qdisc add … netem` → "Error: Specified qdisc kind is unknown."). Asked in a
 * throwaway network namespace of its own (a helper that joins nothing), so nothing of the system
 * is touched; refused with exit 3 when missing.
 */
async function requireNetem(docker: Docker, fault: string): Promise<void> {
  let check = netemChecks.get(docker);
  if (!check) {
    check = runHelperCommand(docker, { join: {}, command: ['tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms'], capabilities: ['NET_ADMIN'] }).then((result) =>
      result.exitCode === 0 ? undefined : (result.stderr.trim() || result.stdout.trim() || `tc exited ${result.exitCode}`),
    );
    check.catch(() => netemChecks.delete(docker));
    netemChecks.set(docker, check);
  }
  const missing = await check;
  if (missing !== undefined) {
    throw new EnvironmentError(`${fault} needs tc netem, and this kernel has no sch_netem (CONFIG_NET_SCH_NETEM): \`tc qdisc add … netem\` answered "${missing}"; nothing was touched`, {
      hint: 'run it on a kernel with sch_netem (most distribution kernels have the module), or use network-delay / network-loss, which work everywhere',
    });
  }
}
