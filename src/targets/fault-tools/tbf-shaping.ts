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
  return reboundRootQdisc(shaping.device, shaping.direction, ['tbf', 'rate', shaping.rate, 'burst', shaping.burst, 'latency', shaping.latency ?? '400ms']);
}

/**
 * A root qdisc of rebound's own (handle 7262:) given as tc arguments, e.g. ['tbf', 'rate', …] or
 * ['netem', 'delay', '100ms']: on the device's egress, or on ingress through rebound's ifb device.
 *
 * `owner`: the name of an empty iptables chain that marks the qdisc as this helper's. Two faults
 * cannot both hold handle 7262: (or the one ifb device), and the driver runs `remove` after a
 * failed `apply`: without the mark, a fault whose `tc qdisc add` failed because another fault's
 * qdisc is there would remove that other fault's. The mark is made first and dropped when the
 * claiming step fails; `remove` touches the qdisc only while the mark is there.
 */
export function reboundRootQdisc(device: string, direction: 'egress' | 'ingress', qdisc: readonly string[], owner?: string): HelperScript {
  if (!DEVICE.test(device)) throw new Error(`"${device}" is not a network device name`);
  const dev = device;
  const root = (on: string) => shellCommand(['tc', 'qdisc', 'add', 'dev', on, 'root', 'handle', REBOUND_QDISC_HANDLE, ...qdisc]);
  const mark = owner === undefined ? undefined : shellQuote(owner);
  const claim = (command: string) => (mark === undefined ? command : `${command} || { iptables -w -X ${mark}; exit 1; }`);
  const owned = (script: HelperScript): HelperScript =>
    mark === undefined
      ? script
      : {
          apply: [`iptables -w -N ${mark}`, script.apply].join('\n'),
          remove: [`if iptables -w -S ${mark} >/dev/null 2>&1; then`, `( ${script.remove}\n) || exit 1`, `iptables -w -X ${mark}`, 'fi'].join('\n'),
        };
  if (direction === 'egress') {
    return owned({
      apply: claim(root(dev)),
      remove: [
        `tc qdisc del dev ${shellQuote(dev)} root handle ${REBOUND_QDISC_HANDLE} 2>/dev/null`,
        `! tc qdisc show dev ${shellQuote(dev)} root | grep -q ' ${REBOUND_QDISC_HANDLE} '`,
      ].join('\n'),
    });
  }
  return owned({
    apply: [
      'set -e',
      claim(shellCommand(['ip', 'link', 'add', REBOUND_IFB, 'type', 'ifb'])),
      shellCommand(['ip', 'link', 'set', REBOUND_IFB, 'up']),
      root(REBOUND_IFB),
      shellCommand(['tc', 'qdisc', 'add', 'dev', dev, 'handle', 'ffff:', 'ingress']),
      shellCommand(['tc', 'filter', 'add', 'dev', dev, 'parent', 'ffff:', 'protocol', 'all', 'u32', 'match', 'u32', '0', '0', 'action', 'mirred', 'egress', 'redirect', 'dev', REBOUND_IFB]),
    ].join('\n'),
    remove: [
      `if tc filter show dev ${shellQuote(dev)} parent ffff: 2>/dev/null | grep -q 'Redirect to device ${REBOUND_IFB})'; then tc qdisc del dev ${shellQuote(dev)} ingress; fi`,
      `ip link del ${REBOUND_IFB} 2>/dev/null`,
      `! ip link show ${REBOUND_IFB} >/dev/null 2>&1`,
    ].join('\n'),
  });
}
