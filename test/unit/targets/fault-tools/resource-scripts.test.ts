import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  belowUsageRefusal,
  cgroupFilePaths,
  cgroupFilesScript,
  cpuStressArgs,
  joinCgroupsScript,
  memoryStressArgs,
  oomPushArgs,
  parseCgroupFiles,
  parseFileBlocks,
  parseProcessFacts,
  startTimeOfStat,
  stressScript,
} from '../../../../src/targets/fault-tools/index.js';

const bash = (script: string) => spawnSync('bash', ['-c', script], { encoding: 'utf8' });
const bashSyntaxOk = (script: string) => spawnSync('bash', ['-n', '-c', script]).status === 0;

describe('stress scripts', () => {
  it('runs stress-ng as the driver\'s long-running process, after the join, with its own timeout past the deadline', () => {
    expect(cpuStressArgs(2, 80, 4000)).toEqual(['stress-ng', '--cpu', '2', '--cpu-load', '80', '--timeout', '9s', '--quiet']);
    expect(memoryStressArgs(40 * 1024 * 1024, 1500)).toEqual(['stress-ng', '--vm', '1', '--vm-bytes', '41943040', '--vm-keep', '--timeout', '7s', '--quiet']);
    const script = stressScript('rb1', cpuStressArgs(1, 100, 1000), 'echo joined');
    expect(script.apply).toBe('true');
    expect(script.serve!.ready).toBe('[ -e /tmp/rebound-stress-rb1.ready ]');
    expect(script.serve!.command).toBe("bash -c 'echo joined\n: > /tmp/rebound-stress-rb1.ready\nexec stress-ng --cpu 1 --cpu-load 100 --timeout 6s --quiet'");
    expect(script.remove).toBe('rm -f /tmp/rebound-stress-rb1.ready');
    expect(bashSyntaxOk(script.serve!.command)).toBe(true);
    expect(() => stressScript('no spaces', ['true'])).toThrow(/helper id/);
  });

  it('pushes past the limit with one dd block of limit + 64 MiB', () => {
    expect(oomPushArgs(64 * 1024 * 1024)).toEqual(['dd', 'if=/dev/zero', 'of=/dev/null', `bs=${128 * 1024 * 1024}`, 'count=1']);
  });

  it('joins only the named v1 hierarchies when asked (the oom push: memory alone)', () => {
    const script = joinCgroupsScript(42, { only: ['memory'] });
    expect(script).toContain('case ",$controllers," in *,memory,*|,,) ;; *) continue ;; esac');
    expect(bashSyntaxOk(script)).toBe(true);
    expect(joinCgroupsScript(42)).not.toContain('*,memory,*');
  });
});

describe('cgroup readings', () => {
  it('reads v1 files: cumulative CPU, throttling, memory and the limits ("no limit" is absent)', () => {
    const reading = parseCgroupFiles({
      'cpuacct.usage': '1500000000\n',
      'cpu.stat': 'nr_periods 30\nnr_throttled 10\nthrottled_time 971249306\nnr_bursts 0\n',
      'cpu.cfs_quota_us': '20000',
      'cpu.cfs_period_us': '100000',
      'memory.usage_in_bytes': '3145728',
      'memory.limit_in_bytes': '9223372036854771712',
    });
    expect(reading).toEqual({ cpuUsageNs: 1.5e9, periods: 30, throttledPeriods: 10, throttledNs: 971249306, memoryBytes: 3145728, cpuLimitMillicores: 200 });
    expect(parseCgroupFiles({ 'cpu.cfs_quota_us': '-1' })).toBeUndefined();
  });

  it('reads v2 files (usage_usec, throttled_usec, memory.max, cpu.max)', () => {
    expect(parseCgroupFiles({ 'cpu.stat': 'usage_usec 2000\nnr_periods 4\nnr_throttled 1\nthrottled_usec 50\n', 'cpu.max': '10000 100000', 'memory.current': '1048576', 'memory.max': 'max' })).toEqual({
      cpuUsageNs: 2e6,
      periods: 4,
      throttledPeriods: 1,
      throttledNs: 5e4,
      memoryBytes: 1048576,
      cpuLimitMillicores: 100,
    });
  });

  it('finds the files of a process from its /proc/<pid>/cgroup: v1 per controller, v2 when no v1 memory hierarchy is listed', () => {
    const v1 = cgroupFilePaths('12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n0::/system.slice/docker.service\n');
    expect(v1).toMatchObject({ 'memory.usage_in_bytes': '/sys/fs/cgroup/memory/docker/abc/memory.usage_in_bytes', 'cpu.stat': '/sys/fs/cgroup/cpu/docker/abc/cpu.stat', 'cpuacct.usage': '/sys/fs/cgroup/cpuacct/docker/abc/cpuacct.usage' });
    expect(cgroupFilePaths('0::/system.slice/docker-abc.scope\n')).toEqual({
      'cpu.stat': '/sys/fs/cgroup/system.slice/docker-abc.scope/cpu.stat',
      'cpu.max': '/sys/fs/cgroup/system.slice/docker-abc.scope/cpu.max',
      'memory.current': '/sys/fs/cgroup/system.slice/docker-abc.scope/memory.current',
      'memory.max': '/sys/fs/cgroup/system.slice/docker-abc.scope/memory.max',
    });
  });

  it('reads this very process\'s cgroup files through the node script (whatever cgroup version this machine has)', () => {
    const result = bash(`pid=$$\n${cgroupFilesScript('pid')}`);
    expect(result.status).toBe(0);
    const reading = parseCgroupFiles(parseFileBlocks(result.stdout));
    expect(reading?.cpuUsageNs).toBeGreaterThan(0);
    expect(reading?.memoryBytes).toBeGreaterThan(0);
    expect(bash('pid=999999999\n' + cgroupFilesScript('pid')).stdout).toBe('');
  });

  it('parses "#file" blocks, leaving out files that printed nothing', () => {
    expect(parseFileBlocks('#file a\n1\n2\n#file b\n#file c\nx\n')).toEqual({ a: '1\n2', c: 'x' });
  });
});

describe('process facts', () => {
  const stat = '1756 (demo app) S 1 1756 1756 0 -1 4194560 1000 0 0 0 10 5 0 0 20 0 8 0 123456 1330420 1000 18446744073709551615';
  it('takes the start time (field 22) after the command name, spaces and parentheses and all', () => {
    expect(startTimeOfStat(stat)).toBe('123456');
    expect(startTimeOfStat('1 (a) b) S 0')).toBeUndefined();
    expect(parseProcessFacts(`0 ${stat.slice(stat.lastIndexOf(')') + 2)}`)).toEqual({ oomScoreAdj: 0, startTime: '123456' });
    expect(parseProcessFacts('')).toBeUndefined();
  });
});

describe('runc refusals', () => {
  it('says what runc means by a memory limit below usage, and nothing for other errors', () => {
    expect(belowUsageRefusal('Cannot update container abc: unable to set memory limit to 16777216 (current usage: 47525888, peak usage: 50331648)')).toBe(
      "the kernel cannot take a cgroup's memory limit below what it uses (45.3 MiB in use, 16 MiB asked; anonymous memory without swap cannot be reclaimed)",
    );
    expect(belowUsageRefusal('No such container: x')).toBeUndefined();
  });
});
