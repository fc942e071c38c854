import { describe, expect, it } from 'vitest';
import { explainStayedDown } from '../../../src/assertions/explain-down.js';
import type { InstanceEventEntry, TimelineEntry } from '../../../src/timeline/timeline.js';
import { TimelineBuilder } from './timeline-builder.js';

// The explanations of issue 18 item 3: restart limits, OOM kills and CrashLoopBackOff, built only
// from what the engines put in the timeline.
const crashFacts = { restartPolicy: { applies: true, reason: 'a SIGKILL from outside the engine is a crash' } };
const event = (t: number, subject: string, data: InstanceEventEntry['data']): TimelineEntry => ({ t, source: 'target', kind: 'instance-event', subject, data });
const seen = (name: string, data: Partial<Extract<TimelineEntry, { kind: 'instance-seen' }>['data']>): TimelineEntry => ({
  t: 0,
  source: 'target',
  kind: 'instance-seen',
  subject: name,
  data: { id: name, name, hasHealthcheck: true, running: true, ready: true, ...data },
});

describe('explainStayedDown', () => {
  it('on-failure:2 and a third crash: Docker stopped retrying after 2', () => {
    const builder = new TimelineBuilder();
    builder.entries.push(seen('web', { restartPolicy: 'on-failure', maximumRetryCount: 2, restartCount: 0 }));
    builder.fault(1000, 'crash', ['web'], undefined, { facts: crashFacts }).fault(3000, 'crash', ['web'], undefined, { facts: crashFacts }).fault(5000, 'crash', ['web'], undefined, { facts: crashFacts });
    builder.entries.push(event(1005, 'web', { action: 'die', exitCode: 137 }), event(1300, 'web', { action: 'start' }), event(3005, 'web', { action: 'die', exitCode: 137 }), event(3500, 'web', { action: 'start' }), event(5005, 'web', { action: 'die', exitCode: 137 }));
    const explanation = explainStayedDown(builder.phase(9000, 'rollback').build());
    expect(explanation).toBe('web stayed down: its restart policy is on-failure:2 and Docker had restarted it 2 times: Docker stopped retrying after 2');
  });

  it('counts the restarts before the run too (RestartCount when the run started)', () => {
    const builder = new TimelineBuilder();
    builder.entries.push(seen('web', { restartPolicy: 'on-failure', maximumRetryCount: 2, restartCount: 2 }));
    builder.fault(1000, 'crash', ['web'], undefined, { facts: crashFacts });
    builder.entries.push(event(1005, 'web', { action: 'die', exitCode: 137 }));
    expect(explainStayedDown(builder.phase(9000, 'rollback').build())).toMatch(/on-failure:2 and Docker had restarted it 2 times/);
  });

  it('an OOM kill under restart: no says both', () => {
    const builder = new TimelineBuilder();
    builder.entries.push(seen('web', { restartPolicy: 'no' }));
    builder.fault(1000, 'crash', ['web'], undefined, { facts: crashFacts });
    builder.entries.push(event(1003, 'web', { action: 'oom' }), event(1005, 'web', { action: 'die', exitCode: 137 }));
    expect(explainStayedDown(builder.phase(9000, 'rollback').build())).toBe(
      'web stayed down: it was OOM-killed (the kernel killed it at its memory limit); Docker does not restart a container without a restart policy (RestartPolicy=no)',
    );
  });

  it('Kubernetes: OOMKilled and CrashLoopBackOff with the back-off in force', () => {
    const builder = new TimelineBuilder();
    builder.entries.push(seen('web-abc', { restartPolicy: 'Always' }));
    builder.fault(1000, 'crash', ['web-abc']);
    builder.entries.push(
      event(1005, 'web-abc', { action: 'die', exitCode: 137, reason: 'OOMKilled' }),
      event(1500, 'web-abc', { action: 'start', restartCount: 1 }),
      event(2005, 'web-abc', { action: 'die', exitCode: 137, reason: 'OOMKilled' }),
      event(2100, 'web-abc', { action: 'back-off', reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=app pod=web-abc_demo(…)' }),
    );
    expect(explainStayedDown(builder.phase(9000, 'rollback').build())).toBe(
      'web-abc stayed down: it was OOM-killed (the kernel killed it at its memory limit); the kubelet holds it in CrashLoopBackOff (back-off 10s restarting failed container=app pod=web-abc_demo(…)): a container that keeps dying is restarted after 10 s, then 20 s, 40 s … up to 5 min',
    );
  });

  it('says nothing about an instance that is up at the end', () => {
    const builder = new TimelineBuilder();
    builder.entries.push(seen('web', { restartPolicy: 'always' }));
    builder.fault(1000, 'crash', ['web'], undefined, { facts: crashFacts });
    builder.entries.push(event(1005, 'web', { action: 'die', exitCode: 137 }), event(1400, 'web', { action: 'start' }));
    expect(explainStayedDown(builder.phase(9000, 'rollback').build())).toBeUndefined();
  });
});
