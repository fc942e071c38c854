import { describe, expect, it } from 'vitest';
import { recordLimits, restoringUpdate, sameLimits, squeezedLimits } from '../../../../src/targets/docker/faults/squeezed-limits.js';

const MiB = 1024 * 1024;

describe('docker update of a squeeze', () => {
  const limited = recordLimits('web-0', { NanoCpus: 0.2e9, Memory: 64 * MiB, MemorySwap: 64 * MiB, CpuPeriod: 0, CpuQuota: 0 });

  it('changes the limits the way they were set, keeps "no swap" no swap, and says it in words', () => {
    expect(squeezedLimits(limited, { cpu: { percent: 50, text: '50%' }, memory: { bytes: 16 * MiB, text: '16Mi' } })).toEqual({
      update: { NanoCpus: 0.1e9, Memory: 16 * MiB, MemorySwap: 16 * MiB },
      words: ['CPU 0.2 CPU → 50 % of 0.2 CPU = 0.1 CPU', 'memory 64 MiB → 16 MiB'],
    });
    const quota = recordLimits('q', { CpuQuota: 50_000, CpuPeriod: 100_000, Memory: 64 * MiB, MemorySwap: 128 * MiB });
    expect(squeezedLimits(quota, { cpu: { millicores: 100, text: '100m' }, memory: { percent: 50, text: '50%' } }).update).toEqual({ CpuQuota: 10_000, Memory: 32 * MiB, MemorySwap: 96 * MiB });
  });

  it('refuses a limit the container does not have: docker update could not take it away again', () => {
    const unlimited = recordLimits('free', {});
    expect(() => squeezedLimits(unlimited, { cpu: { millicores: 100, text: '100m' } })).toThrow('free has no CPU limit to squeeze: docker update could not take one away again afterwards (give it --cpus, or deploy.resources.cpu)');
    expect(() => squeezedLimits(unlimited, { memory: { bytes: 16 * MiB, text: '16Mi' } })).toThrow(/^free has no memory limit to squeeze/);
  });

  it('restores exactly the recorded fields, and knows when it is already there', () => {
    expect(restoringUpdate(limited)).toEqual({ NanoCpus: 0.2e9, Memory: 64 * MiB, MemorySwap: 64 * MiB });
    expect(restoringUpdate(recordLimits('u', { Memory: 64 * MiB, MemorySwap: -1 }))).toEqual({ Memory: 64 * MiB, MemorySwap: -1 });
    expect(sameLimits(limited, { ...limited })).toBe(true);
    expect(sameLimits(limited, { ...limited, memory: 16 * MiB })).toBe(false);
  });
});
