import type { TimelineWriter } from '../timeline/timeline.js';
import { LatencyHistogram } from '../stats/latency-histogram.js';
import type { LoadSchedule } from './load-profile.js';

/** Width of one `load-bucket` entry (ms): the load is recorded per bucket, not per request. */
export const BUCKET_MS = 100;

/** The requests sent during one bucket [key × BUCKET_MS, +BUCKET_MS) of the load, as they settle. */
export class LoadBucket {
  sent = 0;
  ok = 0;
  failed = 0;
  readonly byInstance: Record<string, number> = {};
  /** Failed requests by reason (error code or `HTTP <status>`); allocated on the first failure. */
  failures: Map<string, number> | undefined;
  /** Answered requests per version (X-Version); allocated on the first answer that names one. */
  byVersion: Record<string, number> | undefined;
  /** Two-tier app: answers whose tiers ran on different nodes / the same node; allocated on the first that says. */
  crossedNodes: { crossed: number; same: number } | undefined;

  constructor(
    readonly key: number,
    /** Latency of the answered requests, from when each was due (see load-profile.ts). */
    readonly latency: LatencyHistogram,
    /** The same latencies one by one, only when someone asked for raw samples. */
    readonly raw?: number[],
  ) {}

  answered(latencyMs: number, instance: string | undefined): void {
    this.ok++;
    this.latency.recordMs(latencyMs);
    this.raw?.push(latencyMs);
    if (instance !== undefined) this.byInstance[instance] = (this.byInstance[instance] ?? 0) + 1;
  }

  /** Where an answered request came from: its version, and whether its tiers crossed nodes (when the answer said). */
  answeredFrom(version: string | undefined, crossedNodes: boolean | undefined): void {
    if (version !== undefined) {
      this.byVersion ??= {};
      this.byVersion[version] = (this.byVersion[version] ?? 0) + 1;
    }
    if (crossedNodes !== undefined) {
      this.crossedNodes ??= { crossed: 0, same: 0 };
      this.crossedNodes[crossedNodes ? 'crossed' : 'same']++;
    }
  }

  failedWith(reason: string): void {
    this.failed++;
    this.failures ??= new Map();
    this.failures.set(reason, (this.failures.get(reason) ?? 0) + 1);
  }

  get settled(): boolean {
    return this.ok + this.failed === this.sent;
  }
}

// The load's record: each request is counted in the bucket it was sent in, and a bucket becomes
// one `load-bucket` entry once it has ended and every request sent in it has settled, so an entry
// never misses a late answer. Buckets are written in time order, each with its latency histogram
// encoded beside the percentiles, so buckets (of several pods, or of a chart bin) can be merged.
export class LoadBuckets {
  // Keys only grow (time moves forward), so the Map's insertion order is time order.
  private readonly open = new Map<number, LoadBucket>();
  private current: LoadBucket | undefined;
  /** Histograms of written buckets, reset for the next ones: ~70 KB each, 10 a second otherwise. */
  private readonly spare: LatencyHistogram[] = [];
  /** Failed requests of the written buckets, by reason. */
  readonly failures = new Map<string, number>();

  constructor(
    private readonly schedule: Pick<LoadSchedule, 'rateAt'>,
    private readonly writer: TimelineWriter,
    /** t of the load's start, on the writer's clock. */
    private readonly started: number,
    /** Told each bucket's raw latencies (ms) as it is written: a test's direct check of the histograms. */
    private readonly onRawSamples?: (key: number, latenciesMs: readonly number[]) => void,
  ) {}

  /** The bucket of a request sent `elapsed` ms into the load, with the request counted as sent. */
  sentAt(elapsed: number): LoadBucket {
    const key = Math.floor(elapsed / BUCKET_MS);
    let bucket = this.current;
    if (bucket === undefined || bucket.key !== key) {
      bucket = this.open.get(key);
      if (bucket === undefined) this.open.set(key, (bucket = new LoadBucket(key, this.spare.pop() ?? LatencyHistogram.empty(), this.onRawSamples && [])));
      this.current = bucket;
    }
    bucket.sent++;
    return bucket;
  }

  /** Writes the buckets that ended by `elapsed` and have nothing in flight; `all` writes every bucket. */
  flush(elapsed: number, all = false): void {
    for (const [key, bucket] of this.open) {
      if (!all && ((key + 1) * BUCKET_MS > elapsed || !bucket.settled)) break;
      this.open.delete(key);
      if (bucket === this.current) this.current = undefined;
      this.write(bucket);
    }
  }

  private write(bucket: LoadBucket): void {
    for (const [reason, count] of bucket.failures ?? []) this.failures.set(reason, (this.failures.get(reason) ?? 0) + count);
    const { latency } = bucket;
    if (bucket.raw) this.onRawSamples?.(bucket.key, bucket.raw);
    this.writer.add({
      t: this.started + bucket.key * BUCKET_MS,
      source: 'load',
      kind: 'load-bucket',
      data: {
        bucketMs: BUCKET_MS,
        sent: bucket.sent,
        ok: bucket.ok,
        failed: bucket.failed,
        latencyMs: { p50: latency.percentileMs(50) ?? 0, p95: latency.percentileMs(95) ?? 0, p99: latency.percentileMs(99) ?? 0, max: latency.maxMs() ?? 0 },
        ...(latency.count > 0 && { histogram: latency.encode() }),
        byInstance: bucket.byInstance,
        ...(bucket.byVersion !== undefined && { byVersion: bucket.byVersion }),
        ...(bucket.crossedNodes !== undefined && { crossedNodes: bucket.crossedNodes }),
        targetRate: this.schedule.rateAt(bucket.key * BUCKET_MS),
      },
    });
    latency.reset();
    this.spare.push(latency);
  }
}
