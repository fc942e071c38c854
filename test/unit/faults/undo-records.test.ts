import { describe, expect, it } from 'vitest';
import { faultCatalog, type FaultName, type Supported } from '../../../src/faults/index.js';
import { dockerFaults } from '../../../src/targets/docker/faults/index.js';
import { FaultDispatch } from '../../../src/targets/fault-dispatch.js';
import { kubernetesFaults } from '../../../src/targets/kubernetes/faults/index.js';

// Every planned undo record fits the schema its module declares (so `rebound recover` can read
// back what a killed run journalled before it acted), and a record that does not fit is refused.
const sampleParams: Partial<Record<FaultName, Record<string, unknown>>> = {
  scale: { replicas: 2 },
  'spike-load': { rate: 10, duration: 1 },
  pause: { duration: 1 },
  'cpu-stress': { duration: 1 },
  'memory-stress': { size: '10Mi', duration: 1 },
  squeeze: { memory: '50%' },
  rollout: { to: { env: { VERSION: 'v2' } } },
  'network-delay': { delay: '100ms', duration: '10s' },
  'network-loss': { loss: 30, duration: '10s' },
  'network-bandwidth': { rate: '1mbit', duration: '10s' },
  partition: { duration: '10s' },
  'connection-fault': { mode: 'reset', duration: '10s' },
  'partition-node': { duration: '10s' },
  'network-corrupt': { corrupt: 1, duration: '10s' },
  'network-duplicate': { duplicate: 1, duration: '10s' },
};
const sampleFault = (name: FaultName) => ({ params: faultCatalog[name].params.parse(sampleParams[name] ?? {}), subjects: ['web-0'] });
const context = { namespace: 'demo', selector: { labels: { app: 'web' } } };

describe('undo records', () => {
  for (const [target, implementations] of [['docker', dockerFaults], ['kubernetes', kubernetesFaults]] as const) {
    for (const [name, implementation] of Object.entries(implementations)) {
      it(`${target} ${name}: the planned record fits the module's schema`, () => {
        const record = (implementation.planUndo as (fault: unknown, context: unknown) => unknown)(sampleFault(name as FaultName), context);
        const schema = (faultCatalog[name as FaultName][target] as Supported).undo;
        expect(schema.safeParse(record).success, JSON.stringify(record)).toBe(true);
      });
    }
  }

  it('a journalled record that does not fit is refused, nothing is undone', async () => {
    const dispatch = new FaultDispatch('docker', dockerFaults);
    const outcome = await dispatch.undo({ target: 'docker', fault: 'remove', record: { action: 'recreate', containers: [{ name: 'web-0' }] } }, { docker: undefined as never, setDesired: () => undefined });
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/^the journalled undo record does not fit fault remove on docker/) });
  });
});
