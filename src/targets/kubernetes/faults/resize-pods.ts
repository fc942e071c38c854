import { PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import { EnvironmentError, errorMessage } from '../../../common/errors.js';
import { pollUntil } from '../../../common/poll-until.js';
import { IncompleteInjection, type RollbackOutcome, type UndoRecordOf } from '../../../faults/index.js';
import type { KubeApi } from '../kube-api.js';
import { apiMessage, kubeCall, statusOf } from '../kube-errors.js';
import { mainContainerStatus } from '../pod-facts.js';
import { belowUsageRefusal } from '../../fault-tools/index.js';
import type { KubernetesFault } from './fault-context.js';
import { type Quantities, sameQuantities, squeezedResources } from './squeezed-resources.js';

type Recorded = UndoRecordOf<'squeeze', 'kubernetes'>['pods'][number];

/** The kubelet applied resizes here in 0.6–1.6 s (src/targets/FAULT-MECHANISMS.md): this is plenty. */
const APPLY_TIMEOUT_MS = 4_000;
const RESTORE_TIMEOUT_MS = 15_000;

/**
 * squeeze on Kubernetes: an in-place resize through the pod's `resize` subresource (beta and on by
 * default from 1.33; a cluster without it answers 404 and the fault is refused, saying why). Each
 * pod's main-container requests and limits are journalled before its patch; the kubelet then
 * rewrites the running container's cgroup (no restart). A memory limit below what the container
 * uses is accepted by the API but not applied: the kubelet keeps the pod PodResizeInProgress until
 * usage falls under it — the injection says so as incomplete, the fault is in effect all the same.
 */
export const resizePods: KubernetesFault<'squeeze'> = {
  planUndo: (_fault, context) => ({ action: 'restore-resources', namespace: context.namespace, pods: [] }),
  async inject(fault, context, run) {
    const { api, namespace } = context;
    const recorded: Recorded[] = [];
    const wanted: { pod: string; limits: Quantities }[] = [];
    const notes: string[] = [];
    for (const name of fault.subjects) {
      const pod = await kubeCall(`reading pod ${name}`, api.server, () => api.core.readNamespacedPod({ name, namespace }));
      const container = pod.spec?.containers?.[0];
      if (!container) throw new Error(`pod ${name} has no container to squeeze`);
      const before = { requests: quantities(container.resources?.requests), limits: quantities(container.resources?.limits) };
      const next = squeezedResources(name, before.requests, before.limits, fault.params);
      recorded.push({ pod: name, container: container.name, ...before });
      run.record({ action: 'restore-resources', namespace, pods: [...recorded] });
      await resize(api, namespace, name, container.name, next);
      wanted.push({ pod: name, limits: next.limits });
      notes.push(`${name}: ${next.words.join(', ')}`);
    }
    const undo = { action: 'restore-resources' as const, namespace, pods: recorded };
    const note = `in-place resize (pods/resize; the container keeps running): ${notes.join('; ')}`;
    const pending = await waitApplied(api, namespace, wanted, APPLY_TIMEOUT_MS, { stopWhenFailed: true });
    if (pending.length > 0) {
      throw new IncompleteInjection(`the resize is in the pod spec, but the kubelet has not applied it to the container: ${pending.join('; ')}`, { undo, note: `${note}; not applied to the container: ${pending.join('; ')}` });
    }
    return { undo, note: `${note}; applied to the running container${wanted.length === 1 ? '' : 's'}` };
  },
  undo: (record, { api }) => restoreResources(api, record.namespace, record.pods),
};

function quantities(values: Record<string, unknown> | undefined): Quantities {
  return Object.fromEntries(Object.entries(values ?? {}).map(([key, value]) => [key, String(value)]));
}

async function resize(api: KubeApi, namespace: string, pod: string, container: string, resources: { requests: Quantities; limits: Quantities }): Promise<void> {
  const body = { spec: { containers: [{ name: container, resources: { requests: resources.requests, limits: resources.limits } }] } };
  try {
    await api.core.patchNamespacedPodResize({ name: pod, namespace, body }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));
  } catch (error) {
    // The subresource missing is a 404 without the pod's name ("the server could not find the requested resource").
    if (statusOf(error) === 404 && !apiMessage(error).includes(pod)) {
      throw new EnvironmentError(`this cluster has no pods/resize subresource (${apiMessage(error)}): it cannot resize a running pod in place`, {
        hint: 'in-place pod resize is on by default from Kubernetes 1.33 (the InPlacePodVerticalScaling feature gate before); on an older cluster squeeze is not possible',
        cause: error,
      });
    }
    throw new Error(`resizing pod ${pod} (${JSON.stringify(resources.limits)}) was refused: ${apiMessage(error)}`, { cause: error });
  }
}

