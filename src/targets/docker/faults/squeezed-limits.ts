import { formatCpu, formatMemory } from '../../../common/resource-quantity.js';
import { cpuAmountInWords, cpuMillicoresOf, memoryAmountInWords, memoryBytesOf } from '../../../faults/resource-amounts.js';
import type { FaultParams, UndoRecordOf } from '../../../faults/index.js';

export type RecordedLimits = UndoRecordOf<'squeeze', 'docker'>['containers'][number];

/** The fields of `docker update` (the API's names) rebound sets. */
export interface LimitUpdate {
  NanoCpus?: number;
  CpuQuota?: number;
  CpuPeriod?: number;
  Memory?: number;
  MemorySwap?: number;
}

/** The limits of an inspected container, as the undo record keeps them. */
export function recordLimits(name: string, host: { NanoCpus?: number; CpuQuota?: number; CpuPeriod?: number; Memory?: number; MemorySwap?: number }): RecordedLimits {
  return { name, nanoCpus: host.NanoCpus ?? 0, cpuQuota: host.CpuQuota ?? 0, cpuPeriod: host.CpuPeriod ?? 0, memory: host.Memory ?? 0, memorySwap: host.MemorySwap ?? 0 };
}

function cpuLimitMillicores(limits: RecordedLimits): number | undefined {
  if (limits.nanoCpus > 0) return limits.nanoCpus / 1e6;
  if (limits.cpuQuota > 0) return (limits.cpuQuota / (limits.cpuPeriod || 100_000)) * 1000;
  return undefined;
}

/**
 * What `docker update` squeezes a container to, and in words; a sentence (thrown) when it cannot.
 * docker update treats 0 as "unchanged", so it cannot take a limit away again: a container without
 * the limit is refused rather than left limited. The limit is changed the way it was set (NanoCpus,
 * or CpuQuota for a container created with --cpu-quota: Docker refuses to mix the two), and the
 * swap allowance (MemorySwap − Memory) is kept: no swap stays no swap.
 */
export function squeezedLimits(limits: RecordedLimits, params: Pick<FaultParams<'squeeze'>, 'cpu' | 'memory'>): { update: LimitUpdate; words: string[] } {
  const update: LimitUpdate = {};
  const words: string[] = [];
  if (params.cpu !== undefined) {
    const current = cpuLimitMillicores(limits);
    if (current === undefined) throw new Error(`${limits.name} has no CPU limit to squeeze: docker update could not take one away again afterwards (give it --cpus, or deploy.resources.cpu)`);
    const millicores = cpuMillicoresOf(params.cpu, current)!;
    if (limits.nanoCpus > 0) update.NanoCpus = Math.round(millicores * 1e6);
    else update.CpuQuota = Math.max(1000, Math.round((millicores / 1000) * (limits.cpuPeriod || 100_000)));
    words.push(`CPU ${formatCpu(current)} → ${cpuAmountInWords(params.cpu, millicores, current)}`);
  }
  if (params.memory !== undefined) {
    if (limits.memory <= 0) throw new Error(`${limits.name} has no memory limit to squeeze: docker update could not take one away again afterwards (give it --memory, or deploy.resources.memory)`);
    const bytes = memoryBytesOf(params.memory, limits.memory)!;
    update.Memory = bytes;
    if (limits.memorySwap > 0) update.MemorySwap = bytes + Math.max(0, limits.memorySwap - limits.memory);
    words.push(`memory ${formatMemory(limits.memory)} → ${memoryAmountInWords(params.memory, bytes, limits.memory)}`);
  }
  return { update, words };
}

/** The update that puts the recorded limits back (only the fields that were set: 0 would mean "unchanged" anyway). */
export function restoringUpdate(limits: RecordedLimits): LimitUpdate {
  return {
    ...(limits.nanoCpus > 0 && { NanoCpus: limits.nanoCpus }),
    ...(limits.cpuQuota > 0 && { CpuQuota: limits.cpuQuota, ...(limits.cpuPeriod > 0 && { CpuPeriod: limits.cpuPeriod }) }),
    ...(limits.memory > 0 && { Memory: limits.memory }),
    ...(limits.memorySwap !== 0 && { MemorySwap: limits.memorySwap }),
  };
}

/** Whether an inspected container has the recorded limits. */
export function sameLimits(limits: RecordedLimits, now: RecordedLimits): boolean {
  return limits.nanoCpus === now.nanoCpus && limits.cpuQuota === now.cpuQuota && limits.memory === now.memory && limits.memorySwap === now.memorySwap && (limits.cpuPeriod === now.cpuPeriod || limits.cpuQuota <= 0);
}
