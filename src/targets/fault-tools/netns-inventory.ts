import { REBOUND_CHAIN_PREFIX, REBOUND_IFB, REBOUND_QDISC_HANDLE } from './fault-tools-image.js';

// What is in one network namespace, read without changing it: `iptables-nft-save` and `tc … show`
// create nothing, and iptables-legacy is asked only when legacy tables already exist
// (/proc/net/ip_tables_names) — any iptables-legacy call, even a listing, would instantiate its
// filter table in the namespace (seen here: afterwards iptables-nft warns "iptables-legacy tables present").
export const NETNS_INVENTORY_SCRIPT = [
  "echo '#rebound:iptables-nft'; iptables-nft-save 2>/dev/null",
  "echo '#rebound:legacy-tables'; cat /proc/net/ip_tables_names 2>/dev/null",
  "echo '#rebound:iptables-legacy'; if [ -n \"$(cat /proc/net/ip_tables_names 2>/dev/null)\" ]; then iptables-legacy-save 2>/dev/null; fi",
  "echo '#rebound:qdiscs'; tc qdisc show 2>/dev/null",
  "echo '#rebound:ingress-filters'; for d in $(ls /sys/class/net); do tc filter show dev \"$d\" parent ffff: 2>/dev/null | sed \"s/^/$d /\"; done",
  "echo '#rebound:links'; ip -o link show 2>/dev/null",
  "echo '#rebound:default-route'; ip route show default 2>/dev/null",
  "echo '#rebound:end'",
].join('\n');

export interface QdiscEntry {
  device: string;
  kind: string;
  handle: string;
  root: boolean;
}

export interface RedirectRule {
  backend: 'nft' | 'legacy';
  table: string;
  chain: string;
  /** The destination port it matches, if it names one. */
  port?: number;
  rule: string;
}

export interface NetnsInventory {
  /** rebound's chains (REBOUND-*), per table and backend. */
  reboundChains: { backend: 'nft' | 'legacy'; table: string; chain: string }[];
  /** Root qdiscs under rebound's handle, and rebound's ifb device. */
  reboundQdiscs: QdiscEntry[];
  reboundIfb: boolean;
  /** An ingress qdisc whose filter redirects to rebound's ifb. */
  reboundIngress: string[];
  /** Root qdiscs someone else put there (not the kernel's default, not rebound's). */
  foreignRootQdiscs: QdiscEntry[];
  /** Ingress qdiscs that are not rebound's. */
  foreignIngress: string[];
  /** nat REDIRECT/DNAT rules outside rebound's chains. */
  foreignRedirects: RedirectRule[];
  /** Legacy iptables tables present in the namespace (another tool uses iptables-legacy here). */
  legacyTables: string[];
  /** nat REDIRECT/DNAT rules inside rebound's own chains (another rebound fault proxies these ports). */
  reboundRedirects: RedirectRule[];
  /** The device of the default route (eth0 in a Docker container or a pod), if there is one. */
  defaultDevice?: string;
}

function sections(output: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of output.split('\n')) {
    const marker = /^#rebound:([a-z-]+)$/.exec(line.trim());
    if (marker) {
      current = [];
      result.set(marker[1]!, current);
    } else if (current && line.trim() !== '') current.push(line);
  }
  return result;
}

function iptablesFacts(lines: readonly string[], backend: 'nft' | 'legacy', inventory: NetnsInventory): void {
  let table = '';
  for (const line of lines) {
    if (line.startsWith('*')) table = line.slice(1).trim();
    const declared = /^:(\S+)/.exec(line);
    if (declared && declared[1]!.startsWith(REBOUND_CHAIN_PREFIX)) inventory.reboundChains.push({ backend, table, chain: declared[1]! });
    const rule = /^-A (\S+) (.*)$/.exec(line);
    if (rule && table === 'nat' && / -j (REDIRECT|DNAT)\b/.test(line)) {
      const port = / --dport (\d+)\b/.exec(line);
      const redirect = { backend, table, chain: rule[1]!, ...(port && { port: Number(port[1]) }), rule: line };
      (rule[1]!.startsWith(REBOUND_CHAIN_PREFIX) ? inventory.reboundRedirects : inventory.foreignRedirects).push(redirect);
    }
  }
}

