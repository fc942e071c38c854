import type { LoadSpec } from '../experiments/schema.js';
import { type LatencyHistogram, mergeEncoded } from '../stats/latency-histogram.js';
import type { LoadWorkerEntry, TimelineWriter } from '../timeline/timeline.js';
import { BUCKET_MS } from './load-buckets.js';
import { loadSchedule, rateAt } from './load-profile.js';
import { parseWorkerLine, type WorkerBucketLine, type WorkerLine } from './load-worker-lines.js';

/** A worker that sent less than this share of what its part of the schedule asked for is slow. */
export const SLOW_SHARE = 0.95;
/**
 * A bucket waits this long past its end for every running worker's part (pod logs arrive with a
 * delay); then it is written with what came, and a part arriving later is written beside it.
 */
const HOLD_MS = 3000;

interface WorkerState {
  pod?: string;
  node?: string;
  /** Highest bucket key read from it; buckets come in order from one worker. */
  lastKey: number;
  keys: Set<number>;
  /** Buckets whose raw samples were passed on (a log read twice repeats them). */
  rawKeys: Set<number>;
  sent: number;
  ok: number;
  failed: number;
  lagMs?: number;
  done?: Extract<WorkerLine, { done: unknown }>['done'];
  notes: Set<string>;
  /** No more lines will come (its pod ended and its log was read, or it never ran). */
  ended: boolean;
  fate?: string;
}

interface PendingBucket {
  sent: number;
  ok: number;
  failed: number;
  /** Each worker's part with answers: its histogram and its own p50, p95, p99, max. */
  parts: { h?: string; ms: [number, number, number, number] }[];
  byInstance: Record<string, number>;
}

// The cluster load's record: the pods' bucket lines (each pod sends every N-th request of the same
// schedule, from one common start instant, in the same 100 ms buckets) merged into one `load-bucket`
// entry per bucket — counts added, histograms merged, so percentiles are those of every request —
// and, at the end, one `load-worker` entry per pod: what it sent against its share.
export class WorkerLoadMerge {
  private readonly workers: WorkerState[];
  private readonly pending = new Map<number, PendingBucket>();

  constructor(
    private readonly spec: LoadSpec,
    private readonly of: number,
    private readonly writer: TimelineWriter,
    /** t (run clock) of the common start instant: bucket k is [startT + k·100, +100). */
    private readonly startT: number,
    private readonly onRawSamples?: (worker: number, key: number, latenciesMs: readonly number[]) => void,
  ) {
    this.workers = Array.from({ length: of }, () => ({ lastKey: -1, keys: new Set(), rawKeys: new Set(), sent: 0, ok: 0, failed: 0, notes: new Set(), ended: false }));
  }

  /** Which pod (and node) runs worker `index`. */
  placed(index: number, pod: string, node: string | undefined): void {
    const worker = this.workers[index];
    if (worker === undefined) return;
    worker.pod = pod;
    if (node !== undefined) worker.node = node;
  }

  /** One line of worker `index`'s log. Lines read twice (a log read again) count once. */
  line(index: number, text: string): void {
    const worker = this.workers[index];
    if (worker === undefined || text.trim() === '') return;
    const parsed = parseWorkerLine(text);
    if ('error' in parsed) {
      this.note(worker, index, `wrote a line rebound cannot read (${parsed.error})`);
      return;
    }
    const { line } = parsed;
    if ('b' in line) this.bucket(worker, line.b);
    else if ('start' in line) worker.lagMs = line.start.lagMs;
    else if ('done' in line) worker.done = line.done;
    else if ('note' in line) this.note(worker, index, line.note.text);
    else if ('raw' in line && !worker.rawKeys.has(line.raw.k)) {
      worker.rawKeys.add(line.raw.k);
      this.onRawSamples?.(index, line.raw.k, line.raw.ms);
    }
  }

