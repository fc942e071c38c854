import { formatDuration } from '../common/duration.js';
import type { PlanSummary } from '../experiments/run-result.js';

/** The plan as `--dry-run` shows it: exactly what would be touched, and when. */
export function printPlan(file: string, plan: PlanSummary): string {
  const lines = [`Plan for ${file} on ${plan.targetDescription}`];
  lines.push(`  desired replicas: ${plan.desired}; run length ${formatDuration(plan.durationMs)}; settle ${formatDuration(plan.settleMs)}`);
  if (plan.probe) lines.push(`  probe: ${plan.probe.url} at ${plan.probe.rate}/s (timeout ${formatDuration(plan.probe.timeoutMs)})`);
  if (plan.load) lines.push(`  load: ${plan.load.profile} for ${formatDuration(plan.load.durationMs)} to ${plan.load.url}`);
  lines.push(`  instances matched: ${plan.instances.length}`);
  for (const instance of plan.instances) {
    const state = instance.ready ? 'ready' : 'not ready';
    lines.push(`    ${instance.eligible ? '+' : '-'} ${instance.name}${instance.host ? ` on ${instance.host}` : ''} (${state})${instance.reason ? `: not eligible, ${instance.reason}` : ''}`);
  }
  lines.push('  faults:');
  for (const fault of plan.faults) {
    const when = fault.at.map((at) => formatDuration(at)).join(', ');
    const who = fault.subjects.length > 0 ? fault.subjects.join(', ') : 'the system';
    const until = fault.rollbackAfter !== undefined ? `, undone after ${formatDuration(fault.rollbackAfter)}` : ', undone at the end';
    lines.push(`    [${fault.index}] ${fault.name} at ${when} → ${who}${until}${fault.note ? ` (${fault.note})` : ''}`);
  }
  for (const warning of plan.warnings) lines.push(`  warning: ${warning}`);
  lines.push('  (dry run: nothing was touched)', '');
  return lines.join('\n');
}
