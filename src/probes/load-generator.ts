import { Client, type Dispatcher } from 'undici';
import type { LoadSpec } from '../experiments/schema.js';
import type { TimelineWriter } from '../timeline/timeline.js';
import { LoadBuckets } from './load-buckets.js';
import { LoadConnection, type LoadConnectionOwner, type LoadDispatcher } from './load-connection.js';
import { type LoadSchedule, loadSchedule } from './load-profile.js';
import { requireLoopbackUrl } from './loopback-url.js';

const TICK_MS = 5;

/** Why an overdue load request is aborted; counted as `timeout` (see request-error-code.ts). */
const TIMED_OUT = Object.assign(new Error('load request not answered within the timeout'), { name: 'TimeoutError' });

/** Opens one connection to `origin`; tests pass a fake. */
export type OpenLoadConnection = (origin: string, options: Client.Options) => LoadDispatcher;

const openClient: OpenLoadConnection = (origin, options) => new Client(origin, options);

export interface LoadGeneratorOptions {
  /** Opens each connection; tests pass a fake. */
  openConnection?: OpenLoadConnection;
  /** What to send (default: the whole profile); a cluster load worker sends its share. */
  schedule?: LoadSchedule;
  /**
   * Checks the URL and returns it parsed (default: loopback only). A load worker inside the
   * cluster checks for the system's Service address instead (src/probes/load-worker.ts).
   */
  checkUrl?: (url: string) => URL;
  /** Told each bucket's raw latencies as it is written (a load worker's --raw-samples, for tests). */
  onRawSamples?: (key: number, latenciesMs: readonly number[]) => void;
  /**
   * Connect here (http://<address>:<port>) instead of the URL's host, which stays the Host header:
   * a load worker resolves the Service's name once, not on every new connection.
   */
  connectTo?: string;
}

// Open-loop load on an absolute schedule (profile integral), at most `connections` requests in
// flight, each connection its own undici Client carrying one request at a time (pipelining 1, as
// autocannon by default). What is due but finds every connection busy for more than a tick is
// dropped (counted) rather than sent late, so the achieved rate is honest; when a response ends, its
// connection takes the next due request at once, so a rate above what the connections carry runs
// them saturated at the target's pace, as autocannon does. Bounded: nothing is sent after the
// profile's end, and it stops by itself. Recorded as 100 ms `load-bucket` entries, not per request;
// a request's latency counts from when the schedule wanted it sent (an open model: the wait for a
// free connection is the client's, and is part of it).
export class LoadGenerator implements LoadConnectionOwner {
  private readonly origin: string;
  private readonly request: Dispatcher.DispatchOptions;
  private readonly clientOptions: Client.Options;
  private readonly connections: LoadConnection[] = [];
  private readonly idle: LoadConnection[] = [];
  private readonly schedule: LoadSchedule;
  private readonly openConnection: OpenLoadConnection;
  private readonly onRawSamples: LoadGeneratorOptions['onRawSamples'];
  private finished: (() => void) | undefined;
  /** Resolves once the load is over, by itself at the profile's end or by stop(), and everything is written. */
  readonly done = new Promise<void>((resolve) => (this.finished = resolve));
  private buckets: LoadBuckets | undefined;
  private started = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private refill: NodeJS.Immediate | undefined;
  private stopping: Promise<void> | undefined;
  private allSettled: (() => void) | undefined;
  /** Requests accounted for in the schedule so far: sent or dropped. */
  private issued = 0;
  /** Due requests not sent because every connection was busy. */
  dropped = 0;
  /** Requests that fell due before a late start (see start()). */
  skipped = 0;

  /** Requests sent so far. */
  get sent(): number {
    return this.issued - this.dropped - this.skipped;
  }

  constructor(
    url: string,
    private readonly spec: LoadSpec,
    private readonly writer: TimelineWriter,
    options: LoadGeneratorOptions = {},
  ) {
    const parsed = (options.checkUrl ?? requireLoopbackUrl)(url);
    this.schedule = options.schedule ?? loadSchedule(spec);
    const host = options.connectTo === undefined ? {} : { headers: { host: parsed.host } };
    this.openConnection = options.openConnection ?? openClient;
    this.onRawSamples = options.onRawSamples;
    this.origin = options.connectTo ?? parsed.origin;
    // keepAlive false closes the connection after each answer (`reset`): a Kubernetes Service
    // balances connections, not requests, so only fresh connections show how it spreads them.
    this.request = { path: `${parsed.pathname}${parsed.search}`, method: 'GET', ...host, ...(spec.keepAlive === false && { reset: true }) };
    // Every wait is bounded by the timeout (connect, headers, body); a short keep-alive so a
    // restarted container's dead sockets are not reused for long.
    this.clientOptions = { pipelining: 1, keepAliveTimeout: 2000, connectTimeout: spec.timeout, headersTimeout: spec.timeout, bodyTimeout: spec.timeout };
  }

