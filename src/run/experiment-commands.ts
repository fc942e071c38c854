import { execa } from 'execa';
import { formatDuration } from '../common/duration.js';
import type { TargetKind } from '../targets/target.js';
import type { CommandSpec, Experiment } from '../experiments/schema.js';

/** The experiment's `setup` or `teardown` commands that apply on `kind` (those without `target` apply on both). */
export function commandsFor(commands: readonly CommandSpec[], kind: TargetKind): CommandSpec[] {
  return commands.filter((command) => command.target === undefined || command.target === kind);
}

/**
 * Runs one `setup` / `teardown` command without a shell, from `cwd` (the experiment file's folder);
 * returns why it failed, or undefined. `env` adds to rebound's environment (the target's
 * commandEnvironment: e.g. the KUBECONFIG of the context in use).
 */
export async function runExperimentCommand(command: CommandSpec, cwd: string, kind: TargetKind, experiment: Experiment, signal?: AbortSignal, env: Record<string, string> = {}): Promise<string | undefined> {
  const [program, ...args] = command.run as [string, ...string[]];
  const result = await execa(program, args, {
    cwd,
    timeout: command.timeout,
    reject: false,
    all: true,
    stdin: 'ignore',
    env: { ...env, REBOUND_TARGET: kind, REBOUND_EXPERIMENT: experiment.metadata.name },
    ...(signal && { cancelSignal: signal }),
  });
  if (!result.failed) return undefined;
  const why = result.timedOut ? `timed out after ${formatDuration(command.timeout)}` : result.isCanceled ? 'interrupted' : result.code === 'ENOENT' ? `${program} not found` : `exit ${result.exitCode ?? result.signal}`;
  const tail = String(result.all ?? '').trim().split('\n').slice(-5).join(' | ');
  return `${command.run.join(' ')}: ${why}${tail ? ` — ${tail}` : ''}`;
}
