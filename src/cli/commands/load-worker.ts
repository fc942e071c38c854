import { z } from 'zod';
import { UsageError } from '../../common/errors.js';
import { ExitCode } from '../../common/exit-codes.js';
import type { LoadSpec } from '../../experiments/schema.js';
import { runLoadWorker } from '../../probes/load-worker.js';

export interface LoadWorkerArgs {
  url: string;
  spec: string;
  start: number;
  workers: number;
  index?: number;
  rawSamples: boolean;
}

// The load spec as the Job passes it: the experiment's `load` already parsed (ms, req/s), as JSON.
const specSchema = z.looseObject({
  profile: z.enum(['constant', 'ramp', 'spike']),
  rate: z.number().min(0).optional(),
  from: z.number().min(0).optional(),
  to: z.number().min(0).optional(),
  peak: z.number().min(0).optional(),
  at: z.number().min(0).optional(),
  hold: z.number().min(0).optional(),
  duration: z.number().positive().max(24 * 3_600_000),
  connections: z.int().min(1).max(1000),
  timeout: z.number().positive(),
  keepAlive: z.boolean().optional(),
});

/**
 * `rebound load-worker` (hidden): one pod of a cluster load (load.in: cluster). Not for people:
 * rebound writes these arguments into the Job it creates (src/targets/kubernetes/load/). The pod's
 * index comes from the Indexed Job (JOB_COMPLETION_INDEX); SIGTERM (the Job deleted early) stops it
 * cleanly, with what it measured written out.
 */
export async function loadWorkerCommand(argv: LoadWorkerArgs): Promise<number> {
  const index = argv.index ?? Number(process.env.JOB_COMPLETION_INDEX);
  if (!Number.isInteger(index) || index < 0 || index >= argv.workers) {
    throw new UsageError(`load worker index ${String(argv.index ?? process.env.JOB_COMPLETION_INDEX)} is not one of 0..${argv.workers - 1}: pass --index, or run in an Indexed Job (JOB_COMPLETION_INDEX)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(argv.spec);
  } catch {
    throw new UsageError(`--spec is not JSON: ${argv.spec.slice(0, 120)}`);
  }
  const parsed = specSchema.safeParse(json);
  if (!parsed.success) throw new UsageError(`--spec is not a load spec: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`);
  const stop = new AbortController();
  const onSignal = () => stop.abort('SIGTERM');
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    await runLoadWorker({
      url: argv.url,
      spec: parsed.data as LoadSpec,
      index,
      workers: argv.workers,
      startAtEpochMs: argv.start,
      rawSamples: argv.rawSamples,
      write: (text) => process.stdout.write(text),
      signal: stop.signal,
    });
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
  return ExitCode.passed;
}
