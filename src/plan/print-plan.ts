import { formatDuration } from '../common/duration.js';
import type { PlanSummary } from './plan-summary.js';
import { NO_GUARDS } from '../safety/guards/describe-guards.js';

/** The plan as `--dry-run` shows it: exactly what would be touched, and when, and what would stop the run early. */
export function printPlan(file: string, plan: PlanSummary): string {
  const lines = [`Plan for ${file} on ${plan.targetDescription}`];
  const length = plan.endWhenRecovered
    ? `run length: until every fault recovered, not before ${formatDuration(plan.endWhenRecovered.notBeforeMs)}, at most ${formatDuration(plan.durationMs)}`
    : `run length ${formatDuration(plan.durationMs)}`;
  lines.push(`  desired replicas: ${plan.desired}; ${length}; settle ${formatDuration(plan.settleMs)}`);
  for (const fact of plan.deploy?.facts ?? []) lines.push(`  deploy: ${fact}`);
  if (plan.probe) lines.push(`  probe: ${plan.probe.url} at ${plan.probe.rate}/s (timeout ${formatDuration(plan.probe.timeoutMs)})`);
  if (plan.load) {
    const where = plan.load.in === 'cluster' ? ` from ${plan.load.workers ?? 1} pod${plan.load.workers === 1 ? '' : 's'} of a Job in the cluster, starting at ${formatDuration(plan.load.startsAtMs ?? 0)}${plan.load.avoidNodes?.length ? `, off ${plan.load.avoidNodes.join(', ')}` : ''}` : '';
    lines.push(`  load: ${plan.load.profile} for ${formatDuration(plan.load.durationMs)} to ${plan.load.url}${where}`);
  }
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
    if (fault.network) lines.push(...networkLines(fault.network));
  }
  const guards = plan.guards ?? [];
  for (const line of guards.length > 0 ? guards.map((guard) => guard.text) : [NO_GUARDS]) lines.push(`  ${line}`);
  for (const warning of plan.warnings) lines.push(`  warning: ${warning}`);
  lines.push('  (dry run: nothing was touched)', '');
  return lines.join('\n');
}

/** A network fault's mechanism, effect and the helper's exact scripts, indented under the fault. */
function networkLines(preview: NonNullable<PlanSummary['faults'][number]['network']>): string[] {
  const block = (title: string, script: string) => [`        ${title}:`, ...script.split('\n').map((line) => `          ${line}`)];
  return [
    ...(preview.mechanism ? [`        mechanism: ${preview.mechanism}`] : []),
    ...(preview.effect ? [`        effect: ${preview.effect}`] : []),
    ...(preview.problem ? [`        problem: ${preview.problem}`] : []),
    ...(preview.serve ? [`        runs first, in the namespace: ${preview.serve}`] : []),
    ...(preview.apply ? block('applies, in the namespace', preview.apply) : []),
    ...(preview.drain ? block('at the end, first (new connections go straight to the app again, in-flight ones finish)', preview.drain) : []),
    ...(preview.remove ? block('removes (at its deadline, on rollback, or from rebound recover)', preview.remove) : []),
    ...preview.placeholders.map((text) => `        where ${text}`),
  ];
}
