import { randomBytes } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import { sleep } from '../../../common/clock.js';
import { formatDuration } from '../../../common/duration.js';
import { errorMessage } from '../../../common/errors.js';
import { LOAD_LABEL, RUN_LABEL } from '../../../common/labels.js';
import type { RunningTraffic } from '../../../probes/traffic.js';
import { WorkerLoadMerge } from '../../../probes/worker-load-merge.js';
import type { TimelineWriter } from '../../../timeline/timeline.js';
import type { ClusterLoadRequest } from '../../target.js';
import type { KubeApi } from '../kube-api.js';
import { kubeCall } from '../kube-errors.js';
import { type ResilientInformer, startInformer } from '../observe/resilient-informer.js';
import { LOAD_CONTAINER, loadJobManifest } from './load-job-manifest.js';
import { loadJobUndo, removeLoadJobs } from './load-jobs.js';
import { podTrouble } from './pod-trouble.js';
import { type PodLogRead, readPodLog } from './read-pod-log.js';
import { requireSystemService } from './system-service.js';

/** When the plan gives no start: time for the Job's pods to be scheduled and started. */
const DEFAULT_START_IN_MS = 5000;
const FLUSH_EVERY_MS = 250;
/** After the load's end (and the request timeout), how long the pods' last lines may take to arrive. */
const DRAIN_MS = 15_000;
const MAX_LOG_READS = 20;
const INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';

interface WorkerPod {
  index: number;
  read?: PodLogRead;
  /** The container has exited (Succeeded / Failed) or the pod is gone: the next read is the last. */
  terminated: boolean;
  gone: boolean;
  following: boolean;
  fate?: string;
}

// The cluster load (load.in: cluster): one Indexed Job of the rebound image, each pod sending its
// share of the schedule from a common start instant (rebound load-worker), its log followed and
// merged into the timeline as it comes (WorkerLoadMerge). stop() ends it early when needed, waits
// for the pods' last lines, reports every worker against its share and deletes the Job and its pods.
export class ClusterLoad implements RunningTraffic {
  private readonly merge: WorkerLoadMerge;
  private readonly workers: number;
  private readonly namespace: string;
  private readonly jobName: string;
  private readonly labels: Record<string, string>;
  private readonly labelSelector: string;
  private readonly startT: number;
  private readonly pods = new Map<string, WorkerPod>();
  private readonly endedWorkers = new Set<number>();
  private informer: ResilientInformer<V1Pod> | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private started: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private closed = false;
  private allEnded: () => void = () => undefined;
  private readonly everyWorkerEnded = new Promise<void>((resolve) => (this.allEnded = resolve));

  constructor(
    private readonly api: KubeApi,
    private readonly request: ClusterLoadRequest,
    private readonly writer: TimelineWriter,
  ) {
    this.workers = request.spec.workers ?? 1;
    this.namespace = request.selector.namespace ?? 'default';
    this.startT = request.startAtMs ?? writer.now() + DEFAULT_START_IN_MS;
    const prefix = `rebound-load-${request.experiment}`.slice(0, 42).replace(/-+$/, '');
    this.jobName = `${prefix}-${randomBytes(3).toString('hex')}`;
    this.labels = { 'app.kubernetes.io/managed-by': 'rebound', [LOAD_LABEL]: request.experiment, [RUN_LABEL]: request.runId };
    this.labelSelector = `${RUN_LABEL}=${request.runId},${LOAD_LABEL}=${request.experiment}`;
    this.merge = new WorkerLoadMerge(request.spec, this.workers, writer, this.startT, request.onRawSamples);
  }

  start(): this {
    this.started = this.begin();
    this.flushTimer = setInterval(() => this.merge.flush(this.writer.now()), FLUSH_EVERY_MS);
    return this;
  }