  /** Worker `index` will write nothing more (its pod ended and its log was read); `fate` says how, if it went wrong. */
  ended(index: number, fate?: string): void {
    const worker = this.workers[index];
    if (worker === undefined) return;
    worker.ended = true;
    if (fate !== undefined) worker.fate ??= fate;
  }

  /** Something happened to worker `index`'s pod that the report should say (an image that cannot be pulled). */
  trouble(index: number, fate: string): void {
    const worker = this.workers[index];
    if (worker !== undefined && worker.fate === undefined) {
      worker.fate = fate;
      this.writer.add({ t: this.writer.now(), source: 'load', kind: 'note', ...(worker.pod !== undefined && { subject: worker.pod }), data: { text: `load worker ${index}${worker.pod ? ` (pod ${worker.pod})` : ''}: ${fate}` } });
    }
  }

  /** Writes, in time order, the buckets every running worker has passed, and those held long enough. */
  flush(now: number = this.writer.now()): void {
    for (const key of [...this.pending.keys()].sort((a, b) => a - b)) {
      const complete = this.workers.every((worker) => worker.ended || worker.lastKey >= key);
      const heldLongEnough = now >= this.startT + (key + 1) * BUCKET_MS + HOLD_MS;
      if (!complete && !heldLongEnough) break;
      this.write(key, this.pending.get(key)!);
      this.pending.delete(key);
    }
  }

  /**
   * Writes every bucket left and one `load-worker` entry per worker (with a note for each slow or
   * missing one). `stoppedAt` (run clock): when the load was cut short, if it was; the share each
   * worker is held to is what the schedule asked for until then.
   */
  finish(stoppedAt?: number): LoadWorkerEntry['data'][] {
    this.flush(Infinity);
    const ranFor = Math.max(0, Math.min(this.spec.duration, (stoppedAt ?? Infinity) - this.startT));
    const reports = this.workers.map((worker, index) => this.report(worker, index, ranFor));
    for (const report of reports) {
      this.writer.add({ t: this.writer.now(), source: 'load', kind: 'load-worker', ...(report.pod !== undefined && { subject: report.pod }), data: report });
      if (report.status !== 'ok') {
        const who = `load worker ${report.worker} of ${report.of}${report.pod ? ` (pod ${report.pod}${report.node ? ` on ${report.node}` : ''})` : ''}`;
        const what = report.status === 'missing' ? 'sent nothing' : `sent ${report.sent} of the ${report.expected} requests of its share (${percent(report.sent, report.expected)})`;
        this.writer.add({ t: this.writer.now(), source: 'load', kind: 'note', ...(report.pod !== undefined && { subject: report.pod }), data: { text: `${who} is ${report.status}: ${what}${report.detail ? `; ${report.detail}` : ''}` } });
      }
    }
    const expected = reports.reduce((sum, report) => sum + report.expected, 0);
    const sent = reports.reduce((sum, report) => sum + report.sent, 0);
    this.writer.add({ t: this.writer.now(), source: 'load', kind: 'note', data: { text: `cluster load: ${this.of} worker${this.of === 1 ? '' : 's'} sent ${sent} of the ${expected} requests the schedule asked for (${percent(sent, expected)}); ${reports.filter((report) => report.status === 'ok').length} of ${this.of} kept to their share` } });
    return reports;
  }

  private bucket(worker: WorkerState, line: WorkerBucketLine): void {
    if (worker.keys.has(line.k)) return;
    worker.keys.add(line.k);
    worker.lastKey = Math.max(worker.lastKey, line.k);
    worker.sent += line.sent;
    worker.ok += line.ok;
    worker.failed += line.failed;
    let bucket = this.pending.get(line.k);
    if (bucket === undefined) this.pending.set(line.k, (bucket = { sent: 0, ok: 0, failed: 0, parts: [], byInstance: {} }));
    bucket.sent += line.sent;
    bucket.ok += line.ok;
    bucket.failed += line.failed;
    if (line.ok > 0) bucket.parts.push({ ...(line.h !== undefined && { h: line.h }), ms: line.ms });
    for (const [instance, count] of Object.entries(line.i)) bucket.byInstance[instance] = (bucket.byInstance[instance] ?? 0) + count;
  }

