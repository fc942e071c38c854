import { REBOUND_IFB, REBOUND_QDISC_HANDLE } from './fault-tools-image.js';
import type { HelperScript } from './helper-script.js';
import { shellCommand, shellQuote } from './shell-quote.js';

export interface TbfShaping {
  /** The instance's interface, e.g. eth0. */
  device: string;
  /** egress: what the instance sends; ingress: what it receives (through an ifb device). */
  direction: 'egress' | 'ingress';
  /** tc rate, e.g. "1mbit". */
  rate: string;
  /** Bucket size, e.g. "32kbit"; at least rate / HZ or tc refuses. */
  burst: string;
  /** Longest a packet may wait in the bucket before it is dropped (tc's latency), default 400ms. */
  latency?: string;
}

const DEVICE = /^[A-Za-z0-9_.@-]{1,15}$/;

/**
 * Bandwidth through tbf, the one shaping qdisc this kernel has (no netem, no prio). Egress: tbf as the
 * root qdisc of the device under rebound's handle. Ingress: an ifb device takes the device's incoming
 * packets (ingress qdisc, u32 match-all, mirred redirect) and shapes them with the same tbf on its
 * egress. Always `tc qdisc add`, never `replace`: a foreign root qdisc makes `add` fail ("NLM_F_REPLACE
 * needed to override"), so the fault fails instead of replacing it. Remove deletes only rebound's handle, and
 * the ingress qdisc only when its filter redirects to rebound's ifb.
 */
export function tbfShaping(shaping: TbfShaping): HelperScript {
  if (!DEVICE.test(shaping.device)) throw new Error(`"${shaping.device}" is not a network device name`);
  const dev = shaping.device;
  const tbf = (on: string) => shellCommand(['tc', 'qdisc', 'add', 'dev', on, 'root', 'handle', REBOUND_QDISC_HANDLE, 'tbf', 'rate', shaping.rate, 'burst', shaping.burst, 'latency', shaping.latency ?? '400ms']);
  if (shaping.direction === 'egress') {
    return {
      apply: tbf(dev),
      remove: [
        `tc qdisc del dev ${shellQuote(dev)} root handle ${REBOUND_QDISC_HANDLE} 2>/dev/null`,
        `! tc qdisc show dev ${shellQuote(dev)} root | grep -q ' ${REBOUND_QDISC_HANDLE} '`,
      ].join('\n'),
    };
  }
  return {
    apply: [
      'set -e',
      shellCommand(['ip', 'link', 'add', REBOUND_IFB, 'type', 'ifb']),
      shellCommand(['ip', 'link', 'set', REBOUND_IFB, 'up']),
      tbf(REBOUND_IFB),
      shellCommand(['tc', 'qdisc', 'add', 'dev', dev, 'handle', 'ffff:', 'ingress']),
      shellCommand(['tc', 'filter', 'add', 'dev', dev, 'parent', 'ffff:', 'protocol', 'all', 'u32', 'match', 'u32', '0', '0', 'action', 'mirred', 'egress', 'redirect', 'dev', REBOUND_IFB]),
    ].join('\n'),
    remove: [
      `if tc filter show dev ${shellQuote(dev)} parent ffff: 2>/dev/null | grep -q 'Redirect to device ${REBOUND_IFB})'; then tc qdisc del dev ${shellQuote(dev)} ingress; fi`,
      `ip link del ${REBOUND_IFB} 2>/dev/null`,
      `! ip link show ${REBOUND_IFB} >/dev/null 2>&1`,
    ].join('\n'),
  };
}
