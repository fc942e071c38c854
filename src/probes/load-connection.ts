import type { Dispatcher } from 'undici';
import { crossedNodesFromHeader, instanceFromBody, instanceFromHeader, versionFromBody, versionFromHeader } from './answering-instance.js';
import type { LoadBucket } from './load-buckets.js';
import { requestErrorCode } from './request-error-code.js';

/** What a load connection sends through: an undici Client (one HTTP/1.1 connection), or a fake in tests. */
export type LoadDispatcher = Pick<Dispatcher, 'dispatch' | 'close'>;

/** Told when a connection's request has settled and the connection is free again. */
export interface LoadConnectionOwner {
  /**
   * `answered`: the response ended normally. Only then may the owner send the next request from
   * inside this call: undici is still finishing the response, and sending now lets it reuse the
   * socket at once. After an error undici is still failing its queue, and a request sent from
   * inside that would break its bookkeeping: the owner must send later.
   */
  requestSettled(connection: LoadConnection, now: number, answered: boolean): void;
}

// One connection of the load generator, carrying one request at a time, and its own undici
// dispatch handler (the object is reused for every request it carries): reading a response creates
// no body stream, promise or closure — only the status, the answering instance and the time are
// kept, and the body is discarded unless it is needed to name the instance.
export class LoadConnection implements Dispatcher.DispatchHandler {
  busy = false;
  private bucket: LoadBucket | undefined;
  private sentAt = 0;
  /** When the schedule wanted the request sent: its latency counts from here (no coordinated omission). */
  private dueAt = 0;
  private status = 0;
  private instance: string | undefined;
  private version: string | undefined;
  private crossedNodes: boolean | undefined;
  private bodyRead = false;
  private controller: Dispatcher.DispatchController | undefined;

  constructor(
    private readonly dispatcher: LoadDispatcher,
    /** The same GET every time (undici does not modify it). */
    private readonly request: Dispatcher.DispatchOptions,
    private readonly clock: { now(): number },
    private readonly owner: LoadConnectionOwner,
  ) {}

  /** Sends the next request, counted in `bucket`, sent at `now`, due at `dueAt` (≤ now). */
  send(bucket: LoadBucket, now: number, dueAt: number = now): void {
    this.busy = true;
    this.bucket = bucket;
    this.sentAt = now;
    this.dueAt = dueAt;
    this.status = 0;
    this.instance = undefined;
    this.version = undefined;
    this.crossedNodes = undefined;
    this.bodyRead = false;
    this.controller = undefined;
    this.dispatcher.dispatch(this.request, this);
  }

  /**
   * Fails the request in flight if it was sent before `sentBefore`. Undici's own header and body
   * timeouts tick at about 1 s resolution (its fast timers), so the generator enforces the
   * timeout itself. A request still connecting has no controller yet: the connect timeout bounds it.
   */
  expire(sentBefore: number, reason: Error): void {
    if (this.busy && this.sentAt < sentBefore) this.controller?.abort(reason);
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.status = statusCode;
    this.instance = instanceFromHeader(headers['x-instance']);
    this.version = versionFromHeader(headers['x-version']);
    this.crossedNodes = crossedNodesFromHeader(headers['x-crossed-nodes']);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    // Only the start of the body can name the instance ("instance <id>"), and only without the header.
    if (this.instance !== undefined || this.bodyRead) return;
    this.bodyRead = true;
    const start = chunk.toString('latin1', 0, 256);
    this.instance = instanceFromBody(start);
    this.version ??= versionFromBody(start);
  }

  onResponseEnd(): void {
    // Undici ends each request once (end or error); `busy` makes a second report count nothing.
    if (!this.busy) return;
    const now = this.clock.now();
    const ok = this.status >= 200 && this.status < 400;
    if (ok) {
      this.bucket!.answered(now - this.dueAt, this.instance);
      this.bucket!.answeredFrom(this.version, this.crossedNodes);
    } else this.bucket!.failedWith(`HTTP ${this.status}`);
    this.busy = false;
    this.owner.requestSettled(this, now, true);
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    if (!this.busy) return;
    this.bucket!.failedWith(requestErrorCode(error));
    this.busy = false;
    this.owner.requestSettled(this, this.clock.now(), false);
  }
}