  private write(key: number, bucket: PendingBucket): void {
    // One part: its own figures; several: their histograms merged (counts add), so the percentiles
    // are those of all the bucket's requests, not an average of the workers'.
    let histogram: string | undefined;
    let [p50, p95, p99, max] = [0, 0, 0, 0];
    if (bucket.parts.length === 1) {
      histogram = bucket.parts[0]!.h;
      [p50, p95, p99, max] = bucket.parts[0]!.ms;
    } else if (bucket.parts.length > 1) {
      const merged = mergeEncoded(bucket.parts.flatMap((part) => (part.h === undefined ? [] : [part.h])));
      histogram = merged.encode();
      ({ p50, p95, p99, max } = numbers(merged.summary()));
    }
    this.writer.add({
      t: this.startT + key * BUCKET_MS,
      source: 'load',
      kind: 'load-bucket',
      data: {
        bucketMs: BUCKET_MS,
        sent: bucket.sent,
        ok: bucket.ok,
        failed: bucket.failed,
        latencyMs: { p50, p95, p99, max },
        ...(histogram !== undefined && { histogram }),
        byInstance: bucket.byInstance,
        targetRate: rateAt(this.spec, key * BUCKET_MS),
      },
    });
  }

  private report(worker: WorkerState, index: number, ranFor: number): LoadWorkerEntry['data'] {
    const expected = loadSchedule(this.spec, { index, of: this.of }).dueBy(ranFor);
    const heard = worker.lagMs !== undefined || worker.keys.size > 0 || worker.done !== undefined;
    const details: string[] = [];
    if (worker.fate !== undefined) details.push(worker.fate);
    if (worker.lagMs !== undefined && worker.lagMs > 250) {
      const skipped = worker.done?.skipped ? `: the ${worker.done.skipped} requests due before then were never sent` : '';
      details.push(`its pod started ${Math.round(worker.lagMs)} ms after the common start instant${skipped}`);
    }
    if (worker.done !== undefined && worker.done.sent !== worker.sent) details.push(`it reported ${worker.done.sent} sent but its log holds ${worker.sent}: log lines were lost`);
    if (heard && worker.done === undefined) details.push('its summary line never came (the pod ended early or its log was cut)');
    if (worker.done !== undefined && worker.done.dropped > 0) details.push(`${worker.done.dropped} due requests not sent: all its connections were busy`);
    const status = !heard ? 'missing' : worker.sent < expected * SLOW_SHARE ? 'slow' : 'ok';
    return {
      worker: index,
      of: this.of,
      ...(worker.pod !== undefined && { pod: worker.pod }),
      ...(worker.node !== undefined && { node: worker.node }),
      expected,
      sent: worker.sent,
      ok: worker.ok,
      failed: worker.failed,
      ...(worker.done !== undefined && { dropped: worker.done.dropped, skipped: worker.done.skipped }),
      ...(worker.lagMs !== undefined && { startLagMs: worker.lagMs }),
      status,
      ...(details.length > 0 && { detail: details.join('; ') }),
    };
  }

  private note(worker: WorkerState, index: number, text: string): void {
    if (worker.notes.has(text)) return;
    worker.notes.add(text);
    this.writer.add({ t: this.writer.now(), source: 'load', kind: 'note', ...(worker.pod !== undefined && { subject: worker.pod }), data: { text: `load worker ${index}${worker.pod ? ` (pod ${worker.pod})` : ''}: ${text}` } });
  }
}

const numbers = (summary: ReturnType<LatencyHistogram['summary']>) => ({ p50: summary.p50 ?? 0, p95: summary.p95 ?? 0, p99: summary.p99 ?? 0, max: summary.max ?? 0 });

const percent = (part: number, whole: number) => (whole === 0 ? '100 %' : `${((part / whole) * 100).toFixed(1)} %`);
