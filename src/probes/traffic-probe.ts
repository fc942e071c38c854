import { Agent } from 'undici';
import type { TimelineWriter } from '../timeline/timeline.js';
import { requireLoopbackUrl } from './loopback-url.js';
import { sendRequest } from './send-request.js';

export interface TrafficProbeOptions {
  url: string;
  /** Requests per second. */
  rate: number;
  timeoutMs: number;
  /** Stop sending after this long (ms of the run clock from start()). */
  durationMs: number;
  /** false: a new connection per request (default true). */
  keepAlive?: boolean;
}

// A steady open-loop probe: request i is due at start + i / rate whatever happened to request i-1,
// so a hanging request (a paused container) never delays the schedule. Every request becomes one
// `request` entry stamped with when it was sent.
export class TrafficProbe {
  private readonly agent: Agent;
  private readonly origin: string;
  private readonly path: string;
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly options: TrafficProbeOptions,
    private readonly writer: TimelineWriter,
  ) {
    const url = requireLoopbackUrl(options.url);
    this.origin = url.origin;
    this.path = `${url.pathname}${url.search}`;
    // Fresh connections per request would measure the handshake; keep-alive with enough sockets
    // that hanging requests never starve the schedule, and short keep-alive so a restarted
    // container's dead sockets are not reused for long.
    this.agent = new Agent({ connections: Math.max(16, Math.ceil(options.rate * (options.timeoutMs / 1000)) + 8), pipelining: 1, keepAliveTimeout: 2000, connect: { timeout: options.timeoutMs } });
  }

  start(): this {
    const started = this.writer.now();
    const maxRequests = Math.ceil((this.options.durationMs / 1000) * this.options.rate) + 1;
    let sent = 0;
    const tick = () => {
      if (this.stopped) return;
      const now = this.writer.now();
      const due = Math.min(maxRequests, Math.floor(((now - started) / 1000) * this.options.rate) + 1);
      while (sent < due && now - started < this.options.durationMs) {
        sent++;
        this.sendOne();
      }
      if (sent >= maxRequests || now - started >= this.options.durationMs) return;
      const nextDue = started + (sent * 1000) / this.options.rate;
      this.timer = setTimeout(tick, Math.max(0, nextDue - this.writer.now()));
    };
    tick();
    return this;
  }

  private sendOne(): void {
    const t = this.writer.now();
    const request = sendRequest(this.agent, this.origin, this.path, this.options.timeoutMs, this.options.keepAlive ?? true).then((outcome) => {
      this.writer.add({ t, source: 'probe', kind: 'request', ...(outcome.instance !== undefined && { subject: outcome.instance }), data: { ms: this.writer.now() - t, ...outcome } });
    });
    this.inFlight.add(request);
    void request.finally(() => this.inFlight.delete(request));
  }

  /** Stops sending; waits (at most the timeout) for in-flight requests to be recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
    await this.agent.close().catch(() => undefined);
  }
}
