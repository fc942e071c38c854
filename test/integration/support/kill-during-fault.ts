import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rebound } from './rebound-cli.js';

/**
 * Whether a run's journal under `stateDir` has reached `stage` for a fault: "injected" (the fault is
 * in effect), or "refined" (the injection is under way: it journalled what it learnt before acting).
 */
export function faultInEffect(stateDir: string, stage: 'injected' | 'refined' = 'injected'): boolean {
  const directory = join(stateDir, 'journal');
  let files: string[];
  try {
    files = readdirSync(directory).filter((name) => name.endsWith('.jsonl'));
  } catch {
    return false;
  }
  return files.some((name) =>
    readFileSync(join(directory, name), 'utf8')
      .split('\n')
      .some((line) => line.includes('"type":"fault"') && line.includes(`"stage":"${stage}"`)),
  );
}

/**
 * Starts `rebound run`, waits until its first fault is in effect (journalled as injected; with
 * `stage: 'refined'`, as soon as the injection journalled its first refined record, i.e. while it
 * acts), then `kill -9`s it: nothing of rebound gets to roll back, only the journal is left.
 */
export async function killRunDuringFault(args: string[], stateDir: string, timeoutMs = 60_000, stage: 'injected' | 'refined' = 'injected'): Promise<void> {
  const child = rebound(args);
  let ended = false;
  void child.then(() => (ended = true));
  const deadline = Date.now() + timeoutMs;
  try {
    while (!faultInEffect(stateDir, stage)) {
      if (ended) throw new Error(`rebound run ended before its fault was in effect:\n${(await child).all}`);
      if (Date.now() > deadline) throw new Error(`no fault in effect within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, stage === 'refined' ? 5 : 50));
    }
  } finally {
    child.kill('SIGKILL');
    await child;
  }
}
