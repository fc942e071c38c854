import { describe, expect, it } from 'vitest';
import { faultCatalog } from '../../../src/faults/index.js';
import { cpuMillicoresOf, memoryBytesOf } from '../../../src/faults/resource-amounts.js';

const squeeze = faultCatalog.squeeze.params;
const memoryStress = faultCatalog['memory-stress'].params;

describe('resource amounts of the resource faults', () => {
  it('takes a quantity or a share of the instance\'s own limit', () => {
    expect(squeeze.parse({ cpu: '50m', memory: '16Mi' })).toMatchObject({ cpu: { millicores: 50 }, memory: { bytes: 16 * 1024 * 1024 } });
    expect(squeeze.parse({ cpu: '50%', memory: ' 25 % ' })).toMatchObject({ cpu: { percent: 50, text: '50%' }, memory: { percent: 25 } });
    expect(memoryStress.parse({ size: 8388608, duration: '2s' })).toMatchObject({ size: { bytes: 8388608 }, duration: 2000 });
  });

  it('refuses what it cannot mean, saying why', () => {
    const issue = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues[0]?.message;
    expect(issue(squeeze.safeParse({}))).toBe('name `cpu`, `memory` or both: the limits to squeeze');
    expect(issue(squeeze.safeParse({ cpu: '150%' }))).toBe('a share of the limit must be above 0 % and at most 100 %, got "150%"');
    expect(issue(squeeze.safeParse({ memory: '2Mi' }))).toMatch(/^at least 6Mi/);
    expect(issue(faultCatalog['cpu-stress'].params.safeParse({ load: 0, duration: 1 }))).toMatch(/>=1/);
    expect(faultCatalog['cpu-stress'].params.safeParse({}).success).toBe(false); // duration is required
  });

  it('resolves a share against the limit found, and nothing without one', () => {
    expect(cpuMillicoresOf({ percent: 50, text: '50%' }, 200)).toBe(100);
    expect(cpuMillicoresOf({ millicores: 30, text: '30m' }, undefined)).toBe(30);
    expect(cpuMillicoresOf({ percent: 50, text: '50%' }, undefined)).toBeUndefined();
    expect(memoryBytesOf({ percent: 50, text: '50%' }, 64 * 1024 * 1024)).toBe(32 * 1024 * 1024);
    expect(memoryBytesOf({ percent: 50, text: '50%' }, undefined)).toBeUndefined();
  });

  it('marks the resource faults as sampling the instances they touch', () => {
    expect(Object.values(faultCatalog).filter((module) => 'samplesResources' in module && module.samplesResources).map((module) => module.name)).toEqual(['cpu-stress', 'memory-stress', 'oom', 'squeeze']);
  });
});
