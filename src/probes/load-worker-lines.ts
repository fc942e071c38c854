import { z } from 'zod';

// What a load worker (a pod of the cluster load's Indexed Job) writes to stdout, one compact JSON
// object per line, and rebound reads back from the pod's log: when it started, one line per 100 ms
// bucket (counts and the encoded latency histogram), notes, and a summary at the end. Keys are short:
// a bucket line is written ten times a second per pod.

export const workerLineSchema = z.union([
  z.strictObject({
    /** The worker began its share this late after the common start instant (ms; < 0: early). */
    start: z.strictObject({ w: z.int().min(0), lagMs: z.number() }),
  }),
  z.strictObject({
    /** One bucket [k × 100 ms, +100 ms) after the common start instant. */
    b: z.strictObject({
      w: z.int().min(0),
      k: z.int().min(0),
      sent: z.int().min(0),
      ok: z.int().min(0),
      failed: z.int().min(0),
      /** p50, p95, p99, max (ms) of the answered requests. */
      ms: z.tuple([z.number(), z.number(), z.number(), z.number()]),
      /** The encoded latency histogram (src/stats/latency-histogram.ts); absent when nothing was answered. */
      h: z.string().optional(),
      /** Answers by instance. */
      i: z.record(z.string(), z.int().min(0)),
      /** The rate (req/s) this worker's share asked for during the bucket. */
      r: z.number(),
    }),
  }),
  z.strictObject({
    /** Raw latencies (ms) of a bucket's answered requests: only with --raw-samples (tests). */
    raw: z.strictObject({ w: z.int().min(0), k: z.int().min(0), ms: z.array(z.number()) }),
  }),
  z.strictObject({ note: z.strictObject({ w: z.int().min(0), text: z.string() }) }),
  z.strictObject({
    /**
     * The worker's share is over (or it was stopped): what it sent, what it dropped (every
     * connection busy), and what it skipped (due before its pod started).
     */
    done: z.strictObject({ w: z.int().min(0), sent: z.int().min(0), dropped: z.int().min(0), skipped: z.int().min(0), elapsedMs: z.number(), stopped: z.boolean() }),
  }),
]);

export type WorkerLine = z.output<typeof workerLineSchema>;
export type WorkerBucketLine = Extract<WorkerLine, { b: unknown }>['b'];

export function formatWorkerLine(line: WorkerLine): string {
  return `${JSON.stringify(line)}\n`;
}

/** A log line read back: the parsed line, or why it is not one (a stray line, a torn write). */
export function parseWorkerLine(text: string): { line: WorkerLine } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: `not JSON: ${text.slice(0, 120)}` };
  }
  const parsed = workerLineSchema.safeParse(value);
  return parsed.success ? { line: parsed.data } : { error: `not a load worker line: ${text.slice(0, 120)}` };
}
