import { lookup } from 'node:dns/promises';
import { EnvironmentError, errorMessage, UsageError } from '../common/errors.js';
import type { LoadSpec } from '../experiments/schema.js';
import type { TimelineEntry, TimelineWriter } from '../timeline/timeline.js';
import { BUCKET_MS } from './load-buckets.js';
import { LoadGenerator, type OpenLoadConnection } from './load-generator.js';
import { loadSchedule } from './load-profile.js';
import { formatWorkerLine, type WorkerLine } from './load-worker-lines.js';

export interface LoadWorkerOptions {
  /** The system's Service, e.g. http://web.demo.svc:80/ (only such addresses: see requireServiceUrl). */
  url: string;
  spec: LoadSpec;
  /** Which share: worker `index` of `workers` sends requests index, index + workers, … of the schedule. */
  index: number;
  workers: number;
  /** The common start instant of every worker, epoch ms (rebound chose it when it created the Job). */
  startAtEpochMs: number;
  /** Also write each bucket's raw latencies (a test compares them with the merged histograms). */
  rawSamples?: boolean;
  /** Where the lines go (stdout in the pod). */
  write: (text: string) => void;
  /** Aborted on SIGTERM (the Job deleted early): the worker stops, writes what it has and its summary. */
  signal?: AbortSignal;
  openConnection?: OpenLoadConnection;
  /** DNS lookup (default node:dns's); tests pass a fake. */
  lookup?: (hostname: string) => Promise<{ address: string }>;
}

const SERVICE_HOST = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\.[a-z0-9]([-a-z0-9]*[a-z0-9])?\.svc(\.cluster\.local)?$/;

/**
 * Inside the cluster the load goes to the system's Service by its DNS name
 * (<service>.<namespace>.svc[.cluster.local]), never to an arbitrary host: rebound checked, before
 * it created the Job, that this Service selects only the system's pods.
 */
export function requireServiceUrl(url: string): URL {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed || parsed.protocol !== 'http:') throw new UsageError(`not an http URL: ${url}`);
  if (!SERVICE_HOST.test(parsed.hostname)) {
    throw new UsageError(`refusing to send load to ${parsed.hostname}: a load worker only sends to a Service of the system under test (<service>.<namespace>.svc)`);
  }
  return parsed;
}

/**
 * One worker of the cluster load: waits for the common start instant, sends its share of the
 * open-model schedule with the same generator as a local load, and writes each 100 ms bucket as a
 * compact line (counts + encoded histogram) for rebound to merge. Resolves with its summary line.
 */
export async function runLoadWorker(options: LoadWorkerOptions): Promise<Extract<WorkerLine, { done: unknown }>['done']> {
  const { index: w, spec } = options;
  const parsed = requireServiceUrl(options.url);
  const url = parsed.toString();
  const emit = (line: WorkerLine) => options.write(formatWorkerLine(line));
  // The Service's name is resolved once, before the start: every new connection would otherwise
  // ask the cluster DNS again (through the pod's search domains, ndots 5), and a burst of them at
  // the start costs the first second of the schedule. A ClusterIP is stable for the Service's life.
  let connectTo: string | undefined;
  try {
    if (options.openConnection === undefined) connectTo = `http://${(await (options.lookup ?? lookup)(parsed.hostname)).address}:${parsed.port || '80'}`;
  } catch (error) {
    emit({ note: { w, text: `cannot resolve ${parsed.hostname}: ${errorMessage(error)}` } });
    throw new EnvironmentError(`cannot resolve ${parsed.hostname}: ${errorMessage(error)}`);
  }
  // The worker's clock: monotonic ms since the common start instant (set once it has come), so its
  // buckets line up with every other worker's even when its pod started late (it then skips what it missed).
  const clock = { origin: performance.now() };
  const writer = workerWriter(clock, w, emit);
  // Built before the start instant, so the schedule begins on time.
  const generator = new LoadGenerator(url, spec, writer, {
    schedule: loadSchedule(spec, { index: w, of: options.workers }),
    checkUrl: requireServiceUrl,
    ...(connectTo !== undefined && { connectTo }),
    ...(options.openConnection && { openConnection: options.openConnection }),
    ...(options.rawSamples && { onRawSamples: (k: number, ms: readonly number[]) => emit({ raw: { w, k, ms: ms.map(round) } }) }),
  });
  await waitUntil(options.startAtEpochMs, options.signal);
  const lagMs = Math.max(0, Date.now() - options.startAtEpochMs);
  clock.origin = performance.now() - lagMs;
  const stop = () => void generator.stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  emit({ start: { w, lagMs: round(lagMs) } });
  if (!options.signal?.aborted) generator.start(0);
  else void generator.stop();
  await generator.done;
  options.signal?.removeEventListener('abort', stop);
  const done = { w, sent: generator.sent, dropped: generator.dropped, skipped: generator.skipped, elapsedMs: round(performance.now() - clock.origin), stopped: options.signal?.aborted ?? false };
  emit({ done });
  return done;
}

/** The generator writes timeline entries; the worker turns them into lines. */
function workerWriter(clock: { origin: number }, w: number, emit: (line: WorkerLine) => void): TimelineWriter {
  return {
    now: () => performance.now() - clock.origin,
    fromWallClock: (epochMs) => epochMs - (Date.now() - (performance.now() - clock.origin)),
    add: (entry: TimelineEntry) => {
      if (entry.kind === 'load-bucket') {
        const { data } = entry;
        emit({
          b: {
            w,
            // The generator started at 0 on this clock (the common instant): t is the bucket's start.
            k: Math.max(0, Math.round(entry.t / BUCKET_MS)),
            sent: data.sent,
            ok: data.ok,
            failed: data.failed,
            ms: [data.latencyMs.p50, data.latencyMs.p95, data.latencyMs.p99, data.latencyMs.max],
            ...(data.histogram !== undefined && { h: data.histogram }),
            i: data.byInstance,
            r: data.targetRate,
          },
        });
      } else if (entry.kind === 'note') emit({ note: { w, text: entry.data.text } });
    },
  };
}

function waitUntil(epochMs: number, signal: AbortSignal | undefined): Promise<void> {
  const wait = epochMs - Date.now();
  if (wait <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, wait);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
