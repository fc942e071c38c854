import { dirname } from 'node:path';
import { formatDuration } from '../common/duration.js';
import { EnvironmentError } from '../common/errors.js';
import type { DeployedSystem, Target, TargetKind } from '../targets/target.js';
import { OPT_IN_LABEL, OPT_IN_VALUE } from '../common/labels.js';
import { deploymentSpecOf } from '../plan/deployment-spec.js';
import { selectorOf } from '../plan/plan-experiment.js';
import { commandsFor, runExperimentCommand } from './experiment-commands.js';
import { releaseNotes, releaseSystem, reportLeftBehind } from './release-system.js';
import type { Experiment } from '../experiments/schema.js';

/** Deploying waits for every replica to be ready; restore before an iteration likewise. */
const DEPLOY_TIMEOUT_MS = 180_000;

/** The system under test, made ready by the experiment's `setup` and `deploy`. */
export interface PreparedSystem {
  /** What was set up, for the report ("deployed 3 containers …"). */
  notes: string[];
  /** Before every iteration after the first: back to the deployed state (a no-op without `deploy`). */
  restore(signal: AbortSignal): Promise<void>;
  /** Removes the deployment and runs the teardown commands; never throws. ok: false means something may be left. */
  release(): Promise<{ ok: boolean; notes: string[] }>;
}

/**
 * Runs the setup commands, then deploys (when the experiment has `deploy`). If either fails, what
 * was done is undone before the error is thrown: a failed setup leaves nothing behind.
 */
export async function prepareSystem(experiment: Experiment, file: string, kind: TargetKind, target: Target, signal: AbortSignal): Promise<PreparedSystem> {
  const notes: string[] = [];
  let deployed: DeployedSystem | undefined;
  // Only experiments with commands get one (it is a kubeconfig file on Kubernetes).
  const hasCommands = commandsFor(experiment.setup, kind).length + commandsFor(experiment.teardown, kind).length > 0;
  const env = hasCommands ? (target.commandEnvironment?.() ?? {}) : {};
  const release = async () => {
    const system = deployed;
    const { ok, steps } = await releaseSystem(experiment, file, kind, system && (() => system.teardown()), env);
    return { ok, notes: releaseNotes(steps) };
  };
  try {
    for (const command of commandsFor(experiment.setup, kind)) {
      if (signal.aborted) break;
      const failure = await runExperimentCommand(command, dirname(file), kind, experiment, signal, env);
      if (failure) throw new EnvironmentError(`setup command failed: ${failure}`, { hint: 'fix the command in the experiment\'s setup (it runs without a shell, from the experiment file\'s folder)' });
      notes.push(`setup: ${command.run.join(' ')}`);
    }
    const spec = deploymentSpecOf(experiment, kind, file);
    if (spec && !signal.aborted) {
      const started = performance.now();
      deployed = await target.deploy(spec, { timeoutMs: DEPLOY_TIMEOUT_MS, signal });
      notes.push(`deployed ${deployed.description} in ${formatDuration(performance.now() - started)}`);
    }
  } catch (error) {
    const undone = await release();
    if (!undone.ok) reportLeftBehind(undone.notes, file, kind);
    throw error;
  }
  return {
    notes,
    release,
    restore: async (restoreSignal) => {
      if (deployed) return deployed.restore({ timeoutMs: DEPLOY_TIMEOUT_MS, signal: restoreSignal });
      // A system the setup commands made: only what an earlier iteration's crash left is replaced
      // (never anything without the opt-in label, when the experiment requires it); the next
      // iteration's steady-state wait then sees it ready again.
      const selector = selectorOf(experiment, kind);
      await target.replaceRestarted?.(experiment.safety.optInLabel ? { ...selector, labels: { ...selector.labels, [OPT_IN_LABEL]: OPT_IN_VALUE } } : selector);
    },
  };
}
