import { dirname } from 'node:path';
import { errorMessage, UsageError } from '../../common/errors.js';
import { ExitCode } from '../../common/exit-codes.js';
import type { RollbackOutcome } from '../../faults/index.js';
import { undoJournalled } from '../../run/undo-journalled.js';
import { describeUndo, isRunAlive, Journal, readJournals } from '../../safety/journal.js';
import { createTarget } from '../../targets/create-target.js';
import type { Target, TargetKind } from '../../targets/target.js';
import { deployLeftovers } from '../deploy-leftovers.js';

export interface RecoverArgs {
  run?: string;
  all: boolean;
  dryRun: boolean;
  stateDir: string;
  kubeconfig?: string;
  context?: string;
}

/**
 * `rebound recover`: undoes what runs that never finished (kill -9, power loss, forced exit) left
 * behind, from their journals. Idempotent: what is undone is journalled, a second call finds nothing.
 * Runs whose process is still alive are left alone (they will roll back themselves). A deploy such
 * a run left is not removed, only named, with the `rebound teardown` command that removes it.
 */
export async function recoverCommand(argv: RecoverArgs): Promise<number> {
  const journals = readJournals(argv.stateDir).filter((journal) => (argv.run ? journal.runId === argv.run : true));
  if (argv.run && journals.length === 0) throw new UsageError(`no journal for run ${argv.run} under ${argv.stateDir}/journal`);
  const dead = journals.filter((journal) => !isRunAlive(journal));
  const unfinished = dead.filter((journal) => journal.pending.length > 0);
  if (!argv.all && !argv.run && unfinished.length > 1) {
    process.stdout.write(`${unfinished.length} unfinished runs; undoing all of them (use --run ID for one)\n`);
  }
  const targets = new Map<TargetKind, Target>();
  const targetFor = async (kind: TargetKind) => {
    const target = targets.get(kind) ?? (await createTarget(kind, { ...(argv.kubeconfig && { kubeconfig: argv.kubeconfig }), ...(argv.context && { context: argv.context }) }));
    targets.set(kind, target);
    return target;
  };
  const failures: string[] = [];
  try {
    if (unfinished.length === 0) process.stdout.write('nothing to recover: every journalled fault was rolled back\n');
    for (const journal of unfinished) {
      const writer = argv.dryRun ? undefined : new Journal(journal.runId, dirname(dirname(journal.file)));
      try {
        for (const fault of [...journal.pending].reverse()) {
          const what = `${describeUndo(fault)} — ${fault.description} (run ${journal.runId})`;
          if (argv.dryRun) {
            process.stdout.write(`would undo: ${what}\n`);
            continue;
          }
          const outcome: RollbackOutcome =
            fault.undo === undefined
              ? { ok: false, action: `undo ${fault.description}`, error: fault.unreadable ?? 'no undo record' }
              : await undoJournalled(fault.undo, targetFor).catch((error: unknown) => ({ ok: false, action: `undo ${fault.description}`, error: errorMessage(error) }));
          // Through the journal (fsync'd) like the run's own rollbacks: a second recover finds nothing.
          writer?.append({ type: 'undone', runId: journal.runId, faultId: fault.faultId, ok: outcome.ok, action: `recover: ${outcome.action}`, ...(outcome.error && { error: outcome.error }), at: new Date().toISOString() });
          process.stdout.write(`${outcome.ok ? 'undone' : 'FAILED'}: ${outcome.action}${outcome.error ? ` — ${outcome.error}` : ''} (run ${journal.runId}: ${fault.description})\n`);
          if (!outcome.ok) failures.push(`${what}: ${outcome.error ?? 'failed'}`);
        }
      } finally {
        writer?.close();
      }
    }
    for (const line of await deployLeftovers(dead, targetFor)) process.stdout.write(`${line}\n`);
  } finally {
    await Promise.allSettled([...targets.values()].map((target) => target.close()));
  }
  if (failures.length > 0) {
    process.stderr.write(`rebound: could not undo:\n${failures.map((failure) => `  - ${failure}`).join('\n')}\n`);
    return ExitCode.rollbackFailed;
  }
  return ExitCode.passed;
}
