import { formatCpu, formatMemory, parseCpu, parseMemory } from '../../../common/resource-quantity.js';
import type { FaultParams } from '../../../faults/index.js';
import { cpuAmountInWords, cpuMillicoresOf, memoryAmountInWords, memoryBytesOf } from '../../../faults/resource-amounts.js';

export type Quantities = Record<string, string>;

const MiB = 1024 * 1024;

/** A quantity as rebound sends it: "100m", "16Mi" (or bytes when not whole MiB). */
const cpuText = (millicores: number) => `${Math.round(millicores)}m`;
const memoryText = (bytes: number) => (bytes % MiB === 0 ? `${bytes / MiB}Mi` : String(Math.round(bytes)));

function amountOf(resource: 'cpu' | 'memory', text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const parsed = resource === 'cpu' ? parseCpu(text) : parseMemory(text);
  if (typeof parsed === 'string') throw new Error(`the pod's ${resource} quantity ${JSON.stringify(text)} is not one rebound reads: ${parsed}`);
  return 'millicores' in parsed ? parsed.millicores : parsed.bytes;
}

/**
 * The main container's new requests and limits for a squeeze, and in words; a sentence (thrown)
 * when it cannot be done. The API keeps a pod's QoS class through a resize, so a container without
 * the limit is refused (adding one would change its class), and a request is lowered with its
 * limit: equal before (Guaranteed) stays equal, and no request may exceed its limit.
 */
export function squeezedResources(pod: string, requests: Quantities, limits: Quantities, params: Pick<FaultParams<'squeeze'>, 'cpu' | 'memory'>): { requests: Quantities; limits: Quantities; words: string[] } {
  const next = { requests: { ...requests }, limits: { ...limits }, words: [] as string[] };
  const squeeze = (resource: 'cpu' | 'memory', amount: number, words: string, text: string) => {
    const request = amountOf(resource, requests[resource]);
    next.limits[resource] = text;
    if (request !== undefined && request >= amount) next.requests[resource] = text;
    next.words.push(words);
  };
  if (params.cpu !== undefined) {
    const limit = amountOf('cpu', limits.cpu);
    if (limit === undefined) throw new Error(`pod ${pod}'s main container has no CPU limit to squeeze: the API keeps a pod's QoS class through a resize, so one cannot be added (set resources.limits.cpu, or deploy.resources.cpu)`);
    const millicores = cpuMillicoresOf(params.cpu, limit)!;
    squeeze('cpu', millicores, `CPU ${formatCpu(limit)} → ${cpuAmountInWords(params.cpu, millicores, limit)}`, cpuText(millicores));
  }
  if (params.memory !== undefined) {
    const limit = amountOf('memory', limits.memory);
    if (limit === undefined) throw new Error(`pod ${pod}'s main container has no memory limit to squeeze: the API keeps a pod's QoS class through a resize, so one cannot be added (set resources.limits.memory, or deploy.resources.memory)`);
    const bytes = memoryBytesOf(params.memory, limit)!;
    squeeze('memory', bytes, `memory ${formatMemory(limit)} → ${memoryAmountInWords(params.memory, bytes, limit)}`, memoryText(bytes));
  }
  return next;
}

/** Whether the quantities the kubelet reports (status.containerStatuses[].resources) are the wanted ones, by value. */
export function sameQuantities(wanted: Quantities, actual: Quantities | undefined): boolean {
  return Object.entries(wanted).every(([resource, text]) => {
    if (resource !== 'cpu' && resource !== 'memory') return actual?.[resource] === text;
    try {
      return amountOf(resource, text) === amountOf(resource, actual?.[resource]);
    } catch {
      return false; // an unreadable reported value is not the wanted one
    }
  });
}
