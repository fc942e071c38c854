import { describe, expect, it } from 'vitest';
import { sameQuantities, squeezedResources } from '../../../../../src/targets/kubernetes/faults/squeezed-resources.js';

describe('in-place resize of a squeeze', () => {
  const guaranteed = { cpu: '200m', memory: '64Mi' };

  it('lowers the limits and the requests with them, so the QoS class stays', () => {
    expect(squeezedResources('web', guaranteed, guaranteed, { cpu: { percent: 50, text: '50%' }, memory: { bytes: 16 * 1024 * 1024, text: '16Mi' } })).toEqual({
      requests: { cpu: '100m', memory: '16Mi' },
      limits: { cpu: '100m', memory: '16Mi' },
      words: ['CPU 0.2 CPU → 50 % of 0.2 CPU = 0.1 CPU', 'memory 64 MiB → 16 MiB'],
    });
    // Burstable: a request below the new limit stays as it is.
    expect(squeezedResources('web', { cpu: '50m' }, { cpu: '1' }, { cpu: { millicores: 500, text: '500m' } })).toMatchObject({ requests: { cpu: '50m' }, limits: { cpu: '500m' } });
  });

  it('refuses a limit the container does not have (a resize cannot change the QoS class)', () => {
    expect(() => squeezedResources('web', {}, { cpu: '1' }, { memory: { bytes: 16 * 1024 * 1024, text: '16Mi' } })).toThrow(/^pod web's main container has no memory limit to squeeze: the API keeps a pod's QoS class/);
  });

  it('compares the quantities the kubelet reports by value', () => {
    expect(sameQuantities({ cpu: '100m', memory: '16Mi' }, { cpu: '0.1', memory: '16777216' })).toBe(true);
    expect(sameQuantities({ memory: '16Mi' }, { memory: '64Mi' })).toBe(false);
    expect(sameQuantities({ memory: '16Mi' }, undefined)).toBe(false);
  });
});
