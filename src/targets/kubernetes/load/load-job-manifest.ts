import type { V1Job } from '@kubernetes/client-node';
import type { LoadSpec } from '../../../experiments/schema.js';

/** The container's name in every load pod (rebound reads its log). */
export const LOAD_CONTAINER = 'load';
/** After the load's end: time for the last requests (their timeout) and the summary line, then the deadline. */
const DEADLINE_MARGIN_S = 30;
/** The Job is deleted by rebound at the end of the run; this is the safety net if rebound died. */
const TTL_AFTER_FINISHED_S = 120;
/** SIGTERM → SIGKILL: a stopped worker waits at most its request timeout for what is in flight, then writes its summary. */
const GRACE_S = 10;

export interface LoadJobOptions {
  name: string;
  namespace: string;
  image: string;
  /** The system's Service, checked (system-service.ts). */
  url: string;
  spec: LoadSpec;
  workers: number;
  /** The common start instant, epoch ms. */
  startAtEpochMs: number;
  /** Now, epoch ms: the deadline counts from here. */
  nowEpochMs: number;
  /** Labels of the Job and its pods (LOAD_LABEL, RUN_LABEL, managed-by). */
  labels: Record<string, string>;
  /** Nodes the pods must not run on. */
  avoidNodes: readonly string[];
  rawSamples?: boolean;
}

/** What the worker needs of the spec (ms and req/s, as parsed), without the fields about where it runs. */
function workerSpec(spec: LoadSpec): Record<string, unknown> {
  const { in: _in, workers: _workers, service: _service, avoidFaultedNodes: _avoid, image: _image, startAfter: _startAfter, path: _path, ...rest } = spec;
  return rest;
}

/**
 * The cluster load as one Indexed Job: N pods (completions = parallelism = N), each its share of the
 * schedule (JOB_COMPLETION_INDEX), no retries (backoffLimit 0: a retried worker would send its share
 * late, so a lost pod is reported, not replaced), and it ends by itself: activeDeadlineSeconds covers
 * the wait for the start, the load and a margin; ttlSecondsAfterFinished removes it if rebound cannot.
 */
export function loadJobManifest(options: LoadJobOptions): V1Job {
  const { spec, workers } = options;
  const seconds = Math.ceil((Math.max(0, options.startAtEpochMs - options.nowEpochMs) + spec.duration + spec.timeout) / 1000) + DEADLINE_MARGIN_S;
  const args = [
    'load-worker',
    '--url',
    options.url,
    '--spec',
    JSON.stringify(workerSpec(spec)),
    '--start',
    String(options.startAtEpochMs),
    '--workers',
    String(workers),
    ...(options.rawSamples ? ['--raw-samples'] : []),
  ];
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: options.name, namespace: options.namespace, labels: options.labels },
    spec: {
      completionMode: 'Indexed',
      completions: workers,
      parallelism: workers,
      backoffLimit: 0,
      activeDeadlineSeconds: seconds,
      ttlSecondsAfterFinished: TTL_AFTER_FINISHED_S,
      template: {
        metadata: { labels: options.labels },
        spec: {
          restartPolicy: 'Never',
          // A load worker talks to a Service, never to the API: no token, no service links.
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: GRACE_S,
          ...(options.avoidNodes.length > 0 && {
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: [...options.avoidNodes] }] }],
                },
              },
            },
          }),
          // Spread over the nodes, softly: one node's CPU is not the limit of the whole load.
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: options.labels } }],
          securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: LOAD_CONTAINER,
              image: options.image,
              // Present on kind (loaded by setup, nothing is pulled there); pulled once elsewhere.
              imagePullPolicy: 'IfNotPresent',
              args,
              // No CPU limit: throttling would make the load, not the system, the bottleneck.
              resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '256Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
}