  /**
   * Starts the schedule at `at` (the writer's clock; default now). A start already past (a cluster
   * load worker whose pod started after the common start instant) skips what fell due before now:
   * those requests are counted in `skipped`, not sent in a burst, and not called saturation.
   */
  start(at: number = this.writer.now()): this {
    this.started = at;
    this.buckets = new LoadBuckets(this.schedule, this.writer, this.started, this.onRawSamples);
    const late = this.writer.now() - at;
    if (late > TICK_MS) this.issued = this.skipped = this.schedule.dueBy(late - TICK_MS);
    this.tick();
    return this;
  }

  private readonly tick = (): void => {
    if (this.stopping) return;
    const now = this.writer.now();
    const elapsed = now - this.started;
    this.expireOverdue(now);
    this.sendDue(now, elapsed);
    // Past the end nothing more will be sent: whatever is still unsent is dropped.
    const ended = elapsed >= this.spec.duration;
    this.dropUnsent(ended ? elapsed : elapsed - TICK_MS);
    this.buckets!.flush(elapsed);
    if (ended) {
      void this.stop();
      return;
    }
    this.timer = setTimeout(this.tick, TICK_MS);
  };

  /** Sends what the schedule says is due, as long as a connection is idle. */
  private sendDue(now: number, elapsed: number): void {
    const due = this.schedule.dueBy(elapsed);
    while (this.issued < due) {
      const connection = this.idleConnection();
      if (connection === undefined) return;
      this.send(connection, now, elapsed);
    }
  }

  /**
   * Requests due by `elapsed` and still unsent (every connection busy) are dropped and counted,
   * not sent later. A tick drops only what is more than a tick late, so a connection freed just
   * after the tick still finds the requests that fell due meanwhile: saturated, none idles.
   */
  private dropUnsent(elapsed: number): void {
    const due = this.schedule.dueBy(elapsed);
    if (this.issued >= due) return;
    this.dropped += due - this.issued;
    this.issued = due;
  }

  private expireOverdue(now: number): void {
    if (this.inFlight === 0) return;
    const sentBefore = now - this.spec.timeout;
    for (const connection of this.connections) connection.expire(sentBefore, TIMED_OUT);
  }

  private idleConnection(): LoadConnection | undefined {
    const connection = this.idle.pop();
    if (connection !== undefined || this.connections.length >= this.spec.connections) return connection;
    const opened = new LoadConnection(this.openConnection(this.origin, this.clientOptions), this.request, this.writer, this);
    this.connections.push(opened);
    return opened;
  }

  private send(connection: LoadConnection, now: number, elapsed: number): void {
    const dueAt = this.started + this.schedule.intendedAt(this.issued);
    this.issued++;
    this.inFlight++;
    connection.send(this.buckets!.sentAt(elapsed), now, Math.min(dueAt, now));
  }

  requestSettled(connection: LoadConnection, now: number, answered: boolean): void {
    this.inFlight--;
    const elapsed = now - this.started;
    const sending = this.stopping === undefined && elapsed < this.spec.duration;
    if (sending && answered && this.issued < this.schedule.dueBy(elapsed)) {
      this.send(connection, now, elapsed);
      return;
    }
    this.idle.push(connection);
    // After an error, the next due request goes out once undici has finished failing (see
    // LoadConnectionOwner): one deferred refill per event-loop turn serves every failed connection.
    if (sending && !answered) this.refill ??= setImmediate(this.refillAfterErrors);
    if (this.inFlight === 0) this.allSettled?.();
  }

  private readonly refillAfterErrors = (): void => {
    this.refill = undefined;
    if (this.stopping) return;
    const now = this.writer.now();
    const elapsed = now - this.started;
    if (elapsed < this.spec.duration) this.sendDue(now, elapsed);
  };

  private readonly expireWhileStopping = (): void => {
    this.expireOverdue(this.writer.now());
    if (this.inFlight > 0) this.timer = setTimeout(this.expireWhileStopping, TICK_MS);
  };

  /** Stops sending, waits for every request in flight to settle (each is bounded by the timeout), writes the rest. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= this.finish();
    return this.stopping;
  }

  private async finish(): Promise<void> {
    clearTimeout(this.timer);
    if (this.refill) clearImmediate(this.refill);
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        this.allSettled = resolve;
        this.timer = setTimeout(this.expireWhileStopping, TICK_MS);
      });
      clearTimeout(this.timer);
    }
    this.buckets?.flush(Infinity, true);
    if (this.dropped > 0) {
      this.writer.add({ t: this.writer.now(), source: 'load', kind: 'note', data: { text: `load generator saturated: ${this.dropped} due requests not sent (all ${this.spec.connections} connections busy)` } });
    }
    const failures = [...(this.buckets?.failures ?? [])].sort((a, b) => b[1] - a[1]);
    if (failures.length > 0) {
      const total = failures.reduce((sum, [, count]) => sum + count, 0);
      this.writer.add({ t: this.writer.now(), source: 'load', kind: 'note', data: { text: `load requests failed: ${total} (${failures.map(([reason, count]) => `${reason} ${count}`).join(', ')})` } });
    }
    // close() only rejects for a client already destroyed: then there is nothing left to close.
    await Promise.all(this.connections.map((connection) => connection.close().catch(() => undefined)));
    this.finished?.();
  }
}
