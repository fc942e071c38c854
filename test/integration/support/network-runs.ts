import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport, RunResult } from '../../../src/run/run-result.js';
import { readJournals } from '../../../src/safety/journal.js';
import type { FaultInjectedEntry, RequestEntry, TimelineEntry } from '../../../src/timeline/timeline.js';
import { median } from './fault-helper-targets.js';
import { rebound, scratchDirectory, writeExperiment } from './rebound-cli.js';

/** A finished `rebound run` of one experiment: its exit, its output and its report's one run. */
export interface NetworkRun {
  exitCode: number | undefined;
  output: string;
  run: RunResult;
  directory: string;
  stateDir: string;
}

/** Runs an experiment through the real CLI with a JSON report in a scratch directory. */
export async function runExperimentFile(name: string, experiment: Record<string, unknown>, extraArgs: string[] = []): Promise<NetworkRun> {
  const directory = scratchDirectory();
  const stateDir = join(directory, 'state');
  const file = writeExperiment(directory, name, experiment);
  const report = join(directory, 'report.json');
  const result = await rebound(['run', file, '--reporter', `json=${report}`, '--reporter', 'console', '--state-dir', stateDir, ...extraArgs]);
  let run: RunResult;
  try {
    run = (JSON.parse(readFileSync(report, 'utf8')) as RunReport).runs[0]!;
  } catch (error) {
    throw new Error(`rebound run wrote no report (exit ${result.exitCode}):\n${result.all}`, { cause: error });
  }
  return { exitCode: result.exitCode, output: String(result.all), run, directory, stateDir };
}

/** The probe's requests, the fault's injection and its rollback, from a run's timeline. */
export function faultWindows(entries: readonly TimelineEntry[]) {
  const requests = entries.filter((entry): entry is RequestEntry => entry.kind === 'request');
  const injected = entries.find((entry): entry is FaultInjectedEntry => entry.kind === 'fault-injected');
  const started = entries.find((entry) => entry.kind === 'fault-started');
  const rollbackStarted = entries.find((entry) => entry.kind === 'fault-rollback-started');
  const rolledBack = entries.find((entry) => entry.kind === 'fault-rolled-back');
  if (!injected || !started || !rollbackStarted || !rolledBack) throw new Error(`the run has no injected and rolled-back fault: ${entries.filter((entry) => entry.source === 'fault').map((entry) => entry.kind).join(', ')}`);
  const sentIn = (from: number, to: number) => requests.filter((request) => request.t >= from && request.t < to);
  return {
    requests,
    injected,
    started: started.t,
    rollbackStarted: rollbackStarted.t,
    rolledBack: rolledBack.t,
    /** Requests sent in [from, to). */
    sentIn,
    /** Median latency of the answered requests sent in [from, to). */
    p50: (from: number, to: number) => median(sentIn(from, to).filter((request) => request.data.ok).map((request) => request.data.ms)),
  };
}

/** "30 answered, 12 timeout, 3 ECONNRESET": what a set of probe requests saw. */
export function outcomesOf(requests: readonly RequestEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of requests) {
    const key = request.data.ok ? 'answered' : (request.data.error ?? `status ${request.data.status}`);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** The journal line that says the fault was in effect (journalled right after the injection returned). */
export function injectedLine(stateDir: string): { at: string } {
  const file = readJournals(stateDir)[0]!.file;
  const line = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((text) => JSON.parse(text) as { type: string; stage?: string; at: string }).find((entry) => entry.type === 'fault' && entry.stage === 'injected');
  if (!line) throw new Error(`no injected fault in ${file}`);
  return line;
}
