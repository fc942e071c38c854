import type { FaultFacts, InstanceEventEntry, InstanceSeenEntry, TimelineEntry } from '../timeline/timeline.js';
import { entriesOf } from '../timeline/timeline.js';
import { runWindows } from './chaos-window.js';

// Why did an instance stay down? Built only from facts in the timeline (what the engine said about
// each instance, each fault's structured facts), so a JSON report's verdicts explain themselves the
// same way when re-evaluated.

const UP = new Set(['start', 'restart', 'ready']);
const DOWN = new Set(['die', 'stop', 'kill', 'destroy', 'deleted', 'oom', 'unready', 'back-off']);

export function explainStayedDown(entries: readonly TimelineEntry[]): string | undefined {
  const seen = new Map(entriesOf(entries, 'instance-seen').map((entry) => [entry.data.name, entry.data]));
  const events = entriesOf(entries, 'instance-event');
  // Only what the engine did by itself counts: rebound's own rollback starts containers later.
  const { end } = runWindows(entries);
  const reasons: string[] = [];
  const injections = entriesOf(entries, 'fault-injected');
  for (const injection of injections) {
    const from = injection.data.startedAt ?? injection.t;
    for (const subject of injection.data.subjects) {
      const own = events.filter((event) => event.subject === subject && event.t >= from && event.t < end);
      if (upAtTheEnd(own)) continue;
      const why = [oomKilled(own), policyReason(seen.get(subject), events.filter((event) => event.subject === subject && event.t < end), injection.data.facts ?? {}, own)].filter((part) => part !== undefined);
      if (why.length > 0) reasons.push(`${subject} stayed down: ${why.join('; ')}`);
    }
  }
  // A failed node: what decides recovery are the cluster's timers, which the target facts state.
  const timers = entriesOf(entries, 'target-fact').filter((fact) => fact.data.explanation !== undefined);
  if (reasons.length === 0 && timers.length > 0 && injections.some((entry) => entry.data.facts?.waitsForNodeEviction)) {
    reasons.push(timers.map((fact) => fact.data.explanation).join('; '));
  }
  return reasons.length > 0 ? [...new Set(reasons)].join('; ') : undefined;
}

/** Whether the instance's last lifecycle event in the window brought it up (none: it never came back). */
function upAtTheEnd(events: readonly InstanceEventEntry[]): boolean {
  let up = false;
  for (const event of events) {
    if (UP.has(event.data.action)) up = true;
    else if (DOWN.has(event.data.action)) up = false;
  }
  return up;
}

function oomKilled(events: readonly InstanceEventEntry[]): string | undefined {
  const killed = events.some((event) => event.data.action === 'oom' || ((event.data.action === 'die' || event.data.action === 'exit-reason') && event.data.reason === 'OOMKilled'));
  return killed ? 'it was OOM-killed (the kernel killed it at its memory limit)' : undefined;
}

/** Why nothing brought it back: the fault's facts first, then what the engine's policy allows. */
function policyReason(instance: InstanceSeenEntry['data'] | undefined, history: readonly InstanceEventEntry[], facts: FaultFacts, window: readonly InstanceEventEntry[]): string | undefined {
  const policy = instance?.restartPolicy;
  if (facts.restartPolicy !== undefined && policy !== undefined && policy !== 'no' && !facts.restartPolicy.applies) {
    return `${facts.restartPolicy.reason}, so Docker's restart policy (${policy}) does not apply`;
  }
  const limit = instance?.maximumRetryCount ?? 0;
  if (policy === 'on-failure' && limit > 0) {
    // Docker counts the policy's restarts (RestartCount) and gives up once it reaches the limit.
    const restarts = (instance?.restartCount ?? 0) + history.filter((event) => event.data.action === 'start').length;
    if (restarts >= limit) return `its restart policy is on-failure:${limit} and Docker had restarted it ${restarts} time${restarts === 1 ? '' : 's'}: Docker stopped retrying after ${limit}`;
  }
  if (facts.restartPolicy !== undefined && policy === 'no') return 'Docker does not restart a container without a restart policy (RestartPolicy=no)';
  const backOff = window.filter((event) => event.data.action === 'back-off').at(-1);
  if (backOff !== undefined) {
    return `the kubelet holds it in CrashLoopBackOff${backOff.data.message ? ` (${backOff.data.message})` : ''}: a container that keeps dying is restarted after 10 s, then 20 s, 40 s … up to 5 min`;
  }
  return facts.staysDown;
}
