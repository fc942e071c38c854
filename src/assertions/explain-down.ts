import { entriesOf, type TimelineEntry } from '../timeline/timeline.js';
import { runWindows } from './chaos-window.js';

// Why did an instance stay down? Built only from facts in the timeline (the engine's restart policy
// per instance, and each fault's structured facts), so a JSON report's verdicts explain themselves
// the same way when re-evaluated.
export function explainStayedDown(entries: readonly TimelineEntry[]): string | undefined {
  const policies = new Map(entriesOf(entries, 'instance-seen').map((entry) => [entry.data.name, entry.data.restartPolicy]));
  const reasons: string[] = [];
  // Only what the engine did by itself counts: rebound's own rollback starts containers later.
  const { end } = runWindows(entries);
  const injections = entriesOf(entries, 'fault-injected');
  for (const injection of injections) {
    const facts = injection.data.facts ?? {};
    for (const subject of injection.data.subjects) {
      const restarted = entriesOf(entries, 'instance-event').some(
        (event) => event.subject === subject && event.t > (injection.data.startedAt ?? injection.t) && event.t < end && ['start', 'restart', 'ready'].includes(event.data.action),
      );
      if (restarted) continue;
      const policy = policies.get(subject);
      if (facts.restartPolicy !== undefined && policy !== undefined && policy !== 'no' && !facts.restartPolicy.applies) {
        reasons.push(`${subject} stayed down: ${facts.restartPolicy.reason}, so Docker's restart policy (${policy}) does not apply`);
      } else if (facts.restartPolicy !== undefined && policy === 'no') {
        reasons.push(`${subject} stayed down: Docker does not restart a container without a restart policy (RestartPolicy=no)`);
      } else if (facts.staysDown !== undefined) {
        reasons.push(`${subject} stayed down: ${facts.staysDown}`);
      }
    }
  }
  // A failed node: what decides recovery are the cluster's timers, which the target facts state.
  const timers = entriesOf(entries, 'target-fact').filter((fact) => fact.data.explanation !== undefined);
  if (reasons.length === 0 && timers.length > 0 && injections.some((entry) => entry.data.facts?.waitsForNodeEviction)) {
    reasons.push(timers.map((fact) => fact.data.explanation).join('; '));
  }
  return reasons.length > 0 ? [...new Set(reasons)].join('; ') : undefined;
}
