import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { networkFaultScript } from '../../../../../src/targets/fault-tools/index.js';
import type { KindNode, KindNodes } from '../../../../../src/targets/kubernetes/kind/index.js';
import { startNodeHelper } from '../../../../../src/targets/kubernetes/kind/index.js';

// What startNodeHelper sends into the node, caught by a stand-in for KindNodes (the integration
// tests run it in real kind nodes): the unit's helper file and its systemd-run line.
async function sentScript(armMs: number | undefined): Promise<string> {
  let sent = '';
  const kindNodes = { execScript: async (_node: KindNode, script: string) => ((sent = script), { exitCode: 0, stdout: '', stderr: '' }) } as unknown as KindNodes;
  const { script } = networkFaultScript({ name: 'network-delay', params: { delay: 100, jitter: 0, direction: 'egress', duration: 10_000, mechanism: 'proxy' } } as never, { id: 'rbunit1', device: 'eth0', declaredPorts: [8080] });
  const node: KindNode = { name: 'worker', containerId: 'c0ffee', cluster: 'rebound', role: 'worker', state: 'running' };
  await startNodeHelper(kindNodes, { node, netns: '/var/run/netns/cni-1', id: 'rbunit1', script, timing: { durationMs: 10_000, ...(armMs !== undefined && { armMs }) } });
  return sent;
}

/** The driver's command line in the helper file, from its path to its last argument. */
const driverArgs = (sent: string) => sent.slice(sent.indexOf('rebound-fault --duration'), sent.indexOf('--applied-file'));

describe('startNodeHelper', () => {
  it('armed with a proxy: serves and prepares ahead, leaves the driver only the jump, and systemd-run waits until the driver catches USR1', async () => {
    const sent = await sentScript(30_000);
    expect(sent).toContain('main) exec nsenter --net=/var/run/netns/cni-1 /bin/bash "$0" serve-ahead ;;');
    expect(sent).toContain('toxiproxy-server -host 127.0.0.1 -port 17261');
    expect(sent).toContain('ExecStartPost=/bin/bash /run/rebound/helpers/rbunit1/helper.sh wait-armed');
    const driverLine = driverArgs(sent);
    expect(driverLine).toContain('--arm 30.000');
    expect(driverLine).not.toContain('toxiproxy-cli');
    expect(sent).toContain('grep -qs /rebound-helper-rbunit1.service');
    const helperFile = /printf '%s' ('(?:[^']|'\\'')*')/.exec(sent)![1]!;
    expect(spawnSync('bash', ['-c', `bash -n <(printf '%s' ${helperFile})`]).status).toBe(0);
  });

  it('not armed: the driver applies everything itself and systemd-run waits for the fault in effect', async () => {
    const sent = await sentScript(undefined);
    expect(sent).not.toContain('serve-ahead');
    expect(sent).toContain('helper.sh wait-applied');
    expect(driverArgs(sent)).toContain('toxiproxy-cli');
  });
});
