import { dirname } from 'node:path';
import { execa } from 'execa';
import { formatDuration } from '../common/duration.js';
import { EnvironmentError, errorMessage } from '../common/errors.js';
import type { DeployedSystem, Target, TargetKind } from '../targets/target.js';
import { deploymentSpecOf } from './deployment-spec.js';
import type { CommandSpec, Experiment } from './schema.js';

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
  const cwd = dirname(file);
  const notes: string[] = [];
  let deployed: DeployedSystem | undefined;
  const release = async () => {
    const results: { ok: boolean; notes: string[] } = { ok: true, notes: [] };
    if (deployed) {
      const outcome = await deployed.teardown().catch((error: unknown) => ({ ok: false, action: 'teardown', error: errorMessage(error) }));
      results.ok &&= outcome.ok;
      results.notes.push(outcome.ok ? `teardown: ${outcome.action}` : `teardown FAILED: ${outcome.action}${outcome.error ? ` (${outcome.error})` : ''}`);
    }
    for (const command of commandsFor(experiment.teardown, kind)) {
      const failure = await runCommand(command, cwd, kind, experiment).catch((error: unknown) => errorMessage(error));
      if (failure) {
        results.ok = false;
        results.notes.push(`teardown command FAILED: ${failure}`);
      } else results.notes.push(`teardown command: ${command.run.join(' ')}`);
    }
    return results;
  };
  try {
    for (const command of commandsFor(experiment.setup, kind)) {
      if (signal.aborted) break;
      const failure = await runCommand(command, cwd, kind, experiment, signal);
      if (failure) throw new EnvironmentError(`setup command failed: ${failure}`, { hint: 'fix the command in the experiment\'s setup (it runs without a shell, from the experiment file\'s folder)' });
      notes.push(`setup: ${command.run.join(' ')}`);
    }
    const spec = deploymentSpecOf(experiment, kind);
    if (spec && !signal.aborted) {
      const started = performance.now();
      deployed = await target.deploy(spec, { timeoutMs: DEPLOY_TIMEOUT_MS, signal });
      notes.push(`deployed ${deployed.description} in ${formatDuration(performance.now() - started)}`);
    }
  } catch (error) {
    const undone = await release();
    if (!undone.ok) process.stderr.write(`rebound: ${undone.notes.join('; ')}\n`);
    throw error;
  }
  return {
    notes,
    release,
    restore: async (restoreSignal) => {
      await deployed?.restore({ timeoutMs: DEPLOY_TIMEOUT_MS, signal: restoreSignal });
    },
  };
}

function commandsFor(commands: readonly CommandSpec[], kind: TargetKind): CommandSpec[] {
  return commands.filter((command) => command.target === undefined || command.target === kind);
}

/** Runs one command without a shell; returns why it failed, or undefined. */
async function runCommand(command: CommandSpec, cwd: string, kind: TargetKind, experiment: Experiment, signal?: AbortSignal): Promise<string | undefined> {
  const [program, ...args] = command.run as [string, ...string[]];
  const result = await execa(program, args, {
    cwd,
    timeout: command.timeout,
    reject: false,
    all: true,
    stdin: 'ignore',
    env: { REBOUND_TARGET: kind, REBOUND_EXPERIMENT: experiment.metadata.name },
    ...(signal && { cancelSignal: signal }),
  });
  if (!result.failed) return undefined;
  const why = result.timedOut ? `timed out after ${formatDuration(command.timeout)}` : result.isCanceled ? 'interrupted' : result.code === 'ENOENT' ? `${program} not found` : `exit ${result.exitCode ?? result.signal}`;
  const tail = String(result.all ?? '').trim().split('\n').slice(-5).join(' | ');
  return `${command.run.join(' ')}: ${why}${tail ? ` — ${tail}` : ''}`;
}
