import type { Dispatcher } from 'undici';
import type { LoadDispatcher } from '../../../src/probes/load-connection.js';
import type { OpenLoadConnection } from '../../../src/probes/load-generator.js';

/** How the fake target treats one request. */
export type FakeAnswer =
  | { after: number; status?: number; headers?: Record<string, string>; body?: string }
  | { after: number; error: { code?: string; name?: string } }
  /** Starts the request and never answers: only an abort ends it. */
  | { hang: true };

// A load target without a network: every connection the generator opens is a fake dispatcher that
// answers each request through the undici handler calls, on (fake) timers. It keeps what the
// generator did: requests, the most in flight at once, the options each connection was opened with.
export class FakeLoadTarget {
  readonly requests: Dispatcher.DispatchOptions[] = [];
  /** When each hanging request was aborted, ms after it was sent. */
  readonly abortedAfter: number[] = [];
  readonly connectionOptions: unknown[] = [];
  inFlight = 0;
  maxInFlight = 0;
  closed = 0;

  constructor(private readonly answer: (index: number) => FakeAnswer) {}

  readonly open: OpenLoadConnection = (_origin, options) => {
    this.connectionOptions.push(options);
    const connection: LoadDispatcher = {
      dispatch: (request: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) => {
        const answer = this.answer(this.requests.length);
        this.requests.push(request);
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        if ('hang' in answer) {
          const sentAt = Date.now();
          const abort = (reason: Error) => {
            this.inFlight--;
            this.abortedAfter.push(Date.now() - sentAt);
            handler.onResponseError!(controller, reason);
          };
          const controller = { abort } as unknown as Dispatcher.DispatchController;
          handler.onRequestStart!(controller, {});
          return true;
        }
        setTimeout(() => {
          this.inFlight--;
          const controller = {} as Dispatcher.DispatchController;
          if ('error' in answer) return handler.onResponseError!(controller, Object.assign(new Error('fake'), answer.error));
          handler.onRequestStart!(controller, {});
          handler.onResponseStart!(controller, answer.status ?? 200, answer.headers ?? {}, 'OK');
          handler.onResponseData!(controller, Buffer.from(answer.body ?? ''));
          handler.onResponseEnd!(controller, {});
        }, answer.after);
        return true;
      },
      close: (() => {
        this.closed++;
        return Promise.resolve();
      }) as LoadDispatcher['close'],
    };
    return connection;
  };
}
