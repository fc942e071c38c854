import { Pool } from 'undici';
import type { LoadSpec } from '../experiments/schema.js';
import type { TimelineWriter } from '../experiments/timeline.js';
import { percentileOfSorted } from '../stats/percentile.js';
import { dueBy, rateAt } from './load-profile.js';
import { requireLoopbackUrl } from './loopback-url.js';
import { sendRequest } from './send-request.js';

const BUCKET_MS = 100;
const TICK_MS = 5;

interface Bucket {
  sent: number;
  ok: number;
  failed: number;
  latencies: number[];
  byInstance: Record<string, number>;
}

// Open-loop load on an absolute schedule (profile integral), capped by `connections` requests in
// flight. When the cap is full a due request is counted as dropped rather than sent late, so the
// achieved rate is honest. Bounded: it stops by itself at the profile's end. Recorded as 100 ms
// `load-bucket` entries, not per request.
export class LoadGenerator {
  private readonly pool: Pool;
  private readonly origin: string;
  private readonly path: string;
  private readonly buckets = new Map<number, Bucket>();
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private started = 0;
  dropped = 0;

  constructor(
    private readonly url: string,
    private readonly spec: LoadSpec,
    private readonly writer: TimelineWriter,
  ) {
    const parsed = requireLoopbackUrl(url);
    this.origin = parsed.origin;
    this.path = `${parsed.pathname}${parsed.search}`;
    this.pool = new Pool(this.origin, { connections: spec.connections, pipelining: 1, keepAliveTimeout: 2000 });
  }

  start(): this {
    this.started = this.writer.now();
    const tick = () => {
      if (this.stopped) return;
      const elapsed = this.writer.now() - this.started;
      this.sendDue(elapsed, true);
      this.flushBuckets(elapsed);
      if (elapsed >= this.spec.duration) {
        void this.stop();
        return;
      }
      this.timer = setTimeout(tick, TICK_MS);
    };
    tick();
    return this;
  }

  private issued = 0;

  /**
   * Sends what the schedule says is due. On a tick, what cannot go out because every connection is
   * busy is dropped (counted); when a request completes, the freed connection takes the next due one
   * at once, so a high rate runs closed-loop at the target's pace instead of waiting for the timer.
   */
  private sendDue(elapsed: number, dropOverflow: boolean): void {
    const due = dueBy(this.spec, elapsed);
    while (this.issued < due) {
      if (this.inFlight.size >= this.spec.connections) {
        if (!dropOverflow) return;
        this.dropped++;
      } else this.sendOne(elapsed);
      this.issued++;
    }
  }

  private bucketAt(elapsed: number): Bucket {
    const key = Math.floor(elapsed / BUCKET_MS);
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = { sent: 0, ok: 0, failed: 0, latencies: [], byInstance: {} }));
    return bucket;
  }

  private sendOne(elapsed: number): void {
    const bucket = this.bucketAt(elapsed);
    bucket.sent++;
    const sentAt = this.writer.now();
    const request: Promise<void> = sendRequest(this.pool, this.origin, this.path, this.spec.timeout, false, this.spec.keepAlive ?? true).then((outcome) => {
      const now = this.writer.now();
      if (outcome.ok) {
        bucket.ok++;
        bucket.latencies.push(now - sentAt);
        if (outcome.instance) bucket.byInstance[outcome.instance] = (bucket.byInstance[outcome.instance] ?? 0) + 1;
      } else bucket.failed++;
      this.inFlight.delete(request);
      const elapsed = now - this.started;
      if (!this.stopped && elapsed < this.spec.duration) this.sendDue(elapsed, false);
    });
    this.inFlight.add(request);
  }

  /** Writes buckets old enough that their requests have all finished (older than the timeout). */
  private flushBuckets(elapsed: number, all = false): void {
    for (const [key, bucket] of [...this.buckets.entries()].sort((a, b) => a[0] - b[0])) {
      if (!all && (key + 1) * BUCKET_MS + this.spec.timeout > elapsed) break;
      this.buckets.delete(key);
      const sorted = bucket.latencies.sort((a, b) => a - b);
      this.writer.add({
        t: this.started + key * BUCKET_MS,
        source: 'load',
        kind: 'load-bucket',
        data: {
          bucketMs: BUCKET_MS,
          sent: bucket.sent,
          ok: bucket.ok,
          failed: bucket.failed,
          latencyMs: { p50: percentileOfSorted(sorted, 50) ?? 0, p95: percentileOfSorted(sorted, 95) ?? 0, p99: percentileOfSorted(sorted, 99) ?? 0, max: sorted.at(-1) ?? 0 },
          byInstance: bucket.byInstance,
          targetRate: rateAt(this.spec, key * BUCKET_MS),
        },
      });
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
    this.flushBuckets(Infinity, true);
    if (this.dropped > 0) {
      this.writer.add({ t: this.writer.now(), source: 'load', kind: 'note', data: { text: `load generator saturated: ${this.dropped} due requests not sent (all ${this.spec.connections} connections busy)` } });
    }
    await this.pool.close().catch(() => undefined);
  }
}
