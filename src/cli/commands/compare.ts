import type { InstanceFaultRoute } from '../../common/instance-fault-route.js';
import type { CompareReport } from '../../compare/compare-report.js';
import { runComparison } from '../../compare/run-comparison.js';
import { UsageError } from '../../common/errors.js';
import { ExitCode } from '../../common/exit-codes.js';
import { loadExperiments } from '../../experiments/load-experiment.js';
import { guardSignals } from '../../safety/signals.js';
import type { TargetKind } from '../../targets/target.js';
import { openReporters } from '../open-reporters.js';
import { TargetCache } from '../target-cache.js';
import { version } from '../version.js';
import { exitCodeOf } from './run.js';

export interface CompareArgs {
  files: string[];
  targets: string;
  iterations?: number;
  reporter?: string[];
  out?: string;
  stateDir: string;
  allowUnlabelled: boolean;
  kubeconfig?: string;
  context?: string;
  instanceFaults?: InstanceFaultRoute;
}

const TARGETS: readonly TargetKind[] = ['docker', 'kubernetes'];

/** `rebound compare <files|dirs..> --targets docker,kubernetes -n N`: the same experiments on each target, statistics side by side. */
export async function compareCommand(argv: CompareArgs): Promise<number> {
  const targets = parseTargets(argv.targets);
  const iterations = argv.iterations ?? 3;
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 100) throw new UsageError(`--iterations must be a whole number from 1 to 100, got ${iterations}`);
  const experiments = await loadExperiments(argv.files);
  if (argv.allowUnlabelled) for (const { experiment } of experiments) experiment.safety.optInLabel = false;
  const reporters = await openReporters(argv.reporter ?? ['console'], argv.out);
  const signals = guardSignals((line) => process.stderr.write(`\nrebound: ${line}\n`));
  const cache = new TargetCache({ ...(argv.kubeconfig && { kubeconfig: argv.kubeconfig }), ...(argv.context && { context: argv.context }), ...(argv.instanceFaults && { instanceFaults: argv.instanceFaults }) });
  let outcome: Awaited<ReturnType<typeof runComparison>>;
  try {
    outcome = await runComparison({
      experiments,
      targets,
      iterations,
      signal: signals.signal,
      stateDir: argv.stateDir,
      targetFor: (kind, experiment) => cache.get(kind, experiment),
      hooks: { onRunStart: (info) => reporters.onRunStart(info), onEntry: (entry) => reporters.onEntry(entry), onRunEnd: (result) => reporters.onRunEnd(result) },
      tool: { name: 'rebound', version },
    });
  } finally {
    reporters.close();
    await cache.close();
    signals.dispose();
  }
  await reporters.finishCompare(outcome.report);
  if (outcome.teardownFailed) return ExitCode.rollbackFailed;
  return compareExitCode(outcome.report, signals.received);
}

/**
 * A compare answers claims: 0 when every claim was confirmed (a Docker side failing its
 * assertions is then the expected finding), 1 when one was contradicted or mixed. Without a claim
 * an experiment counts like `rebound run`: its assertions must pass. Rollback failures, signals and
 * errors come first, as in `rebound run`.
 */
export function compareExitCode(report: CompareReport, signal: NodeJS.Signals | undefined): number {
  const general = exitCodeOf(report.runs, signal);
  if (general !== ExitCode.passed && general !== ExitCode.assertionFailed) return general;
  const ok = report.comparisons.every((comparison) => {
    if (comparison.claim) return comparison.claim.status === 'confirmed';
    return comparison.runIndexes.every((index) => report.runs[index]!.outcome === 'passed');
  });
  return ok ? ExitCode.passed : ExitCode.assertionFailed;
}

function parseTargets(text: string): TargetKind[] {
  const names = text.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  const unknown = names.filter((name) => !TARGETS.includes(name as TargetKind));
  if (names.length === 0 || unknown.length > 0) {
    throw new UsageError(`--targets ${JSON.stringify(text)}: ${unknown.length > 0 ? `unknown target ${unknown.join(', ')}` : 'names no target'}`, { hint: 'give a comma-separated list of docker, kubernetes, e.g. --targets docker,kubernetes' });
  }
  return [...new Set(names)] as TargetKind[];
}
