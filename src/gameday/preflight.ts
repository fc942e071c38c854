import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { formatDuration } from '../common/duration.js';
import { errorMessage, ReboundError } from '../common/errors.js';
import type { ExperimentStep, GameDay } from '../experiments/load-game-day.js';
import { deploymentSpecOf } from '../plan/deployment-spec.js';
import { desiredOf, planExperiment, selectorOf } from '../plan/plan-experiment.js';
import { printPlan } from '../plan/print-plan.js';
import { waitForSteadyState } from '../run/wait-for-steady-state.js';
import { journalDirectory } from '../safety/journal.js';
import type { Target, TargetKind } from '../targets/target.js';
import type { Preflight, PreflightCheck } from './game-day-report.js';

/** How long preflight waits for a system that is not ready yet before it says the steady state does not hold. */
export const PREFLIGHT_STEADY_TIMEOUT_MS = 10_000;

/** Where checked targets come from (the CLI's TargetCache). */
export interface TargetSource {
  get(kind: TargetKind, experiment: ExperimentStep['experiment']): Promise<Target>;
}

const ENGINE: Record<TargetKind, string> = { docker: 'Docker engine', kubernetes: 'Kubernetes cluster' };

/**
 * Everything that can be known before the first step, checked without touching anything: the state
 * dir takes journals, every engine a step needs answers, every experiment step's plan resolves as
 * `rebound run --dry-run` resolves it (who would be touched) and its system is in its steady state.
 * A step that deploys its own system is planned after its deploy; here nothing of an earlier deploy
 * may be left in the way.
 */
export async function runPreflight(gameDay: GameDay, options: { targets: TargetSource; stateDir: string; signal: AbortSignal; steadyTimeoutMs?: number }): Promise<Preflight> {
  const started = performance.now();
  const checks: PreflightCheck[] = [stateDirCheck(options.stateDir)];
  const experimentSteps = gameDay.steps.filter((step): step is ExperimentStep => step.kind === 'experiment');
  const reached = new Map<TargetKind, Target | undefined>();
  // Steps on the same system wait for its steady state once (a system that is not there costs one timeout, not one per step).
  const steadiness = new Map<string, ReturnType<typeof waitForSteadyState>>();
  for (const step of experimentSteps) {
    if (reached.has(step.target)) continue;
    try {
      const target = await options.targets.get(step.target, step.experiment);
      reached.set(step.target, target);
      checks.push({ check: `${ENGINE[step.target]} reachable`, ok: true, detail: await target.describe() });
    } catch (error) {
      reached.set(step.target, undefined);
      checks.push({ check: `${ENGINE[step.target]} reachable`, ok: false, detail: fixOf(error) });
    }
  }
  for (const step of experimentSteps) {
    if (options.signal.aborted) break;
    const target = reached.get(step.target);
    const label = `step ${step.index + 1} ${step.name} on ${step.target}`;
    if (target === undefined) {
      checks.push({ check: label, ok: false, step: step.index, detail: `not checked: the ${ENGINE[step.target]} does not answer (above)` });
      continue;
    }
    checks.push(...(await stepChecks(step, target, label, { ...options, steadiness })));
  }
  return { ok: checks.every((check) => check.ok), checks, durationMs: performance.now() - started };
}

/** Journals go to <state dir>/journal: it must exist and take an fsync'd write, or no fault may be injected. */
function stateDirCheck(stateDir: string): PreflightCheck {
  const directory = journalDirectory(stateDir);
  const probe = join(directory, `.preflight-${randomUUID().slice(0, 8)}`);
  try {
    mkdirSync(directory, { recursive: true });
    const fd = openSync(probe, 'w');
    try {
      writeSync(fd, 'preflight\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    rmSync(probe);
    return { check: 'state dir writable', ok: true, detail: `journals go to ${directory}` };
  } catch (error) {
    return { check: 'state dir writable', ok: false, detail: `cannot write journals to ${directory}: ${errorMessage(error)} — give a writable --state-dir, or fix its permissions` };
  }
}

async function stepChecks(step: ExperimentStep, target: Target, label: string, options: { signal: AbortSignal; steadyTimeoutMs?: number; steadiness: Map<string, ReturnType<typeof waitForSteadyState>> }): Promise<PreflightCheck[]> {
  const { experiment } = step;
  const spec = deploymentSpecOf(experiment, step.target, step.file);
  try {
    if (spec) {
      const left = await target.findDeployment(spec);
      const faults = experiment.faults.map((fault, index) => `    [${index}] ${fault.name} at ${formatDuration(fault.at)}`).join('\n');
      const plan = `  deploys its own system first: ${spec.replicas} × ${spec.image} (${spec.name}${spec.namespace ? ` in namespace ${spec.namespace}` : ''}), removed after the step\n  faults:\n${faults}\n  who each fault touches is resolved after the deploy, before the step starts`;
      if (left.found.length > 0) {
        return [{ check: label, ok: false, step: step.index, plan, detail: `an earlier deploy of ${spec.name} is still there (${left.found.join(', ')}): remove it with \`${spec.teardownCommand ?? 'rebound teardown'}\`` }];
      }
      return [{ check: label, ok: true, step: step.index, plan, detail: `deploys ${spec.replicas} × ${spec.image}; nothing of an earlier deploy in the way` }];
    }
    const selector = selectorOf(experiment, step.target);
    const key = JSON.stringify([step.target, selector, desiredOf(experiment)]);
    const waiting = options.steadiness.get(key) ?? waitForSteadyState(target, selector, desiredOf(experiment), { timeoutMs: options.steadyTimeoutMs ?? PREFLIGHT_STEADY_TIMEOUT_MS, signal: options.signal });
    options.steadiness.set(key, waiting);
    const waited = await waiting;
    const plan = planExperiment(experiment, step.target, await target.describe(), waited.discovery);
    const text = printPlan(step.file, plan.summary).replace(/\n {2}\(dry run: nothing was touched\)\n$/, '\n').replace(/\n$/, '');
    const problems: string[] = [];
    const ready = waited.discovery.instances.filter((instance) => instance.ready).length;
    if (waited.discovery.instances.length === 0) problems.push('no instance matches system.selector — start the system (or fix system.selector) before the game day');
    else if (!waited.steady) problems.push(`the steady state does not hold: ${ready} of ${plan.desired} instance(s) ready after ${formatDuration(waited.waitedMs)} — wait for the system to be ready (or fix system.replicas) before the game day`);
    for (const injection of plan.injections) {
      if (injection.actsOn === 'instances' && injection.subjects.length === 0) {
        problems.push(`fault [${injection.index}] ${injection.name} would touch nothing: no eligible instance (the plan above says why each one is not)`);
      }
    }
    if (experiment.guards.some((guard) => guard.name === 'http') && plan.probeUrl === undefined) problems.push(`guard http needs the traffic probe: set system.url for ${step.target}`);
    const unique = [...new Set(problems)];
    return [{ check: label, ok: unique.length === 0, step: step.index, plan: text, detail: unique.length === 0 ? `steady: ${ready}/${plan.desired} ready; ${plan.injections.length} injection(s) planned` : unique.join('; ') }];
  } catch (error) {
    return [{ check: label, ok: false, step: step.index, detail: fixOf(error) }];
  }
}

/** A failed check in words: rebound's own errors carry what to do; an engine's error is said as it is. */
function fixOf(error: unknown): string {
  if (error instanceof ReboundError) return `${error.message}${error.hint ? ` — ${error.hint}` : ''}`;
  return errorMessage(error);
}
