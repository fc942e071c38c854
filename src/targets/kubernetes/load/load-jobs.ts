import type { V1Job } from '@kubernetes/client-node';
import { sleep } from '../../../common/clock.js';
import { errorMessage } from '../../../common/errors.js';
import type { ClusterLoadUndo } from '../../../faults/index.js';
import type { RollbackOutcome } from '../../target.js';
import type { KubeApi } from '../kube-api.js';
import { kubeCall, statusOf } from '../kube-errors.js';

const POLL_MS = 250;
const DEFAULT_TIMEOUT_MS = 30_000;

/** Where to look: one namespace (teardown) or all (recover knows the run, not always its namespace). */
export interface LoadJobSearch {
  namespace?: string;
  labelSelector: string;
}

/** The load Jobs matching the labels, as "Job <name>" (with its namespace when all are searched). */
export async function findLoadJobs(api: KubeApi, search: LoadJobSearch): Promise<string[]> {
  return (await listJobs(api, search)).map((job) => describeJob(job, search));
}

/**
 * Deletes the matching Jobs with foreground propagation (a Job disappears only after its pods) and
 * waits, bounded, until no Job and no pod with those labels is left. Idempotent: nothing there is success.
 */
export async function removeLoadJobs(api: KubeApi, search: LoadJobSearch, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<RollbackOutcome> {
  try {
    const jobs = await listJobs(api, search);
    for (const job of jobs) {
      const { name, namespace } = job.metadata ?? {};
      if (name === undefined || namespace === undefined) continue;
      await kubeCall(`deleting Job ${name}`, api.server, async () => {
        try {
          await api.batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Foreground', gracePeriodSeconds: 10 });
        } catch (error) {
          if (statusOf(error) !== 404) throw error;
        }
      });
    }
    const deadline = performance.now() + timeoutMs;
    let left = await leftovers(api, search);
    while (left.length > 0 && performance.now() < deadline) {
      await sleep(POLL_MS);
      left = await leftovers(api, search);
    }
    const what = jobs.length === 0 ? `no load Job labelled ${search.labelSelector} was left` : `deleted ${jobs.map((job) => describeJob(job, search)).join(', ')} and its pods`;
    if (left.length > 0) return { ok: false, action: what, error: `still there after ${timeoutMs / 1000} s: ${left.join(', ')}` };
    return { ok: true, action: what };
  } catch (error) {
    return { ok: false, action: `delete the load Jobs labelled ${search.labelSelector}`, error: errorMessage(error) };
  }
}

/** The journal record that lets `rebound recover` remove a dead run's load. */
export function loadJobUndo(namespace: string, job: string, labelSelector: string): ClusterLoadUndo {
  return { target: 'kubernetes', load: 'cluster', record: { action: 'delete-load-job', job, namespace, labelSelector } };
}

/** `rebound recover`: removes what the record names (by its labels, so a Job and its pods). */
export async function undoLoadJob(api: KubeApi, { record }: ClusterLoadUndo): Promise<RollbackOutcome> {
  if (typeof record.namespace !== 'string' || typeof record.labelSelector !== 'string') {
    return { ok: false, action: `delete load Job ${record.job}`, error: 'the journal record names no namespace and labels' };
  }
  return removeLoadJobs(api, { namespace: record.namespace, labelSelector: record.labelSelector });
}

async function listJobs(api: KubeApi, { namespace, labelSelector }: LoadJobSearch): Promise<V1Job[]> {
  const list = await kubeCall(`listing load Jobs labelled ${labelSelector}`, api.server, () =>
    namespace === undefined ? api.batch.listJobForAllNamespaces({ labelSelector }) : api.batch.listNamespacedJob({ namespace, labelSelector }),
  );
  return list.items;
}

async function leftovers(api: KubeApi, search: LoadJobSearch): Promise<string[]> {
  const jobs = await listJobs(api, search);
  const pods = await kubeCall(`listing load pods labelled ${search.labelSelector}`, api.server, () =>
    search.namespace === undefined ? api.core.listPodForAllNamespaces({ labelSelector: search.labelSelector }) : api.core.listNamespacedPod({ namespace: search.namespace, labelSelector: search.labelSelector }),
  );
  return [...jobs.map((job) => describeJob(job, search)), ...pods.items.map((pod) => `pod ${pod.metadata?.name ?? '?'}`)];
}

function describeJob(job: V1Job, search: LoadJobSearch): string {
  return `Job ${job.metadata?.name ?? '?'}${search.namespace === undefined ? ` in namespace ${job.metadata?.namespace ?? '?'}` : ''}`;
}
