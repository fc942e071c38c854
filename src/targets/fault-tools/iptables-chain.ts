import { REBOUND_CHAIN_PREFIX } from './fault-tools-image.js';
import { assertHelperId } from './helper-id.js';
import type { HelperScript } from './helper-script.js';
import { shellCommand, shellQuote } from './shell-quote.js';

export type IptablesTable = 'filter' | 'nat' | 'mangle';
export type BuiltinChain = 'INPUT' | 'OUTPUT' | 'FORWARD' | 'PREROUTING' | 'POSTROUTING';

export interface IptablesChain {
  /** The helper id: the chain is REBOUND-<id>. */
  id: string;
  table?: IptablesTable;
  /** Built-in chains that jump to rebound's chain (inserted first, so nothing before them decides). */
  from: BuiltinChain[];
  /** The chain's rules as argument arrays, e.g. ['-p', 'tcp', '--dport', '8080', '-j', 'DROP']. */
  rules: string[][];
  /**
   * Leave loopback traffic alone (RETURN for lo, both ways): a partition of the instance must not
   * cut its own localhost, Docker's DNS at 127.0.0.11, or a proxy's upstream on 127.0.0.1.
   */
  exemptLoopback?: boolean;
}

export function chainName(id: string): string {
  return `${REBOUND_CHAIN_PREFIX}${assertHelperId(id)}`;
}

/**
 * A chain of rebound's own, jumped to from built-in chains. Removal goes by name, never by rule
 * number: every rule that jumps to the chain (found in iptables-save) is deleted, then the chain is
 * flushed and deleted, so a rule someone inserted meanwhile never shifts what is removed.
 * `iptables` is whichever backend the namespace's tools default to: iptables-nft in the fault-tools
 * image and the kind nodes, which is also what Docker (DNS rules in user-defined networks) uses here.
 */
export function iptablesChain(chain: IptablesChain): HelperScript {
  const { create, jumps, remove } = iptablesChainSteps(chain);
  return { apply: ['set -e', ...create, ...jumps].join('\n'), remove };
}

/**
 * The chain's apply in two steps: `create` (the chain and its rules: no packet reaches them yet)
 * and `jumps` (the jumps from the built-in chains: from then on the rules are in effect), so that
 * a helper armed ahead of its instant can do the first and leave only the jumps for the instant.
 */
export function iptablesChainSteps(chain: IptablesChain): { create: string[]; jumps: string[]; remove: string } {
  const name = chainName(chain.id);
  const table = chain.table ?? 'filter';
  const ipt = (...args: string[]) => shellCommand(['iptables', '-w', '-t', table, ...args]);
  const loopback = chain.exemptLoopback ? [['-i', 'lo', '-j', 'RETURN'], ['-o', 'lo', '-j', 'RETURN']] : [];
  return {
    create: [ipt('-N', name), ...[...loopback, ...chain.rules].map((rule) => ipt('-A', name, ...rule))],
    jumps: chain.from.map((from) => ipt('-I', from, '1', '-j', name)),
    remove: removeChainScript(table, name),
  };
}

/** Deletes every rule that jumps to rebound's chain `name` (found in iptables-save), leaving the chain. */
export function removeJumpsScript(table: IptablesTable, name: string): string {
  const t = shellQuote(table);
  return [
    `iptables-save -t ${t} 2>/dev/null | awk -v c=${shellQuote(name)} '$1 == "-A" && $0 ~ (" -j " c "( |$)")' | sed 's/^-A /-D /' |`,
    `  while read -r rule; do eval "iptables -w -t ${t} $rule"; done`,
  ].join('\n');
}

/** Removes rebound's chain `name` in `table` and every jump to it; exit 0 iff it is gone. */
export function removeChainScript(table: IptablesTable, name: string): string {
  const t = shellQuote(table);
  const n = shellQuote(name);
  return [
    removeJumpsScript(table, name),
    `iptables -w -t ${t} -F ${n} 2>/dev/null`,
    `iptables -w -t ${t} -X ${n} 2>/dev/null`,
    `! iptables -w -t ${t} -S ${n} >/dev/null 2>&1`,
  ].join('\n');
}
