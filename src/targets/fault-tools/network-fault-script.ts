import { formatDuration } from '../../common/duration.js';
import { type FaultParams, tcRateBits } from '../../faults/index.js';
import { combineScripts, type HelperScript } from './helper-script.js';
import { chainName, type BuiltinChain, iptablesChain } from './iptables-chain.js';
import type { RefusalQuestion } from './netns-inventory.js';
import { reboundRootQdisc } from './tbf-shaping.js';
import { type ProxyToxic, toxiproxyRedirect } from './toxiproxy-redirect.js';

// What each network fault does inside one instance's network namespace, as the helper's scripts:
// the same text on Docker and on kind, and what `--dry-run` prints. Pure: everything about the
// instance (its interface, its ports, its peers' addresses) comes in as values.

export type InstanceNetworkFaultName = 'network-delay' | 'network-loss' | 'network-bandwidth' | 'partition' | 'connection-fault' | 'network-corrupt' | 'network-duplicate';
export type InstanceNetworkFault = { [K in InstanceNetworkFaultName]: { name: K; params: FaultParams<K> } }[InstanceNetworkFaultName];

export const INSTANCE_NETWORK_FAULTS: readonly InstanceNetworkFaultName[] = ['network-delay', 'network-loss', 'network-bandwidth', 'partition', 'connection-fault', 'network-corrupt', 'network-duplicate'];

export function isInstanceNetworkFault(fault: { name: string }): fault is InstanceNetworkFault {
  return (INSTANCE_NETWORK_FAULTS as readonly string[]).includes(fault.name);
}

/** Where in the instance the fault goes. */
export interface NetworkPlace {
  /** The helper's id: names its chains (REBOUND-<id>-in / -out, REBOUND-<id> for the proxy's nat chain). */
  id: string;
  /** The interface of the namespace's default route: eth0 in a Docker container or a kind pod. */
  device: string;
  /** The ports the instance declares (EXPOSE, containerPort): the default of `ports`. */
  declaredPorts: readonly number[];
  /** partition with peers: the peers' addresses, resolved when the fault starts. */
  peerAddresses?: readonly string[];
}

/** Toxiproxy in the namespace: its API, and per port where its proxy listens. */
export interface ProxySettings {
  api: string;
  routes: { port: number; listen: string; upstream: string }[];
  toxics: ProxyToxic[];
}

export interface NetworkFaultScript {
  script: HelperScript;
  /** The mechanism in a few words, e.g. "iptables chain REBOUND-rb12 (filter INPUT)". */
  mechanism: string;
  /** What the traffic shows while it lasts, for the report and the verdicts' explanations. */
  effect: string;
  /** What must not be there already (a foreign root qdisc, a foreign redirect of the port). */
  refusal: RefusalQuestion;
  /** The kernel needs tc netem: checked before anything is applied. */
  needsNetem: boolean;
  proxy?: ProxySettings;
}

/** Toxiproxy's API port and its first proxy port in the instance's namespace ("rb" = 0x7262 → 17262). */
export const PROXY_API_PORT = 17261;
export const PROXY_FIRST_PORT = 17262;

const ms = (value: number) => Math.round(value);
const percentText = (percent: number) => `${Number(percent.toFixed(3))} %`;
/** iptables statistic takes a probability with at most 6 decimals here. */
const probability = (percent: number) => String(Number((percent / 100).toFixed(6)));

export function networkFaultScript(fault: InstanceNetworkFault, place: NetworkPlace): NetworkFaultScript {
  switch (fault.name) {
    case 'network-delay':
      return fault.params.mechanism === 'netem' ? netemDelay(fault.params, place) : proxyDelay(fault.params, place);
    case 'connection-fault':
      return connectionFault(fault.params, place);
    case 'network-loss':
      return loss(fault.params, place);
    case 'partition':
      return partition(fault.params, place);
    case 'network-bandwidth':
      return bandwidth(fault.params, place);
    case 'network-corrupt':
    case 'network-duplicate':
      return netemPackets(fault.name === 'network-corrupt' ? 'corrupt' : 'duplicate', fault.name === 'network-corrupt' ? fault.params.corrupt : fault.params.duplicate, place);
  }
}

function portsOf(params: { ports?: number[] | undefined }, place: NetworkPlace, fault: string): number[] {
  const ports = params.ports ?? [...place.declaredPorts];
  if (ports.length === 0) throw new Error(`${fault} goes through a proxy on the instance's ports, and this instance declares none (no EXPOSE / containerPort): give them in ${fault}.ports, e.g. ports: [8080]`);
  return ports;
}

