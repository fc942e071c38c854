import { dirname } from 'node:path';
import { errorMessage } from '../common/errors.js';
import type { RollbackOutcome, TargetKind } from '../targets/target.js';
import { teardownCommandFor } from '../plan/deployment-spec.js';
import { commandsFor, runExperimentCommand } from './experiment-commands.js';
import type { Experiment } from '../experiments/schema.js';

/** One thing a teardown did: remove the deployment, or run one `teardown` command. */
export interface ReleaseStep {
  step: 'deployment' | 'command';
  ok: boolean;
  /** What was done ("removed web-0, web-1", "docker compose down"), or what failed and why. */
  text: string;
}

export interface Release {
  /** false: something may be left behind (the failed steps say what). */
  ok: boolean;
  steps: ReleaseStep[];
}

/**
 * The end of a run, and `rebound teardown`: removes the deployment (when `removeDeployment` is
 * given), then runs the experiment's teardown commands for `kind` from the file's folder (with
 * `env`, the target's command environment), each even when an earlier one failed. Never throws.
 */
export async function releaseSystem(experiment: Experiment, file: string, kind: TargetKind, removeDeployment?: () => Promise<RollbackOutcome>, env: Record<string, string> = {}): Promise<Release> {
  const steps: ReleaseStep[] = [];
  if (removeDeployment) {
    const outcome = await removeDeployment().catch((error: unknown): RollbackOutcome => ({ ok: false, action: 'teardown', error: errorMessage(error) }));
    steps.push({ step: 'deployment', ok: outcome.ok, text: outcome.ok ? outcome.action : `${outcome.action}${outcome.error ? ` (${outcome.error})` : ''}` });
  }
  for (const command of commandsFor(experiment.teardown, kind)) {
    const failure = await runExperimentCommand(command, dirname(file), kind, experiment, undefined, env).catch((error: unknown) => errorMessage(error));
    steps.push({ step: 'command', ok: failure === undefined, text: failure ?? command.run.join(' ') });
  }
  return { ok: steps.every((step) => step.ok), steps };
}

/** Says on stderr what a failed teardown left, and the command that removes it. */
export function reportLeftBehind(notes: readonly string[], file: string, kind: TargetKind): void {
  process.stderr.write(`rebound: ${notes.join('; ')}\n  what is left: ${teardownCommandFor(file, kind)} removes it\n`);
}

/** The steps as a run's notes: "teardown: removed …", "teardown command FAILED: …". */
export function releaseNotes(steps: readonly ReleaseStep[]): string[] {
  return steps.map((step) => `${step.step === 'deployment' ? 'teardown' : 'teardown command'}${step.ok ? '' : ' FAILED'}: ${step.text}`);
}
