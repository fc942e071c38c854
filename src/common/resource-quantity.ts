// CPU and memory amounts in experiment files, written as Kubernetes writes them ("100m", "0.5",
// "64Mi", "128M") and given to both engines: Docker as NanoCpus / Memory bytes, Kubernetes as the
// same quantities. Only the part of Kubernetes' quantity grammar both engines agree on is accepted
// (no exponents, no negative numbers), so a value means the same thing on either target.

/** A CPU amount: what the file said, and millicores (1000 = one core). */
export interface CpuQuantity {
  text: string;
  millicores: number;
}

/** A memory amount: what the file said, and bytes. */
export interface MemoryQuantity {
  text: string;
  bytes: number;
}

/**
 * Docker refuses less than 0.01 CPU: the CFS quota of 1 ms per 100 ms period is the kernel's
 * smallest (daemon_unix.go: "Range of CPUs is from 0.01 to …").
 */
export const MIN_CPU_MILLICORES = 10;
const MAX_CPU_MILLICORES = 1_024_000;
/** Docker refuses a memory limit below 6 MiB (daemon_unix.go linuxMinMemory). */
export const MIN_MEMORY_BYTES = 6 * 1024 * 1024;
const MAX_MEMORY_BYTES = 2 ** 50;

const CPU = /^\s*(\d+(?:\.\d+)?)(m?)\s*$/;
const MEMORY = /^\s*(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?\s*$/;
const MEMORY_UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** "100m", "0.5", "2" or a number of cores → the quantity, or a sentence saying what is wrong. */
export function parseCpu(value: string | number): CpuQuantity | string {
  const text = String(value);
  const match = CPU.exec(text);
  if (!match) return `expected a CPU amount such as "100m" (millicores) or "0.5" (cores), got ${JSON.stringify(value)}`;
  const millicores = match[2] === 'm' ? Number(match[1]) : Number(match[1]) * 1000;
  // Kubernetes keeps CPU to 1 m; a finer amount would be rounded there and not on Docker.
  if (!Number.isInteger(Math.round(millicores * 1e6) / 1e6)) return `CPU amounts are whole millicores: ${JSON.stringify(value)} is ${millicores} m`;
  if (millicores < MIN_CPU_MILLICORES) return `at least ${MIN_CPU_MILLICORES}m (0.01 CPU, the smallest CPU limit Docker accepts), got ${JSON.stringify(value)}`;
  if (millicores > MAX_CPU_MILLICORES) return `at most ${MAX_CPU_MILLICORES / 1000} cores, got ${JSON.stringify(value)}`;
  return { text: `${Math.round(millicores)}m`, millicores: Math.round(millicores) };
}

/** "64Mi", "128M", "1Gi" or a number of bytes → the quantity, or a sentence saying what is wrong. */
export function parseMemory(value: string | number): MemoryQuantity | string {
  const text = String(value);
  const match = MEMORY.exec(text);
  if (!match) return `expected a memory amount such as "64Mi" or "128M" (suffixes Ki Mi Gi Ti, k M G T), got ${JSON.stringify(value)}`;
  const exact = Number(match[1]) * MEMORY_UNITS[match[2] ?? '']!;
  const bytes = Math.round(exact);
  // Decimal fractions times powers of ten are not exact in floating point ("64.1M"): tolerate that.
  if (Math.abs(exact - bytes) > Math.max(1e-6, exact * 1e-15)) return `memory amounts are whole bytes: ${JSON.stringify(value)} is ${exact} bytes`;
  if (bytes < MIN_MEMORY_BYTES) return `at least 6Mi (the smallest memory limit Docker accepts), got ${JSON.stringify(value)}`;
  if (bytes > MAX_MEMORY_BYTES) return `at most 1024Ti, got ${JSON.stringify(value)}`;
  return { text: text.trim(), bytes };
}

/** "0.1 CPU", "1.5 CPU", "2 CPU". */
export function formatCpu(millicores: number): string {
  return `${Number((millicores / 1000).toFixed(3))} CPU`;
}

/** "64 MiB", "122.1 MiB", "1 GiB". */
export function formatMemory(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number(value.toFixed(1))} ${units[unit]}`;
}
