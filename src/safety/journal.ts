import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { UndoRecord } from '../faults/undo-record.js';

// The journal: before a fault is injected, how to undo it is appended and fsync'd; after its
// rollback, an "undone" line. If rebound dies (kill -9, power loss) `rebound recover` reads the
// journals whose run never ended and undoes what is left. One JSON object per line.

export type JournalLine =
  | {
      type: 'run-started';
      runId: string;
      pid: number;
      experiment: string;
      target: string;
      at: string;
      /** The experiment file (absolute) and, when it deploys its system, the deploy: for recover's teardown hint. */
      file?: string;
      deploy?: { name: string; namespace?: string };
    }
  | { type: 'fault'; runId: string; faultId: string; description: string; undo: UndoRecord; at: string }
  | { type: 'undone'; runId: string; faultId: string; ok: boolean; action: string; error?: string; at: string }
  | { type: 'run-ended'; runId: string; outcome: string; at: string };

export const DEFAULT_STATE_DIR = '.rebound';

export function journalDirectory(stateDir: string): string {
  return join(stateDir, 'journal');
}

export class Journal {
  private readonly fd: number;
  readonly file: string;

  constructor(
    readonly runId: string,
    stateDir: string,
  ) {
    const directory = journalDirectory(stateDir);
    mkdirSync(directory, { recursive: true });
    this.file = join(directory, `${runId}.jsonl`);
    this.fd = openSync(this.file, 'a');
  }

  /** Appends one line and waits until it is on disk: the caller injects only after this returns. */
  append(line: JournalLine): void {
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

export interface UnfinishedFault {
  runId: string;
  faultId: string;
  description: string;
  undo: UndoRecord;
  file: string;
}

/** One journalled fault and, once undone successfully, how (the run's rollback, or `recover: …`). */
export interface JournalledFault {
  faultId: string;
  description: string;
  undone?: { action: string; at: string };
}

export interface JournalState {
  runId: string;
  file: string;
  started?: Extract<JournalLine, { type: 'run-started' }>;
  ended: boolean;
  /** Every fault journalled (before its injection), in order. */
  faults: JournalledFault[];
  /** Faults injected and never successfully undone. */
  pending: UnfinishedFault[];
}

/** Reads every journal under the state directory (a torn last line, from a crash mid-write, is ignored). */
export function readJournals(stateDir: string): JournalState[] {
  const directory = journalDirectory(stateDir);
  let files: string[];
  try {
    files = readdirSync(directory).filter((name) => name.endsWith('.jsonl')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return files.map((name) => readJournal(join(directory, name), name.replace(/\.jsonl$/, '')));
}

function readJournal(file: string, runId: string): JournalState {
  const state: JournalState = { runId, file, ended: false, faults: [], pending: [] };
  const pending = new Map<string, UnfinishedFault>();
  const faults = new Map<string, JournalledFault>();
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    if (text.trim() === '') continue;
    let line: JournalLine;
    try {
      line = JSON.parse(text) as JournalLine;
    } catch {
      continue; // the torn tail of a write interrupted by a crash: nothing after it was acted on
    }
    if (line.type === 'run-started') state.started = line;
    // A fault is journalled twice: the planned undo before injecting, the refined one after.
    if (line.type === 'fault') {
      pending.set(line.faultId, { runId, faultId: line.faultId, description: line.description, undo: line.undo, file });
      if (!faults.has(line.faultId)) faults.set(line.faultId, { faultId: line.faultId, description: line.description });
    }
    if (line.type === 'undone' && line.ok) {
      pending.delete(line.faultId);
      const fault = faults.get(line.faultId);
      if (fault) fault.undone = { action: line.action, at: line.at };
    }
    if (line.type === 'run-ended') state.ended = true;
  }
  state.pending = [...pending.values()];
  state.faults = [...faults.values()];
  return state;
}

/** A journal whose process still runs belongs to a live run, which rolls back by itself. */
export function isRunAlive(journal: JournalState, self = process.pid): boolean {
  const pid = journal.started?.pid;
  if (pid === undefined || journal.ended || pid === self) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false; // ESRCH: that process is gone
  }
}
