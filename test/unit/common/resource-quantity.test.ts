import { describe, expect, it } from 'vitest';
import { formatCpu, formatMemory, parseCpu, parseMemory } from '../../../src/common/resource-quantity.js';

describe('parseCpu', () => {
  it('reads millicores and cores, as text or a number', () => {
    expect(parseCpu('100m')).toEqual({ text: '100m', millicores: 100 });
    expect(parseCpu('0.5')).toEqual({ text: '500m', millicores: 500 });
    expect(parseCpu(2)).toEqual({ text: '2000m', millicores: 2000 });
    expect(parseCpu(0.1)).toEqual({ text: '100m', millicores: 100 });
  });

  it('refuses what either engine would refuse or round, saying why', () => {
    expect(parseCpu('5m')).toMatch(/at least 10m \(0.01 CPU, the smallest CPU limit Docker accepts\)/);
    expect(parseCpu('0.0005')).toMatch(/whole millicores/);
    expect(parseCpu('1.5m')).toMatch(/whole millicores/);
    expect(parseCpu('100M')).toMatch(/expected a CPU amount such as "100m"/);
    expect(parseCpu('-1')).toMatch(/expected a CPU amount/);
    expect(parseCpu('1e3')).toMatch(/expected a CPU amount/);
    expect(parseCpu('5000')).toMatch(/at most 1024 cores/);
  });
});

describe('parseMemory', () => {
  it('reads binary and decimal suffixes and plain bytes, keeping the text for Kubernetes', () => {
    expect(parseMemory('64Mi')).toEqual({ text: '64Mi', bytes: 64 * 2 ** 20 });
    expect(parseMemory('128M')).toEqual({ text: '128M', bytes: 128_000_000 });
    expect(parseMemory('1Gi')).toEqual({ text: '1Gi', bytes: 2 ** 30 });
    expect(parseMemory('64.1M')).toEqual({ text: '64.1M', bytes: 64_100_000 });
    expect(parseMemory(67_108_864)).toEqual({ text: '67108864', bytes: 67_108_864 });
  });

  it('refuses fractional bytes, amounts below Docker\'s 6 MiB, and unknown suffixes', () => {
    expect(parseMemory('1.1Ti')).toMatch(/whole bytes/);
    expect(parseMemory('4Mi')).toMatch(/at least 6Mi \(the smallest memory limit Docker accepts\)/);
    expect(parseMemory('64MB')).toMatch(/expected a memory amount such as "64Mi"/);
    expect(parseMemory('64mi')).toMatch(/expected a memory amount/);
    expect(parseMemory('99999Ti')).toMatch(/at most 1024Ti/);
  });
});

describe('formatCpu / formatMemory', () => {
  it('reads as a person would write it', () => {
    expect(formatCpu(100)).toBe('0.1 CPU');
    expect(formatCpu(1500)).toBe('1.5 CPU');
    expect(formatMemory(64 * 2 ** 20)).toBe('64 MiB');
    expect(formatMemory(128_000_000)).toBe('122.1 MiB');
    expect(formatMemory(2 ** 30)).toBe('1 GiB');
  });
});
