import type { HelperScript } from './helper-script.js';
import { chainName, type IptablesChain, iptablesChain, iptablesChainSteps, removeJumpsScript } from './iptables-chain.js';
import { shellCommand } from './shell-quote.js';

/** A Toxiproxy toxic (https://github.com/Shopify/toxiproxy#toxics); attributes in its own units (ms, KB/s). */
export interface ProxyToxic {
  type: 'latency' | 'bandwidth' | 'timeout' | 'reset_peer' | 'slow_close' | 'slicer' | 'limit_data';
  /** downstream: what the instance answers; upstream: what it receives. Default downstream. */
  stream?: 'downstream' | 'upstream';
  /** Share of connections the toxic applies to, 0–1 (decided per connection). Default 1. */
  toxicity?: number;
  attributes: Record<string, number>;
}

export interface ToxiproxyRedirect {
  /** The helper id: names the iptables chain. */
  id: string;
  /** The instance's port whose new connections go through the proxy. */
  port: number;
  /** Where the proxy listens in the namespace, and its API (127.0.0.1 only). */
  proxyPort: number;
  apiPort: number;
  /** More of the instance's ports, each through its own proxy (same toxics) on its own proxyPort. */
  extraRoutes?: { port: number; proxyPort: number }[];
  toxics: ProxyToxic[];
  /** At a normal end, how long connections already going through the proxy may take to finish (default 1 s). */
  drainMs?: number;
}

const PROXY = 'rebound';

/**
 * Delay and connection faults through Toxiproxy inside the instance's network namespace: the proxy
 * listens on proxyPort and forwards to 127.0.0.1:port; an iptables nat REDIRECT (PREROUTING, so
 * only traffic arriving from outside) sends new connections for `port` to it. No loop: the proxy's
 * own upstream connection is local (OUTPUT, not PREROUTING).
 *
 * Only SYNs are redirected (`--syn`): the nat table sees the first packet conntrack sees of a flow,
 * and a namespace without a nat table tracks nothing, so without --syn the next packet of a
 * connection already open when the rule appears would be redirected mid-stream and reset.
 * Measured: keep-alive connections opened before the fault keep going straight to the app,
 * untouched (and undelayed); connections opened during the fault go through the proxy.
 * At the end (drain): only the jump to the redirect goes first (new connections go straight to the
 * app again), then the proxy gets up to drainMs for the connections still going through it to
 * finish, toxics and all; the chain itself goes after the proxy stopped (remove). Keeping the
 * REDIRECT rule matters: it is what keeps conntrack on in the namespace. Flushing the last nat rule
 * turns conntrack off there, the proxied connections lose their reverse NAT, and their answers
 * reach the client from the proxy's port and are reset — seen here (kernel 6.18) with a plain
 * `nft flush chain` as with iptables -F, for 7 of 8 requests in flight; with only the jump
 * deleted, 8 of 8 were answered. The toxics are not removed from live connections either:
 * Toxiproxy 2.x can hang removing a toxic while data is in it (Shopify/toxiproxy#412, #558).
 */
export function toxiproxyRedirect(redirect: ToxiproxyRedirect): HelperScript {
  const api = `127.0.0.1:${redirect.apiPort}`;
  const cli = (...args: string[]) => shellCommand(['toxiproxy-cli', '-h', api, ...args]);
  const routes = [{ port: redirect.port, proxyPort: redirect.proxyPort }, ...(redirect.extraRoutes ?? [])];
  const proxyName = (index: number) => (index === 0 ? PROXY : `${PROXY}-${routes[index]!.port}`);
  const chainSpec = {
    id: redirect.id,
    table: 'nat',
    from: ['PREROUTING'],
    rules: routes.map((route) => ['-p', 'tcp', '--syn', '--dport', String(route.port), '-j', 'REDIRECT', '--to-ports', String(route.proxyPort)]),
  } satisfies IptablesChain;
  const chain = iptablesChain(chainSpec);
  const steps = iptablesChainSteps(chainSpec);
  const configure = routes.flatMap((route, routeIndex) => [
    cli('create', '-l', `0.0.0.0:${route.proxyPort}`, '-u', `127.0.0.1:${route.port}`, proxyName(routeIndex)),
    ...redirect.toxics.map((toxic, index) =>
      cli(
        'toxic', 'add', '-t', toxic.type, '-n', `rebound-${index}`, (toxic.stream ?? 'downstream') === 'downstream' ? '-d' : '-u',
        '--tox', String(toxic.toxicity ?? 1),
        ...Object.entries(toxic.attributes).flatMap(([key, value]) => ['-a', `${key}=${value}`]),
        proxyName(routeIndex),
      ),
    ),
  ]);
  const drainSteps = Math.ceil((redirect.drainMs ?? 1000) / 20);
  const proxied = routes.map((route) => `sport = :${route.proxyPort}`).join(' or ');
  return {
    serve: {
      command: shellCommand(['env', 'LOG_LEVEL=warn', 'toxiproxy-server', '-host', '127.0.0.1', '-port', String(redirect.apiPort)]),
      ready: cli('list'),
    },
    apply: ['set -e', ...configure, `( ${chain.apply}\n)`].join('\n'),
    // Armed (kind): the proxy and its toxics, and the chain with its REDIRECT rules, while arming,
    // on ports nothing is redirected to yet; at the instant only the jump from PREROUTING (one
    // iptables call), the one step that changes traffic.
    armed: { prepare: ['set -e', ...configure, ...steps.create].join('\n'), fire: ['set -e', ...steps.jumps].join('\n') },
    drain: [
      removeJumpsScript('nat', chainName(redirect.id)),
      `for i in $(seq ${drainSteps}); do [ -z "$(ss -Htn state established '( ${proxied} )')" ] && break; sleep 0.02; done`,
      'true',
    ].join('\n'),
    remove: chain.remove,
  };
}
