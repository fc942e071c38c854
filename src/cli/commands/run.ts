import { randomUUID } from 'node:crypto';
import { UsageError } from '../../common/errors.js';
import { ExitCode } from '../../common/exit-codes.js';
import { type LoadedExperiment, loadExperiment } from '../../experiments/load-experiment.js';
import { planExperiment, selectorOf } from '../../experiments/plan.js';
import { runExperiment } from '../../experiments/run-experiment.js';
import type { RunReport, RunResult } from '../../experiments/run-result.js';
import { waitForSteadyState } from '../../experiments/wait-for-steady-state.js';
import { Journal } from '../../safety/journal.js';
import { guardSignals } from '../../safety/signals.js';
import { createTarget } from '../../targets/create-target.js';
import type { Target, TargetKind } from '../../targets/target.js';
import { trafficSources } from '../../probes/traffic-sources.js';
import { openReporters } from '../open-reporters.js';
import { printPlan } from '../print-plan.js';
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
}

/** How long a run waits for the system to be ready before it starts. */
const STEADY_STATE_TIMEOUT_MS = 60_000;

/** `rebound run <files..>`: validate everything first, then plan and run each file on its target. */
export async function runCommand(argv: RunArgs): Promise<number> {
  if (argv.iterations !== undefined && (!Number.isInteger(argv.iterations) || argv.iterations < 1)) {
    throw new UsageError(`--iterations must be a whole number >= 1, got ${argv.iterations}`);
  }
  // Every file is validated before anything runs: a typo in the third file must not surface after
  // the first two have already broken things.
  const loaded: (LoadedExperiment & { targetOverride?: TargetKind })[] = [];
  for (const spec of argv.files) {
    // "file.yaml@kubernetes" runs that file on that target: one invocation, both targets, one report.
    const match = /^(.*)@(docker|kubernetes)$/.exec(spec);
    loaded.push({ ...(await loadExperiment(match ? match[1]! : spec)), ...(match && { targetOverride: match[2] as TargetKind }) });
  }
  if (argv.allowUnlabelled) for (const { experiment } of loaded) experiment.safety.optInLabel = false;

  const reporters = await openReporters(argv.reporter ?? ['console'], argv.out);
  const signals = guardSignals((line) => process.stderr.write(`\nrebound: ${line}\n`));
  const targets = new Map<TargetKind, Target>();
  const started = performance.now();
  const runs: RunResult[] = [];
  try {
    for (const { file, experiment, targetOverride } of loaded) {
      const kind: TargetKind = targetOverride ?? argv.target ?? experiment.target ?? 'docker';
      let target = targets.get(kind);
      if (!target) {
        target = await createTarget(kind, { ...(argv.kubeconfig && { kubeconfig: argv.kubeconfig }), ...((argv.context ?? experiment.kubernetes.context) && { context: argv.context ?? experiment.kubernetes.context }), allowSystemNamespaces: experiment.kubernetes.allowSystemNamespaces, ...(experiment.kubernetes.context && { experimentContext: experiment.kubernetes.context }) });
        await target.check();
        targets.set(kind, target);
      }
      const iterations = argv.iterations ?? experiment.iterations;
      for (let iteration = 1; iteration <= iterations && !signals.signal.aborted; iteration++) {
        const selector = selectorOf(experiment, kind);
        const { discovery } = await waitForSteadyState(target, selector, experiment.system.replicas, { timeoutMs: argv.dryRun ? 0 : STEADY_STATE_TIMEOUT_MS, signal: signals.signal });
        const plan = planExperiment(experiment, kind, await target.describe(), discovery);
        if (argv.dryRun) {
          process.stdout.write(printPlan(file, plan.summary));
          break;
        }
        const journal = new Journal(`${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`, argv.stateDir);
        journal.append({ type: 'run-started', runId: journal.runId, pid: process.pid, experiment: experiment.metadata.name, target: kind, at: new Date().toISOString() });
        reporters.onRunStart({ experiment: experiment.metadata.name, target: kind, iteration, iterations, durationMs: plan.durationMs });
        const result = await runExperiment({ experiment, file, plan, target, traffic: trafficSources, iteration, signal: signals.signal, journal, onEntry: (entry) => reporters.onEntry(entry) });
        journal.append({ type: 'run-ended', runId: journal.runId, outcome: result.outcome, at: new Date().toISOString() });
        journal.close();
        reporters.onRunEnd(result);
        runs.push(result);
      }
    }
  } finally {
    reporters.close();
    await Promise.allSettled([...targets.values()].map((target) => target.close()));
    signals.dispose();
  }
  if (argv.dryRun) return ExitCode.passed;
  const report: RunReport = { tool: { name: 'rebound', version }, startedAt: runs[0]?.startedAt ?? new Date().toISOString(), durationMs: performance.now() - started, runs };
  await reporters.finish(report);
  return exitCodeOf(runs, signals.received);
}

/** 4 beats 130 beats 1: a system left degraded is the most important thing to say. */
export function exitCodeOf(runs: readonly RunResult[], signal: NodeJS.Signals | undefined): number {
  if (runs.some((run) => run.rollbacks.some((rollback) => !rollback.ok))) return ExitCode.rollbackFailed;
  if (signal !== undefined) return signal === 'SIGTERM' ? ExitCode.terminated : signal === 'SIGHUP' ? ExitCode.hangup : ExitCode.interrupted;
  if (runs.some((run) => run.outcome === 'error')) return ExitCode.environment;
  return runs.every((run) => run.outcome === 'passed') ? ExitCode.passed : ExitCode.assertionFailed;
}