  /** Ends the load (early, if it is still going), waits for the workers' last lines, reports them, removes the Job. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= this.finish();
    return this.stopping;
  }

  private async begin(): Promise<void> {
    const { request, namespace } = this;
    try {
      const url = await requireSystemService(this.api, request.url, namespace, request.selector, request.spec.service?.port);
      // Journalled before it exists: if rebound dies from here on, `rebound recover` removes it.
      request.onCreated?.(loadJobUndo(namespace, this.jobName, this.labelSelector), `cluster load Job ${this.jobName} in namespace ${namespace}`);
      const startAtEpochMs = Date.now() + (this.startT - this.writer.now());
      const body = loadJobManifest({ name: this.jobName, namespace, image: request.image, url, spec: request.spec, workers: this.workers, startAtEpochMs, nowEpochMs: Date.now(), labels: this.labels, avoidNodes: request.avoidNodes ?? [], ...(request.onRawSamples && { rawSamples: true }) });
      await kubeCall(`creating the load Job ${this.jobName}`, this.api.server, () => this.api.batch.createNamespacedJob({ namespace, body }));
      // Watched after the Job is created (its pods take seconds to start): the informer's first list finds any that are already there.
      const list = () => this.api.core.listNamespacedPod({ namespace, labelSelector: this.labelSelector });
      const handlers = { add: this.seen, update: this.seen, delete: this.lost, trouble: this.note };
      this.informer = await startInformer<V1Pod>(`load pod ${namespace}`, this.api.config, `/api/v1/namespaces/${namespace}/pods`, list, handlers, this.labelSelector);
      const avoid = request.avoidNodes?.length ? `, off ${request.avoidNodes.join(', ')}` : '';
      this.note(`cluster load: Job ${this.jobName} in namespace ${namespace}, ${this.workers} worker${this.workers === 1 ? '' : 's'} of ${request.image}${avoid}, sending to ${url} from ${formatDuration(this.startT)}`);
    } catch (error) {
      this.note(`the cluster load did not start: ${errorMessage(error)}`);
      for (let index = 0; index < this.workers; index++) this.endWorker(index, 'the load did not start');
    }
  }

  private async finish(): Promise<void> {
    const stoppedAt = this.writer.now();
    const cutShort = stoppedAt < this.startT + this.request.spec.duration;
    await this.started;
    // Deleting the Job sends the pods SIGTERM: each worker stops, writes what it has and its summary.
    if (cutShort) await removeLoadJobs(this.api, { namespace: this.namespace, labelSelector: this.labelSelector }, 1).catch(() => undefined);
    const drainUntil = Math.max(stoppedAt, cutShort ? stoppedAt : this.startT + this.request.spec.duration) + this.request.spec.timeout + DRAIN_MS;
    await Promise.race([this.everyWorkerEnded, sleep(Math.max(0, drainUntil - this.writer.now()))]);
    this.closed = true;
    clearInterval(this.flushTimer);
    for (const pod of this.pods.values()) pod.read?.stop();
    const placed = new Set([...this.pods.values()].map((pod) => pod.index));
    for (let index = 0; index < this.workers; index++) this.endWorker(index, placed.has(index) ? 'its log did not end before the load was over' : 'no pod of the Job ran it');
    this.merge.finish(cutShort ? stoppedAt : undefined);
    await this.informer?.stop();
    const removed = await removeLoadJobs(this.api, { namespace: this.namespace, labelSelector: this.labelSelector });
    this.request.onRemoved?.(removed);
    if (!removed.ok) this.note(`the cluster load Job was not removed: ${removed.action}: ${removed.error ?? ''} (rebound recover removes it)`);
  }

  private readonly seen = (pod: V1Pod): void => {
    const name = pod.metadata?.name;
    const index = Number(pod.metadata?.annotations?.[INDEX_ANNOTATION]);
    if (name === undefined || !Number.isInteger(index) || index < 0 || index >= this.workers) return;
    let worker = this.pods.get(name);
    if (worker === undefined) this.pods.set(name, (worker = { index, terminated: false, gone: false, following: false }));
    this.merge.placed(index, name, pod.spec?.nodeName);
    const trouble = podTrouble(pod);
    if (trouble !== undefined) this.merge.trouble(index, trouble);
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') worker.terminated = true;
    if (phase === 'Failed') worker.fate ??= `its pod failed${pod.status?.reason ? ` (${pod.status.reason}${pod.status.message ? `: ${pod.status.message}` : ''})` : ''}`;
    if ((phase === 'Running' || worker.terminated) && !worker.following) void this.follow(name, worker);
  };

  private readonly lost = (pod: V1Pod): void => {
    const worker = this.pods.get(pod.metadata?.name ?? '');
    if (worker === undefined) return;
    worker.terminated = true;
    worker.gone = true;
    if (!worker.following) this.endWorker(worker.index, worker.fate);
  };

  /** Follows the log while the container runs, then reads it whole once more (a follow can be cut short); the merge counts each line once. */
  private async follow(name: string, worker: WorkerPod): Promise<void> {
    worker.following = true;
    for (let reads = 0; reads < MAX_LOG_READS && !this.closed && !worker.gone; reads++) {
      const last = worker.terminated;
      worker.read = readPodLog(this.api, this.namespace, name, LOAD_CONTAINER, !last, (line) => this.merge.line(worker.index, line));
      await worker.read.ended;
      if (last) break;
      await sleep(500);
    }
    worker.read = undefined;
    this.endWorker(worker.index, worker.fate);
  }

  private endWorker(index: number, fate?: string): void {
    if (this.endedWorkers.has(index)) return;
    this.endedWorkers.add(index);
    this.merge.ended(index, fate);
    if (this.endedWorkers.size === this.workers) this.allEnded();
  }

  private readonly note = (text: string): void => {
    this.writer.add({ t: this.writer.now(), source: 'load', kind: 'note', data: { text } });
  };
}
