import type { InstanceFaultRoute } from '../../common/instance-fault-route.js';
import { UsageError } from '../../common/errors.js';
import { ExitCode } from '../../common/exit-codes.js';
import { experimentFiles } from '../../experiments/experiment-files.js';
import { type LoadedExperiment, loadExperiment } from '../../experiments/load-experiment.js';
import { deploymentSpecOf } from '../../plan/deployment-spec.js';
import { planIteration } from '../../run/run-iteration.js';
import { runOnTarget } from '../../run/run-on-target.js';
import type { RunReport, RunResult } from '../../run/run-result.js';
import { guardSignals } from '../../safety/signals.js';
import type { TargetKind } from '../../targets/target.js';
import { openReporters } from '../open-reporters.js';
import { printPlan } from '../../plan/print-plan.js';
import { TargetCache } from '../target-cache.js';
import { version } from '../version.js';

export interface RunArgs {
  files: string[];
  target?: TargetKind;
  reporter?: string[];
  out?: string;
  dryRun: boolean;
  iterations?: number;
  stateDir: string;
  allowUnlabelled: boolean;
  kubeconfig?: string;
  context?: string;
  instanceFaults?: InstanceFaultRoute;
}

/** `rebound run <files|dirs..>`: validate everything first (a directory: its *.yaml), then plan and run each file on its target. */
export async function runCommand(argv: RunArgs): Promise<number> {
  if (argv.iterations !== undefined && (!Number.isInteger(argv.iterations) || argv.iterations < 1)) {
    throw new UsageError(`--iterations must be a whole number >= 1, got ${argv.iterations}`);
  }
  // Every file is validated before anything runs: a typo in the third file must not surface after
  // the first two have already broken things.
  const loaded: (LoadedExperiment & { targetOverride?: TargetKind })[] = [];
  for (const spec of argv.files) {
    // "file.yaml@kubernetes" runs that file on that target: one invocation, both targets, one report
    // (a directory "suite@kubernetes": each of its files).
    const match = /^(.*)@(docker|kubernetes)$/.exec(spec);
    for (const file of experimentFiles(match ? match[1]! : spec)) {
      loaded.push({ ...(await loadExperiment(file)), ...(match && { targetOverride: match[2] as TargetKind }) });
    }
  }
  if (argv.allowUnlabelled) for (const { experiment } of loaded) experiment.safety.optInLabel = false;

  const reporters = await openReporters(argv.reporter ?? ['console'], argv.out);
  const signals = guardSignals((line) => process.stderr.write(`\nrebound: ${line}\n`));
  const targets = new TargetCache({ ...(argv.kubeconfig && { kubeconfig: argv.kubeconfig }), ...(argv.context && { context: argv.context }), ...(argv.instanceFaults && { instanceFaults: argv.instanceFaults }) });
  const started = performance.now();
  const runs: RunResult[] = [];
  let teardownFailed = false;
  try {
    for (const { file, experiment, targetOverride } of loaded) {
      const kind: TargetKind = targetOverride ?? argv.target ?? experiment.target ?? 'docker';
      const target = await targets.get(kind, experiment);
      const iterations = argv.iterations ?? experiment.iterations;
      if (argv.dryRun) {
        const plan = await planIteration({ experiment, kind, target, signal: signals.signal }, 0);
        process.stdout.write(printPlan(file, plan.summary));
        const spec = deploymentSpecOf(experiment, kind);
        if (spec) process.stdout.write(`  would deploy ${spec.replicas} × ${spec.image} first (deploy:), and remove it afterwards\n`);
        continue;
      }
      const done = await runOnTarget({
        file,
        experiment,
        kind,
        target,
        iterations,
        signal: signals.signal,
        stateDir: argv.stateDir,
        onRunStart: (info) => reporters.onRunStart(info),
        onEntry: (entry) => reporters.onEntry(entry),
        onRunEnd: (result) => reporters.onRunEnd(result),
      });
      runs.push(...done.runs);
      teardownFailed ||= !done.releasedOk;
    }
  } finally {
    reporters.close();
    await targets.close();
    signals.dispose();
  }
  if (argv.dryRun) return ExitCode.passed;
  const report: RunReport = { tool: { name: 'rebound', version }, startedAt: runs[0]?.startedAt ?? new Date().toISOString(), durationMs: performance.now() - started, runs };
  await reporters.finish(report);
  return teardownFailed ? ExitCode.rollbackFailed : exitCodeOf(runs, signals.received);
}

/** 4 beats 130 beats 1: a system left degraded is the most important thing to say. */
export function exitCodeOf(runs: readonly RunResult[], signal: NodeJS.Signals | undefined): number {
  if (runs.some((run) => run.rollbacks.some((rollback) => !rollback.ok))) return ExitCode.rollbackFailed;
  if (signal !== undefined) return signal === 'SIGTERM' ? ExitCode.terminated : signal === 'SIGHUP' ? ExitCode.hangup : ExitCode.interrupted;
  if (runs.some((run) => run.outcome === 'error')) return ExitCode.environment;
  return runs.every((run) => run.outcome === 'passed') ? ExitCode.passed : ExitCode.assertionFailed;
}
