import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { type PodSample, SamplerOutput, samplerScript } from '../../../../../src/targets/kubernetes/kind/pod-resource-sampler.js';

const v1Files = (usage: number, memory: number) => ['#file cpuacct.usage', String(usage), '#file cpu.stat', 'nr_periods 5', 'nr_throttled 2', 'throttled_time 100', '#file cpu.cfs_quota_us', '20000', '#file cpu.cfs_period_us', '100000', '#file memory.usage_in_bytes', String(memory), '#file memory.limit_in_bytes', '67108864'];

describe('the kind node resource sampler', () => {
  it('is valid bash, bounded in samples, paced by (and ended with) its stdin', () => {
    const script = samplerScript([{ pod: 'web-1', containerId: 'abc' }], 500, 120);
    expect(spawnSync('bash', ['-n', '-c', script]).status).toBe(0);
    expect(script).toContain("targets=( 'web-1 abc' )");
    expect(script).toContain('for ((i = 0; i < 120; i++)); do');
    expect(script).toContain('read -r -t 0.500 _; [ $? -gt 128 ] || exit 0');
    // With stdin closed it ends after its first sample (the pods resolve to nothing here).
    const run = spawnSync('bash', ['-c', script], { input: '', encoding: 'utf8', timeout: 5000 });
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^#sample \d{16}$/)]);
  });

  it('parses one sample per pod and interval, summing a pod\'s containers', () => {
    const samples: PodSample[] = [];
    const output = new SamplerOutput((sample) => samples.push(sample));
    for (const line of ['#sample 1700000000000000', '#pod web-1', ...v1Files(1e6, 1000), '#pod web-1', ...v1Files(2e6, 500), '#pod web-2', '#file cpuacct.usage', '#sample 1700000000500000', '#pod web-1', ...v1Files(5e6, 2000)]) output.line(line);
    output.end();
    expect(samples).toEqual([
      { pod: 'web-1', epochMs: 1700000000000, reading: { cpuUsageNs: 3e6, periods: 10, throttledPeriods: 4, throttledNs: 200, memoryBytes: 1500, memoryLimitBytes: 2 * 67108864, cpuLimitMillicores: 400 } },
      { pod: 'web-1', epochMs: 1700000000500, reading: { cpuUsageNs: 5e6, periods: 5, throttledPeriods: 2, throttledNs: 100, memoryBytes: 2000, memoryLimitBytes: 67108864, cpuLimitMillicores: 200 } },
    ]);
  });
});
