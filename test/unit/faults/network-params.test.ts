import { describe, expect, it } from 'vitest';
import { faultCatalog, tcRateBits } from '../../../src/faults/index.js';

describe('network fault parameters', () => {
  it('takes shares as 30 or "30%", named apart from the selection\'s percent', () => {
    const params = faultCatalog['network-loss'].params.parse({ loss: '30%', percent: 50, duration: '10s' });
    expect(params).toMatchObject({ loss: 30, percent: 50, direction: 'both', duration: 10_000 });
    expect(faultCatalog['network-loss'].params.safeParse({ loss: 0, duration: 1 }).success).toBe(false);
    expect(faultCatalog['network-loss'].params.safeParse({ loss: '120%', duration: 1 }).success).toBe(false);
  });

  it('needs a duration: every network fault ends by itself', () => {
    expect(faultCatalog.partition.params.safeParse({}).success).toBe(false);
    expect(faultCatalog.partition.params.safeParse({ duration: '2h' }).success).toBe(false);
    expect(faultCatalog['network-delay'].params.parse({ delay: '100ms', duration: 30 })).toMatchObject({ delay: 100, jitter: 0, direction: 'egress', mechanism: 'proxy', duration: 30_000 });
  });

  it('reads tc rates and refuses what tc would not take', () => {
    expect(tcRateBits('1mbit')).toBe(1e6);
    expect(tcRateBits('2mbps')).toBe(16e6);
    expect(tcRateBits('1 mbit/s')).toBeUndefined();
    expect(faultCatalog['network-bandwidth'].params.safeParse({ rate: 'fast', duration: 1 }).success).toBe(false);
    expect(faultCatalog['network-bandwidth'].params.safeParse({ rate: '1mbit', burst: '10', duration: 1 }).success).toBe(false);
  });

  it('checks ports and peers', () => {
    expect(faultCatalog.partition.params.safeParse({ ports: [80, 80], duration: 1 }).success).toBe(false);
    expect(faultCatalog.partition.params.safeParse({ ports: [0], duration: 1 }).success).toBe(false);
    expect(faultCatalog.partition.params.safeParse({ peers: {}, duration: 1 }).success).toBe(false);
    expect(faultCatalog.partition.params.safeParse({ peers: { cidrs: ['10.0.0.0/8'] }, duration: 1 }).success).toBe(true);
    expect(faultCatalog.partition.params.safeParse({ peers: { cidrs: ['10.0.0.0/8; reboot'] }, duration: 1 }).success).toBe(false);
  });
});
