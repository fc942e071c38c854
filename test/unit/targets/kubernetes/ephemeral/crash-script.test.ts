import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CRASH_SCRIPT, parseCrashReport } from '../../../../../src/targets/kubernetes/ephemeral/crash-script.js';

describe('the crash helper script', () => {
  it('is valid bash', () => {
    expect(() => execFileSync('bash', ['-n', '-c', CRASH_SCRIPT])).not.toThrow();
  });

  it('refuses to act after its deadline, before it looks at any process', () => {
    const run = () => execFileSync('bash', ['-c', CRASH_SCRIPT.replaceAll('/dev/termination-log', '/dev/null'), 'rebound-crash-test', 'abc', '1', '1000'], { encoding: 'utf8' });
    let failure: { status?: number; stdout?: string } = {};
    try {
      run();
    } catch (error) {
      failure = error as typeof failure;
    }
    expect(failure.status).toBe(14);
    expect(parseCrashReport(failure.stdout)).toEqual({ outcome: 'too-late' });
  });
});

describe('parseCrashReport', () => {
  it('reads each outcome the helper writes', () => {
    expect(parseCrashReport('rebound-crash: signalled signal=SIGQUIT pid=1 comm=demo-app\n')).toEqual({ outcome: 'signalled', signal: 'SIGQUIT', pid: 1, comm: 'demo-app' });
    expect(parseCrashReport('rebound-crash: signalled signal=SIGKILL pid=7 comm=demo-app')).toEqual({ outcome: 'signalled', signal: 'SIGKILL', pid: 7, comm: 'demo-app' });
    expect(parseCrashReport('rebound-crash: survived signal=SIGQUIT pid=1 wait=10 comm=java')).toEqual({ outcome: 'survived', signal: 'SIGQUIT', pid: 1, waitS: 10, comm: 'java' });
    expect(parseCrashReport('rebound-crash: no-handler pid=1 caught=0000000000000000 comm=sleep')).toEqual({ outcome: 'no-handler', caught: '0000000000000000', comm: 'sleep' });
    expect(parseCrashReport('rebound-crash: no-main-process roots=1,22')).toEqual({ outcome: 'no-main-process', roots: '1,22' });
    expect(parseCrashReport('rebound-crash: kill-failed signal=SIGQUIT pid=1 comm=app')).toEqual({ outcome: 'kill-failed', signal: 'SIGQUIT', pid: 1, comm: 'app' });
  });

  it('keeps a process name with spaces whole (comm comes last)', () => {
    expect(parseCrashReport('rebound-crash: no-handler pid=1 caught=0 comm=my app x=1')).toMatchObject({ comm: 'my app x=1' });
  });

  it('says what it got when the message is not the helper\'s', () => {
    expect(parseCrashReport(undefined)).toEqual({ outcome: 'unknown', text: '' });
    expect(parseCrashReport('exec: bash: not found')).toEqual({ outcome: 'unknown', text: 'exec: bash: not found' });
  });
});
