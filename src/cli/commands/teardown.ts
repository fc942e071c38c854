import { EnvironmentError } from '../../common/errors.js';
import { ExitCode } from '../../common/exit-codes.js';
import { deploymentSpecOf } from '../../plan/deployment-spec.js';
import { commandsFor } from '../../run/experiment-commands.js';
import { loadExperimentsOrGameDays } from '../../experiments/load-game-day.js';
import { type ReleaseStep, releaseSystem } from '../../run/release-system.js';
import type { Experiment } from '../../experiments/schema.js';
import type { DeploymentSpec, RollbackOutcome, Target, TargetKind } from '../../targets/target.js';
import { TargetCache } from '../target-cache.js';

export interface TeardownArgs {
  files: string[];
  target?: TargetKind;
  kubeconfig?: string;
  context?: string;
}

/** Where the checked targets come from (a TargetCache; tests pass fakes). */
export type TargetSource = Pick<TargetCache, 'get' | 'close'>;

const ALL_TARGETS: readonly TargetKind[] = ['docker', 'kubernetes'];

interface TeardownTally {
  reached: number;
  unreachable: Set<TargetKind>;
  failed: Set<string>;
}

/**
 * `rebound teardown <files|dirs..>`: removes what each experiment's `deploy` created (found by its
 * rebound.dev/deploy label, nothing else) and runs its `teardown` commands — on --target, or on each
 * of the experiment's `targets` whose engine answers (the others are skipped, saying why). The same
 * removal as at the end of a run, for what a run killed with -9 left (a directory: a whole suite,
 * e.g. after a killed `rebound demo`). Idempotent: a second call finds nothing to remove. Exit 4
 * when a removal or command failed, 3 when no engine answered.
 */
export async function teardownCommand(argv: TeardownArgs, options: { targets?: TargetSource } = {}): Promise<number> {
  const experiments = await loadExperimentsOrGameDays(argv.files);
  const cache = options.targets ?? new TargetCache({ ...(argv.kubeconfig && { kubeconfig: argv.kubeconfig }), ...(argv.context && { context: argv.context }) });
  const tally: TeardownTally = { reached: 0, unreachable: new Set(), failed: new Set() };
  try {
    for (const { file, experiment } of experiments) {
      await tearDownOne(file, experiment, argv.target, cache, tally, experiments.length > 1 ? `${experiment.metadata.name}: ` : '');
    }
  } finally {
    await cache.close();
  }
  if (tally.failed.size > 0) {
    process.stderr.write(`rebound: teardown of ${[...tally.failed].join(', ')} left something behind (FAILED above); fix the cause and run it again\n`);
    return ExitCode.rollbackFailed;
  }
  if (tally.reached === 0 && tally.unreachable.size > 0) {
    throw new EnvironmentError(`nothing was torn down: no engine answered (${[...tally.unreachable].join(', ')})`, { hint: 'start the engine (Docker; the kind cluster: bash scripts/kind-cluster.sh up), or check --kubeconfig and --context' });
  }
  return ExitCode.passed;
}

async function tearDownOne(file: string, experiment: Experiment, only: TargetKind | undefined, cache: TargetSource, tally: TeardownTally, prefix: string): Promise<void> {
  const say = (line: string) => process.stdout.write(`${prefix}${line}\n`);
  if (experiment.deploy === undefined && experiment.teardown.length === 0) {
    say(`nothing to remove: ${file} has no deploy: section and no teardown: commands`);
    return;
  }
  const meant = experiment.targets ?? ALL_TARGETS;
  if (only === undefined) {
    for (const kind of ALL_TARGETS.filter((kind) => !meant.includes(kind))) say(`${kind}: skipped, not one of the experiment's targets (targets: ${meant.join(', ')})`);
  }
  for (const kind of only ? [only] : meant) {
    const spec = deploymentSpecOf(experiment, kind, file);
    if (spec === undefined && commandsFor(experiment.teardown, kind).length === 0) {
      say(`${kind}: nothing to remove (no deploy: section, no teardown: command for ${kind})`);
      continue;
    }
    // An engine that did not answer for one experiment is not asked again for the next.
    const target = tally.unreachable.has(kind) ? undefined : await reach(cache, kind, experiment, { required: only !== undefined, say });
    if (target === undefined) {
      if (tally.unreachable.has(kind)) say(`${kind}: skipped, its engine did not answer (above)`);
      tally.unreachable.add(kind);
      continue;
    }
    tally.reached++;
    const release = await releaseSystem(experiment, file, kind, spec && (() => removeDeploymentOf(target, spec)), commandsFor(experiment.teardown, kind).length > 0 ? target.commandEnvironment?.() : undefined);
    for (const step of release.steps) say(`${kind}: ${describeStep(step)}`);
    if (!release.ok) tally.failed.add(file);
  }
}

/** The checked target; undefined (said why) when its engine does not answer and the user did not insist on it. */
async function reach(cache: TargetSource, kind: TargetKind, experiment: Experiment, options: { required: boolean; say: (line: string) => void }): Promise<Target | undefined> {
  try {
    return await cache.get(kind, experiment);
  } catch (error) {
    // --target names the engine: not reaching it is the error (exit 3). Otherwise skip it, and say so.
    if (options.required || !(error instanceof EnvironmentError)) throw error;
    options.say(`${kind}: skipped, ${error.message}${error.hint ? `\n  ${error.hint}` : ''}`);
    return undefined;
  }
}

/** Only what the deploy's label finds is removed; when nothing is there, nothing is touched. */
async function removeDeploymentOf(target: Target, spec: DeploymentSpec): Promise<RollbackOutcome> {
  const search = await target.findDeployment(spec);
  if (search.found.length === 0) return { ok: true, action: `nothing to remove (no ${search.lookedFor})` };
  return target.removeDeployment(spec);
}

function describeStep(step: ReleaseStep): string {
  if (step.step === 'deployment') return step.ok ? step.text : `FAILED: ${step.text}`;
  return step.ok ? `ran ${step.text}` : `teardown command FAILED: ${step.text}`;
}