function proxied(id: string, ports: readonly number[], toxics: ProxyToxic[]): { script: HelperScript; proxy: ProxySettings; mechanism: string } {
  const routes = ports.map((port, index) => ({ port, proxyPort: PROXY_FIRST_PORT + index }));
  const script = toxiproxyRedirect({ id, port: routes[0]!.port, proxyPort: routes[0]!.proxyPort, apiPort: PROXY_API_PORT, toxics, extraRoutes: routes.slice(1) });
  const proxy: ProxySettings = {
    api: `127.0.0.1:${PROXY_API_PORT}`,
    routes: routes.map((route) => ({ port: route.port, listen: `0.0.0.0:${route.proxyPort}`, upstream: `127.0.0.1:${route.port}` })),
    toxics,
  };
  const mechanism = `Toxiproxy in the namespace (API ${proxy.api}; ${proxy.routes.map((route) => `${route.listen} → ${route.upstream}`).join(', ')}), new connections redirected to it by iptables nat ${chainName(id)} (PREROUTING, REDIRECT --syn)`;
  return { script, proxy, mechanism };
}

const NEW_CONNECTIONS_ONLY = 'connections opened before the fault keep going straight to the app, untouched';

function proxyDelay(params: FaultParams<'network-delay'>, place: NetworkPlace): NetworkFaultScript {
  const ports = portsOf(params, place, 'network-delay');
  const streams: ('downstream' | 'upstream')[] = params.direction === 'both' ? ['downstream', 'upstream'] : [params.direction === 'egress' ? 'downstream' : 'upstream'];
  const toxics: ProxyToxic[] = streams.map((stream) => ({ type: 'latency', stream, attributes: { latency: ms(params.delay), jitter: ms(params.jitter) } }));
  const { script, proxy, mechanism } = proxied(place.id, ports, toxics);
  const jitter = params.jitter > 0 ? ` ± ${formatDuration(params.jitter)}` : '';
  const what = params.direction === 'both' ? 'each way' : params.direction === 'egress' ? 'on what the instance sends' : 'on what the instance receives';
  return {
    script,
    proxy,
    mechanism,
    effect: `new connections to port ${ports.join(', ')} get ${formatDuration(params.delay)}${jitter} ${what}; ${NEW_CONNECTIONS_ONLY} (a keep-alive client sees no delay on them)`,
    refusal: { redirectPorts: ports },
    needsNetem: false,
  };
}

function connectionFault(params: FaultParams<'connection-fault'>, place: NetworkPlace): NetworkFaultScript {
  const ports = portsOf(params, place, 'connection-fault');
  const toxicity = Number((params.share / 100).toFixed(4));
  const toxic: ProxyToxic =
    params.mode === 'reset'
      ? { type: 'reset_peer', stream: 'upstream', toxicity, attributes: { timeout: ms(params.after) } }
      : params.mode === 'timeout'
        ? { type: 'timeout', stream: 'upstream', toxicity, attributes: { timeout: ms(params.after) } }
        : { type: 'slow_close', stream: 'downstream', toxicity, attributes: { delay: ms(params.delay) } };
  const { script, proxy, mechanism } = proxied(place.id, ports, [toxic]);
  const share = `${percentText(params.share)} of new connections to port ${ports.join(', ')}`;
  const what =
    params.mode === 'reset'
      ? `are reset (ECONNRESET) ${params.after > 0 ? `${formatDuration(params.after)} after the request arrives` : 'as soon as the request arrives'}`
      : params.mode === 'timeout'
        ? `are accepted and never answered (clients time out)${params.after > 0 ? `, closed after ${formatDuration(params.after)}` : ''}`
        : `are answered, but their close is held back ${formatDuration(params.delay)}`;
  return { script, proxy, mechanism, effect: `${share} ${what}; the others are answered; ${NEW_CONNECTIONS_ONLY}`, refusal: { redirectPorts: ports }, needsNetem: false };
}

/** Matches for each direction: peers by address, ports of the instance (TCP and UDP). */
function matchesOf(direction: 'ingress' | 'egress', peers: readonly string[], ports: readonly number[] | undefined): string[][] {
  const byPeer = peers.length > 0 ? peers.map((address) => [direction === 'ingress' ? '-s' : '-d', address]) : [[]];
  const byPort = ports ? ['tcp', 'udp'].map((protocol) => ['-p', protocol, '-m', 'multiport', direction === 'ingress' ? '--dports' : '--sports', ports.join(',')]) : [[]];
  return byPeer.flatMap((peer) => byPort.map((port) => [...peer, ...port]));
}

