import { z } from 'zod';
import { formatCpu, formatMemory, parseCpu, parseMemory } from '../common/resource-quantity.js';

// Amounts the resource faults take: an absolute quantity, written as Kubernetes writes it ("50m",
// "0.5", "16Mi"), or a share of the instance's own limit ("50%"), which each target resolves
// against the limit it finds (Docker NanoCpus / Memory, the pod's resources.limits).

export type CpuAmount = { millicores: number; text: string } | { percent: number; text: string };
export type MemoryAmount = { bytes: number; text: string } | { percent: number; text: string };

const PERCENT = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/;

function percentOf(value: string | number, max: number): number | string | undefined {
  const match = PERCENT.exec(String(value));
  if (!match) return undefined;
  const percent = Number(match[1]);
  if (!(percent > 0) || percent > max) return `a share of the limit must be above 0 % and at most ${max} %, got ${JSON.stringify(value)}`;
  return percent;
}

/** Refines a quantity-or-percent into its parsed form, adding the parser's sentence as the issue. */
function amountSchema<T>(parse: (value: string | number) => T | string, describe: string, maxPercent: number) {
  return z
    .union([z.string(), z.number()])
    .transform((value, context): T | { percent: number; text: string } => {
      const percent = percentOf(value, maxPercent);
      if (typeof percent === 'number') return { percent, text: `${percent}%` };
      const parsed = percent ?? parse(value);
      if (typeof parsed === 'string') {
        context.addIssue({ code: 'custom', message: parsed });
        return z.NEVER;
      }
      return parsed;
    })
    .describe(describe);
}

export const cpuAmountSchema = amountSchema(parseCpu, 'CPU: "50m", "0.5" (cores), or "50%" of the instance\'s own CPU limit.', 100);
export const memoryAmountSchema = amountSchema(parseMemory, 'Memory: "16Mi", "40M", bytes, or "50%" of the instance\'s own memory limit.', 100);

/** Millicores of a CPU amount against a limit; undefined when it is a share and there is no limit. */
export function cpuMillicoresOf(amount: CpuAmount, limitMillicores: number | undefined): number | undefined {
  if ('millicores' in amount) return amount.millicores;
  return limitMillicores === undefined ? undefined : Math.max(1, Math.round((limitMillicores * amount.percent) / 100));
}

/** Bytes of a memory amount against a limit; undefined when it is a share and there is no limit. */
export function memoryBytesOf(amount: MemoryAmount, limitBytes: number | undefined): number | undefined {
  if ('bytes' in amount) return amount.bytes;
  return limitBytes === undefined ? undefined : Math.round((limitBytes * amount.percent) / 100);
}

/** "50 % of 0.2 CPU = 0.1 CPU", or "0.1 CPU". */
export function cpuAmountInWords(amount: CpuAmount, millicores: number, limitMillicores?: number): string {
  return 'percent' in amount && limitMillicores !== undefined ? `${amount.percent} % of ${formatCpu(limitMillicores)} = ${formatCpu(millicores)}` : formatCpu(millicores);
}

export function memoryAmountInWords(amount: MemoryAmount, bytes: number, limitBytes?: number): string {
  return 'percent' in amount && limitBytes !== undefined ? `${amount.percent} % of ${formatMemory(limitBytes)} = ${formatMemory(bytes)}` : formatMemory(bytes);
}