/** Parses NETNS_INVENTORY_SCRIPT's output. */
export function parseNetnsInventory(output: string): NetnsInventory {
  const parts = sections(output);
  if (!parts.has('end')) throw new Error(`the namespace inventory ended early:\n${output.slice(-500)}`);
  const inventory: NetnsInventory = {
    reboundChains: [], reboundQdiscs: [], reboundIfb: false, reboundIngress: [], foreignRootQdiscs: [], foreignIngress: [], foreignRedirects: [], reboundRedirects: [],
    legacyTables: parts.get('legacy-tables')?.map((line) => line.trim()) ?? [],
  };
  iptablesFacts(parts.get('iptables-nft') ?? [], 'nft', inventory);
  iptablesFacts(parts.get('iptables-legacy') ?? [], 'legacy', inventory);
  const redirecting = new Set(
    (parts.get('ingress-filters') ?? []).filter((line) => line.includes(`Redirect to device ${REBOUND_IFB})`)).map((line) => line.split(' ')[0]!),
  );
  for (const line of parts.get('qdiscs') ?? []) {
    const match = /^qdisc (\S+) (\S+) dev (\S+) (root|parent \S+)/.exec(line);
    if (!match) continue;
    const entry: QdiscEntry = { kind: match[1]!, handle: match[2]!, device: match[3]!, root: match[4] === 'root' };
    if (entry.kind === 'ingress') {
      (redirecting.has(entry.device) ? inventory.reboundIngress : inventory.foreignIngress).push(entry.device);
    } else if (entry.root && entry.handle === REBOUND_QDISC_HANDLE) {
      inventory.reboundQdiscs.push(entry);
    } else if (entry.root && entry.handle !== '0:' && entry.device !== REBOUND_IFB) {
      // The kernel's default root qdiscs (noqueue on veth, pfifo_fast, mq) have handle 0:.
      inventory.foreignRootQdiscs.push(entry);
    }
  }
  inventory.reboundIfb = (parts.get('links') ?? []).some((line) => new RegExp(`^\\d+: ${REBOUND_IFB}[:@]`).test(line));
  const device = / dev (\S+)/.exec(parts.get('default-route')?.[0] ?? '')?.[1];
  if (device !== undefined) inventory.defaultDevice = device;
  return inventory;
}

/** Whether anything of rebound's is left in the namespace. */
export function reboundLeftovers(inventory: NetnsInventory): string[] {
  return [
    ...inventory.reboundChains.map((chain) => `iptables chain ${chain.chain} (${chain.table}, ${chain.backend})`),
    ...inventory.reboundQdiscs.map((qdisc) => `tbf qdisc ${qdisc.handle} on ${qdisc.device}`),
    ...inventory.reboundIngress.map((device) => `ingress qdisc on ${device} redirecting to ${REBOUND_IFB}`),
    ...(inventory.reboundIfb ? [`ifb device ${REBOUND_IFB}`] : []),
  ];
}

export interface RefusalQuestion {
  /** The device a qdisc would go on (root egress shaping, or ingress through the ifb). */
  shapeDevice?: string;
  /** Default egress; both: the device's root and its ingress through the ifb. */
  shapeDirection?: 'egress' | 'ingress' | 'both';
  /** Ports a proxy redirect would take. */
  redirectPorts?: number[];
}

/**
 * Why a fault must refuse and touch nothing, or [] when it may go ahead: a root qdisc or an ingress
 * qdisc that is not rebound's on the device, or a nat redirect of the port by someone else (in
 * either iptables backend: both are evaluated by the kernel, whichever tool wrote them).
 */
export function refusalReasons(inventory: NetnsInventory, question: RefusalQuestion): string[] {
  const reasons: string[] = [];
  const device = question.shapeDevice;
  if (device && (question.shapeDirection ?? 'egress') !== 'ingress') {
    for (const qdisc of inventory.foreignRootQdiscs.filter((entry) => entry.device === device)) {
      reasons.push(`${device} already has a root qdisc that is not rebound's (${qdisc.kind} ${qdisc.handle})`);
    }
    if (inventory.reboundQdiscs.some((entry) => entry.device === device)) reasons.push(`${device} already has rebound's tbf (${REBOUND_QDISC_HANDLE}): another fault shapes it`);
  }
  if (device && (question.shapeDirection === 'ingress' || question.shapeDirection === 'both')) {
    if (inventory.foreignIngress.includes(device)) reasons.push(`${device} already has an ingress qdisc that is not rebound's`);
    if (inventory.reboundIngress.includes(device) || inventory.reboundIfb) reasons.push(`${device} is already shaped on ingress by rebound (${REBOUND_IFB}): another fault shapes it`);
  }
  for (const port of question.redirectPorts ?? []) {
    for (const rule of inventory.foreignRedirects.filter((entry) => entry.port === port)) {
      reasons.push(`port ${port} is already redirected by someone else (${rule.backend} ${rule.table}/${rule.chain}: ${rule.rule})`);
    }
    for (const rule of inventory.reboundRedirects.filter((entry) => entry.port === port)) {
      reasons.push(`port ${port} already goes through rebound's proxy of another fault (${rule.chain})`);
    }
  }
  return reasons;
}