const DIRECTIONS = { ingress: { from: 'INPUT', suffix: 'in' }, egress: { from: 'OUTPUT', suffix: 'out' } } as const satisfies Record<string, { from: BuiltinChain; suffix: string }>;

/** One filter chain per direction (INPUT and OUTPUT need their own: a chain cannot tell who jumped to it), loopback exempt. */
function filterChains(id: string, direction: 'ingress' | 'egress' | 'both', rulesFor: (direction: 'ingress' | 'egress') => string[][]): { script: HelperScript; chains: string[] } {
  const directions = direction === 'both' ? (['ingress', 'egress'] as const) : [direction];
  const chains = directions.map((which) => ({ which, id: `${id}-${DIRECTIONS[which].suffix}` }));
  const script = combineScripts(...chains.map(({ which, id: chainId }) => iptablesChain({ id: chainId, from: [DIRECTIONS[which].from], rules: rulesFor(which), exemptLoopback: true })));
  return { script, chains: chains.map(({ which, id: chainId }) => `${chainName(chainId)} (filter ${DIRECTIONS[which].from})`) };
}

function loss(params: FaultParams<'network-loss'>, place: NetworkPlace): NetworkFaultScript {
  const statistic = ['-m', 'statistic', '--mode', 'random', '--probability', probability(params.loss), '-j', 'DROP'];
  const { script, chains } = filterChains(place.id, params.direction, (direction) => matchesOf(direction, [], params.ports).map((match) => [...match, ...statistic]));
  const where = params.ports ? ` of port ${params.ports.join(', ')}` : '';
  const which = params.direction === 'both' ? 'both ways' : params.direction === 'ingress' ? 'that the instance receives' : 'that the instance sends';
  return {
    script,
    mechanism: `iptables ${chains.join(', ')}: -m statistic --mode random --probability ${probability(params.loss)} -j DROP`,
    effect:
      `${percentText(params.loss)} of the packets${where} ${which} are dropped at random; TCP sends the lost ones again (a lost SYN or SYN-ACK after 1 s, then 3 s; later losses after ≥ 200 ms), ` +
      'so requests mostly come late or time out rather than fail at once, and a probe timeout counts the slow ones as failed',
    refusal: {},
    needsNetem: false,
  };
}

function partition(params: FaultParams<'partition'>, place: NetworkPlace): NetworkFaultScript {
  const peers = [...(place.peerAddresses ?? []), ...(params.peers?.cidrs ?? [])];
  if (params.peers !== undefined && peers.length === 0) {
    throw new Error(`partition.peers matched no address (no running peer with labels ${JSON.stringify(params.peers.selector ?? {})}): nothing to cut`);
  }
  const ending = (match: readonly string[]): string[][] => {
    if (params.action === 'drop') return [[...match, '-j', 'DROP']];
    if (match.includes('-p')) return [[...match, '-j', 'REJECT', ...(match.includes('tcp') ? ['--reject-with', 'tcp-reset'] : [])]];
    // Without a protocol: TCP gets a reset (the client's connect fails at once), the rest ICMP port unreachable.
    return [[...match, '-p', 'tcp', '-j', 'REJECT', '--reject-with', 'tcp-reset'], [...match, '-j', 'REJECT']];
  };
  const { script, chains } = filterChains(place.id, params.direction, (direction) => matchesOf(direction, peers, params.ports).flatMap(ending));
  const scope = [
    ...(params.ports ? [`port ${params.ports.join(', ')}`] : []),
    ...(peers.length > 0 ? [`with ${peers.join(', ')}`] : []),
  ];
  const what = params.direction === 'both' ? 'in and out' : params.direction === 'ingress' ? 'to the instance' : 'from the instance';
  const how = params.action === 'drop' ? 'dropped: clients and the instance time out (SYNs retransmitted after 1 s, 3 s, …)' : 'rejected: TCP connections are reset at once, other traffic gets ICMP port unreachable';
  return {
    script,
    mechanism: `iptables ${chains.join(', ')}: ${params.action.toUpperCase()}, loopback exempt`,
    effect: `traffic ${what}${scope.length > 0 ? ` (${scope.join(', ')})` : ''} is ${how}; loopback (the instance's own health checks inside it, Docker's DNS) still works`,
    refusal: {},
    needsNetem: false,
  };
}

/** The empty chain that marks rebound's qdisc (or ifb) in the namespace as this helper's (see reboundRootQdisc). */
function qdiscOwner(id: string, direction: 'egress' | 'ingress'): string {
  return chainName(`${id}-q${direction === 'egress' ? 'e' : 'i'}`);
}