interface ResizeState {
  /** In words: the pod and what its conditions say. */
  text: string;
  /** The kubelet tried and failed (PodResizeInProgress, reason Error): it retries, but waiting here says nothing new. */
  failed: boolean;
}

/** Why a pod's resize is not in its container's status yet (PodResizePending / PodResizeInProgress), or undefined once it is. */
function resizeState(pod: V1Pod, limits: Quantities): ResizeState | undefined {
  if (sameQuantities(limits, quantities(mainContainerStatus(pod)?.resources?.limits))) return undefined;
  const conditions = (pod.status?.conditions ?? []).filter((condition) => condition.type === 'PodResizePending' || condition.type === 'PodResizeInProgress');
  const said = conditions.map((condition) => {
    const refusal = belowUsageRefusal(condition.message ?? '');
    const why = refusal ? `the kubelet's attempt failed: ${refusal}; it keeps trying and applies it once usage falls under the new limit` : condition.message;
    return `${condition.type}${condition.reason ? ` (${condition.reason}${why ? `: ${why}` : ''})` : ''}`;
  });
  const failed = conditions.some((condition) => condition.type === 'PodResizeInProgress' && condition.reason === 'Error');
  return { text: `${pod.metadata?.name}: ${said.join(', ') || 'not in the container status yet'}`, failed };
}

/** Waits until every pod's container status shows the wanted limits (or the kubelet failed at it); returns the pods not applied, in words. */
async function waitApplied(api: KubeApi, namespace: string, wanted: readonly { pod: string; limits: Quantities }[], timeoutMs: number, options: { stopWhenFailed: boolean }): Promise<string[]> {
  const states = async () => {
    const found: ResizeState[] = [];
    for (const { pod, limits } of wanted) {
      const state = resizeState(await api.core.readNamespacedPod({ name: pod, namespace }), limits);
      if (state !== undefined) found.push(state);
    }
    return found;
  };
  const result = await pollUntil({ check: states, done: (found) => found.length === 0, // A restore may still see the failed attempt of the squeeze it undoes: it waits the whole time.
    hopeless: (found) => options.stopWhenFailed && found.every((state) => state.failed), timeoutMs, intervalMs: 200, retryErrors: true });
  return result.status === 'done' ? [] : (result.last?.map((state) => state.text) ?? [`the pods could not be read: ${errorMessage(result.lastError)}`]);
}

/** Resizes each pod back to its recorded requests and limits; a pod that is gone was replaced with its template's. */
async function restoreResources(api: KubeApi, namespace: string, pods: readonly Recorded[]): Promise<RollbackOutcome> {
  const restored: { pod: string; limits: Quantities }[] = [];
  const gone: string[] = [];
  const errors: string[] = [];
  for (const recorded of pods) {
    try {
      await resize(api, namespace, recorded.pod, recorded.container, recorded);
      restored.push({ pod: recorded.pod, limits: recorded.limits });
    } catch (error) {
      if (!(error instanceof EnvironmentError) && statusOf((error as Error).cause) === 404) gone.push(recorded.pod);
      else errors.push(`${recorded.pod}: ${errorMessage(error)}`);
    }
  }
  const pending = restored.length > 0 ? await waitApplied(api, namespace, restored, RESTORE_TIMEOUT_MS, { stopWhenFailed: false }) : [];
  const parts = [
    ...(restored.length > 0 ? [`resized ${restored.map((entry) => entry.pod).join(', ')} back to the recorded requests and limits${pending.length > 0 ? ` (not applied by the kubelet yet: ${pending.join('; ')})` : ' (applied to the running container)'}`] : []),
    ...(gone.length > 0 ? [`${gone.join(', ')} gone: a replacement has its template's resources`] : []),
  ];
  const action = parts.length > 0 ? parts.join('; ') : 'nothing was squeezed: nothing to restore';
  return errors.length > 0 ? { ok: false, action, error: errors.join('; ') } : { ok: true, action };
}
