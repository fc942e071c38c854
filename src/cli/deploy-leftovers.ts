import { relative } from 'node:path';
import { errorMessage } from '../common/errors.js';
import { teardownCommandFor } from '../plan/deployment-spec.js';
import type { JournalState } from '../safety/journal.js';
import type { Target, TargetKind } from '../targets/target.js';

/**
 * `rebound recover` undoes faults, not deploys. For each run that never ended and had deployed its
 * system (its journal's run-started line says so): is that deploy still there? One line per deploy
 * still found, with the `rebound teardown` command that removes it; nothing once it is gone.
 */
export async function deployLeftovers(journals: readonly JournalState[], targetFor: (kind: TargetKind) => Promise<Target>): Promise<string[]> {
  const lines: string[] = [];
  const looked = new Set<string>();
  const unreachable = new Set<TargetKind>();
  for (const { runId, ended, started } of journals) {
    if (ended || started?.deploy === undefined) continue;
    const kind = started.target as TargetKind;
    const key = `${kind} ${started.deploy.namespace ?? ''} ${started.deploy.name}`;
    if (looked.has(key) || unreachable.has(kind)) continue;
    looked.add(key);
    let found: string[];
    try {
      found = (await (await targetFor(kind)).findDeployment(started.deploy)).found;
    } catch (error) {
      // A hint, not the recovery: say why it is missing (once per target) and go on.
      unreachable.add(kind);
      lines.push(`could not look for deploys left on ${kind}: ${errorMessage(error)}`);
      continue;
    }
    if (found.length === 0) continue;
    const command = started.file === undefined ? `rebound teardown <the file of ${started.experiment}> --target ${kind}` : teardownCommandFor(shortPath(started.file), kind);
    lines.push(`the deploy of ${started.experiment} is still on ${kind} (run ${runId} never ended): ${found.join(', ')}; ${command} removes it`);
  }
  return lines;
}

/** Relative to the working directory when it is inside it. */
function shortPath(file: string): string {
  const near = relative(process.cwd(), file);
  return near !== '' && !near.startsWith('..') ? near : file;
}
