import { describe, expect, it } from 'vitest';
import { printPlan } from '../../../src/plan/print-plan.js';
import { faultCatalog, type FaultName } from '../../../src/faults/index.js';
import { networkPreview, PREVIEW_HELPER_ID } from '../../../src/plan/network-preview.js';
import type { PlanSummary } from '../../../src/plan/plan-summary.js';
import type { Instance } from '../../../src/targets/target.js';

const web: Instance = { id: 'c1', name: 'web-0', createdAt: 0, running: true, ready: true, labels: {}, hasHealthcheck: true, ports: [8080] };
const fault = (name: FaultName, params: Record<string, unknown>) => ({ name, params: faultCatalog[name].params.parse({ duration: '10s', ...params }) as object });

describe('--dry-run of a network fault', () => {
  it('shows the exact rules and proxy settings for the first instance, with the placeholders named', () => {
    const preview = networkPreview(fault('connection-fault', { mode: 'reset', share: 50 }), web)!;
    expect(preview.serve).toBe('env LOG_LEVEL=warn toxiproxy-server -host 127.0.0.1 -port 17261');
    expect(preview.apply).toContain('toxiproxy-cli -h 127.0.0.1:17261 toxic add -t reset_peer -n rebound-0 -u --tox 0.5 -a timeout=0 rebound');
    expect(preview.apply).toContain(`-A REBOUND-${PREVIEW_HELPER_ID} -p tcp --syn --dport 8080 -j REDIRECT --to-ports 17262`);
    expect(preview.placeholders[0]).toMatch(/the helper's id, drawn when the fault starts/);

    const summary = { targetDescription: 'Docker', desired: 1, durationMs: 1000, settleMs: 0, instances: [], hosts: [], warnings: [], target: 'docker', faults: [{ index: 0, name: 'connection-fault', at: [0], subjects: ['web-0'], params: {}, rollbackAfter: 10_000, network: preview }] } as PlanSummary;
    const text = printPlan('x.yaml', summary);
    expect(text).toContain('        runs first, in the namespace: env LOG_LEVEL=warn toxiproxy-server -host 127.0.0.1 -port 17261');
    expect(text).toMatch(/ {10}toxiproxy-cli -h 127.0.0.1:17261 create -l 0.0.0.0:17262 -u 127.0.0.1:8080 rebound/);
    expect(text).toContain('        where rb0000000000: the helper\'s id');
  });

  it('names what only the fault\'s start can resolve, and says why there is no preview', () => {
    expect(networkPreview(fault('partition', { peers: { selector: { app: 'db' } } }), web)!.apply).toContain('-s PEER-IP -j DROP');
    expect(networkPreview(fault('partition-node', {}), undefined)!.apply).toContain('-d API-SERVER-IP -p tcp --dport 6443 -j DROP');
    expect(networkPreview(fault('network-delay', { delay: '100ms' }), { ...web, ports: undefined } as unknown as Instance)!.problem).toMatch(/declares none/);
    expect(networkPreview({ name: 'crash', params: {} }, web)).toBeUndefined();
  });
});
