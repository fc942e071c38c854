import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Journal } from '../safety/journal.js';
import type { Target, TargetKind } from '../targets/target.js';
import { deploymentSpecOf } from '../plan/deployment-spec.js';
import { desiredOf, type Plan, planExperiment, selectorOf } from '../plan/plan-experiment.js';
import { runExperiment } from './run-experiment.js';
import { trafficSourcesFor } from './traffic-sources-for.js';
import type { RunResult } from './run-result.js';
import type { Experiment } from '../experiments/schema.js';
import type { TimelineEntry } from '../timeline/timeline.js';
import { waitForSteadyState } from './wait-for-steady-state.js';

/** How long an iteration waits for the system to be ready before it starts. */
export const STEADY_STATE_TIMEOUT_MS = 60_000;

export interface IterationContext {
  file: string;
  experiment: Experiment;
  kind: TargetKind;
  target: Target;
  iteration: number;
  signal: AbortSignal;
  stateDir: string;
  onStart?: (plan: Plan) => void;
  onEntry?: (entry: TimelineEntry) => void;
}

/** Plans the experiment against the live target (after a bounded wait for the steady state), without touching anything. */
export async function planIteration(context: Pick<IterationContext, 'experiment' | 'kind' | 'target' | 'signal'>, timeoutMs = STEADY_STATE_TIMEOUT_MS): Promise<Plan> {
  const { experiment, kind, target } = context;
  const { discovery } = await waitForSteadyState(target, selectorOf(experiment, kind), desiredOf(experiment), { timeoutMs, signal: context.signal });
  return planExperiment(experiment, kind, await target.describe(), discovery);
}

/** One iteration: steady state, plan, journal, run. The journal lets `rebound recover` undo what a killed run left. */
export async function runIteration(context: IterationContext): Promise<RunResult> {
  const plan = await planIteration(context);
  const journal = new Journal(`${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`, context.stateDir);
  const deploy = deploymentSpecOf(context.experiment, context.kind);
  journal.append({
    type: 'run-started',
    runId: journal.runId,
    pid: process.pid,
    experiment: context.experiment.metadata.name,
    target: context.kind,
    at: new Date().toISOString(),
    file: resolve(context.file),
    ...(deploy && { deploy: { name: deploy.name, ...(deploy.namespace !== undefined && { namespace: deploy.namespace }) } }),
  });
  context.onStart?.(plan);
  try {
    const result = await runExperiment({
      experiment: context.experiment,
      file: context.file,
      plan,
      target: context.target,
      traffic: trafficSourcesFor(context.target, { runId: journal.runId, experiment: context.experiment.metadata.name, selector: plan.selector, journal }),
      iteration: context.iteration,
      signal: context.signal,
      journal,
      ...(context.onEntry && { onEntry: context.onEntry }),
    });
    journal.append({ type: 'run-ended', runId: journal.runId, outcome: result.outcome, at: new Date().toISOString() });
    return result;
  } finally {
    journal.close();
  }
}