/** tbf burst when none is given: 10 ms at `rate`, at least 32 kbit (4000 bytes, more than one full packet). */
export function defaultBurst(rateBits: number): string {
  return String(Math.max(4000, Math.ceil(rateBits / 8 / 100)));
}

function bandwidth(params: FaultParams<'network-bandwidth'>, place: NetworkPlace, rateBits = tcRateBits(params.rate) ?? 1e6): NetworkFaultScript {
  const burst = params.burst ?? defaultBurst(rateBits);
  const directions = params.direction === 'both' ? (['egress', 'ingress'] as const) : [params.direction];
  const script = combineScripts(...directions.map((direction) => reboundRootQdisc(place.device, direction, ['tbf', 'rate', params.rate, 'burst', burst, 'latency', '400ms'], qdiscOwner(place.id, direction))));
  const where = directions.map((direction) => (direction === 'egress' ? `${place.device} egress` : `${place.device} ingress through ifb rebound-ifb`)).join(' and ');
  return {
    script,
    mechanism: `tc tbf rate ${params.rate} burst ${burst} latency 400ms as root qdisc 7262: on ${where}`,
    effect: `the instance ${params.direction === 'both' ? 'sends and receives' : params.direction === 'egress' ? 'sends' : 'receives'} at most ${params.rate} on ${place.device}: 1 MiB takes at least ${(8 * 1024 ** 2 / rateBits).toFixed(1)} s`,
    refusal: { shapeDevice: place.device, shapeDirection: params.direction },
    needsNetem: false,
  };
}

function netemDelay(params: FaultParams<'network-delay'>, place: NetworkPlace): NetworkFaultScript {
  if (params.ports !== undefined) throw new Error('network-delay with mechanism: netem delays every packet of the interface: remove ports, or use mechanism: proxy');
  const args = ['netem', 'delay', `${ms(params.delay)}ms`, ...(params.jitter > 0 ? [`${ms(params.jitter)}ms`] : [])];
  const directions = params.direction === 'both' ? (['egress', 'ingress'] as const) : [params.direction];
  return {
    script: combineScripts(...directions.map((direction) => reboundRootQdisc(place.device, direction, args, qdiscOwner(place.id, direction)))),
    mechanism: `tc ${args.join(' ')} as root qdisc 7262: on ${place.device} (${directions.join(' and ')})`,
    effect: `every packet ${params.direction === 'both' ? 'each way' : params.direction === 'egress' ? 'the instance sends' : 'the instance receives'} waits ${formatDuration(params.delay)}, open connections included`,
    refusal: { shapeDevice: place.device, shapeDirection: params.direction },
    needsNetem: true,
  };
}

function netemPackets(kind: 'corrupt' | 'duplicate', percent: number, place: NetworkPlace): NetworkFaultScript {
  const args = ['netem', kind, `${Number(percent.toFixed(3))}%`];
  return {
    script: reboundRootQdisc(place.device, 'egress', args, qdiscOwner(place.id, 'egress')),
    mechanism: `tc ${args.join(' ')} as root qdisc 7262: on ${place.device}`,
    effect: `${percentText(percent)} of the packets the instance sends are ${kind === 'corrupt' ? 'corrupted (TCP drops them on the checksum and sends them again)' : 'sent twice (TCP discards the copies)'}`,
    refusal: { shapeDevice: place.device, shapeDirection: 'egress' },
    needsNetem: true,
  };
}

/** The kubelet's port, where the API server reaches it (logs, exec, metrics). */
export const KUBELET_PORT = 10250;

/**
 * partition-node, in the node's own network namespace: chain -out (jumped to from OUTPUT and, for
 * its pods' traffic, FORWARD) cuts the way to the API server's addresses, chain -in (INPUT) the way
 * from them to the kubelet. Nothing else: pod-to-pod traffic goes on.
 */
export function nodePartitionScript(id: string, servers: readonly { ip: string; port: number }[], action: 'drop' | 'reject'): HelperScript {
  const verdict = action === 'drop' ? ['-j', 'DROP'] : ['-j', 'REJECT', '--reject-with', 'tcp-reset'];
  const ips = [...new Set(servers.map((server) => server.ip))];
  return combineScripts(
    iptablesChain({ id: `${id}-out`, from: ['OUTPUT', 'FORWARD'], rules: servers.map((server) => ['-d', server.ip, '-p', 'tcp', '--dport', String(server.port), ...verdict]) }),
    iptablesChain({ id: `${id}-in`, from: ['INPUT'], rules: ips.map((ip) => ['-s', ip, '-p', 'tcp', '--dport', String(KUBELET_PORT), ...verdict]) }),
  );
}
