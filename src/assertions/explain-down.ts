import { entriesOf, type TimelineEntry } from '../timeline/timeline.js';
import { runWindows } from './chaos-window.js';

// Why did an instance stay down? Built only from facts in the timeline, so a JSON report's verdicts
// explain themselves the same way when re-evaluated.
export function explainStayedDown(entries: readonly TimelineEntry[]): string | undefined {
  const policies = new Map(entriesOf(entries, 'instance-seen').map((entry) => [entry.data.name, entry.data.restartPolicy]));
  const reasons: string[] = [];
  // Only what the engine did by itself counts: rebound's own rollback starts containers later.
  const { end } = runWindows(entries);
  for (const injection of entriesOf(entries, 'fault-injected')) {
    for (const subject of injection.data.subjects) {
      const policy = policies.get(subject);
      const restarted = entriesOf(entries, 'instance-event').some(
        (event) => event.subject === subject && event.t > injection.t && event.t < end && ['start', 'restart', 'ready'].includes(event.data.action),
      );
      if (restarted) continue;
      if (injection.data.name === 'kill' && policy !== undefined && policy !== 'no' && injection.data.note?.includes('manual stop')) {
        reasons.push(`${subject} stayed down: \`docker kill\` is a manual stop, so Docker's restart policy (${policy}) does not apply`);
      } else if ((injection.data.name === 'crash' || injection.data.name === 'kill' || injection.data.name === 'stop') && policy === 'no') {
        reasons.push(`${subject} stayed down: Docker does not restart a container without a restart policy (RestartPolicy=no)`);
      } else if (injection.data.name === 'stop' || injection.data.name === 'fail-node') {
        reasons.push(`${subject} stayed down: ${injection.data.note ?? 'a stopped container is not restarted by Docker'}`);
      }
    }
  }
  const facts = entriesOf(entries, 'target-fact').filter((fact) => fact.data.explanation !== undefined);
  if (reasons.length === 0 && facts.length > 0 && entriesOf(entries, 'fault-injected').some((entry) => entry.data.name === 'fail-node')) {
    reasons.push(facts.map((fact) => fact.data.explanation).join('; '));
  }
  return reasons.length > 0 ? [...new Set(reasons)].join('; ') : undefined;
}
