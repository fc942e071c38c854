import { isDeepStrictEqual } from 'node:util';
import { PatchStrategy, setHeaderOptions, type V1Deployment } from '@kubernetes/client-node';
import { formatDuration } from '../../../common/duration.js';
import { errorMessage, UsageError } from '../../../common/errors.js';
import { pollUntil } from '../../../common/poll-until.js';
import type { RollbackOutcome } from '../../../faults/index.js';
import { releaseInWords } from '../../../faults/modules/rollout.js';
import type { KubeApi } from '../kube-api.js';
import { kubeCall, statusOf } from '../kube-errors.js';
import { ownerKey } from '../owners.js';
import { REVISION_ANNOTATION, rolloutComplete, strategyInWords } from '../rollout-facts.js';
import type { KubernetesFault } from './fault-context.js';
import { singleOwner } from './single-owner.js';

/**
 * Written on the Deployment with the rollout: the pod template and strategy to go back to (JSON),
 * so a rollout left in effect by a run that died is never mistaken for the original release by the
 * next rollout's record. Removed by the rollback.
 */
export const TEMPLATE_BEFORE_ANNOTATION = 'rebound.dev/template-before';
export const STRATEGY_BEFORE_ANNOTATION = 'rebound.dev/strategy-before';
/** What `kubectl rollout history` shows for the revision. */
const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
/** How long the rollback waits for the rollout back to the previous template to complete. */
const ROLLED_BACK_TIMEOUT_MS = 120_000;

type Json = Record<string, unknown>;
/** The API's JSON of a client-node object (its property names are the API's; Dates become strings). */
const json = (value: unknown): Json | null => (value === undefined || value === null ? null : (JSON.parse(JSON.stringify(value)) as Json));

/**
 * rollout on Kubernetes = a strategic merge patch of the Deployment's pod template (the container's
 * image, its env merged by name), as `kubectl set image` / `kubectl set env` do; the Deployment
 * controller rolls a new ReplicaSet under the Deployment's strategy (maxSurge / maxUnavailable may
 * be overridden for this rollout) and reports a stall as Progressing=False ProgressDeadlineExceeded
 * after progressDeadlineSeconds. The previous template and strategy are journalled (and annotated)
 * before the patch; the undo puts them back as `kubectl rollout undo` does and waits until that
 * rollout completed.
 */
export const rollDeployment: KubernetesFault<'rollout'> = {
  planUndo: (_fault, context) => ({ action: 'restore-template', namespace: context.namespace, deployment: null, template: null, strategy: null, revision: null }),
  async inject(fault, context, run) {
    const { api, namespace } = context;
    const owner = await singleOwner(context, 'rollout');
    if (owner.kind !== 'Deployment') {
      throw new UsageError(`rollout updates a Deployment; the selected pods belong to ${ownerKey(owner)}`, { hint: 'select the pods of a Deployment (system.owner: { kind: Deployment, name: ... })' });
    }
    const deployment = await readDeployment(api, namespace, owner.name);
    const containers = deployment.spec?.template.spec?.containers ?? [];
    const container = fault.params.container ?? containers[0]?.name;
    if (container === undefined || !containers.some((candidate) => candidate.name === container)) {
      throw new UsageError(`rollout: Deployment ${owner.name} has no container ${container ?? ''} (it has ${containers.map((candidate) => candidate.name).join(', ') || 'none'})`, { hint: 'name one in rollout.container' });
    }
    const annotations = deployment.metadata?.annotations ?? {};
    // A rollout left in effect by a run that died: the original release is in the annotation.
    const template = parseAnnotation(annotations[TEMPLATE_BEFORE_ANNOTATION]) ?? json(deployment.spec?.template);
    const strategy = parseAnnotation(annotations[STRATEGY_BEFORE_ANNOTATION]) ?? json(deployment.spec?.strategy) ?? {};
    const revision = Number(annotations[REVISION_ANNOTATION]);
    const undo = { action: 'restore-template' as const, namespace, deployment: owner.name, template, strategy, revision: Number.isInteger(revision) ? revision : null };
    run.record(undo);
    const { to, maxSurge, maxUnavailable } = fault.params;
    const rollingUpdate = { ...(maxSurge !== undefined && { maxSurge }), ...(maxUnavailable !== undefined && { maxUnavailable }) };
    const release = releaseInWords(to);
    const body = {
      metadata: { annotations: { [TEMPLATE_BEFORE_ANNOTATION]: JSON.stringify(template), [STRATEGY_BEFORE_ANNOTATION]: JSON.stringify(strategy), [CHANGE_CAUSE_ANNOTATION]: `rebound rollout: ${release}` } },
      spec: {
        ...(Object.keys(rollingUpdate).length > 0 && { strategy: { type: 'RollingUpdate', rollingUpdate } }),
        template: { spec: { containers: [{ name: container, ...(to.image !== undefined && { image: to.image }), ...(to.env && { env: Object.entries(to.env).map(([name, value]) => ({ name, value })) }) }] } },
      },
    };
    const patched = await kubeCall(`rolling out ${release} to Deployment ${owner.name}`, api.server, () =>
      api.apps.patchNamespacedDeployment({ name: owner.name, namespace, body }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch)),
    );
    const deadline = patched.spec?.progressDeadlineSeconds;
    const strategyText = strategyInWords(patched);
    return {
      undo,
      note: `Deployment ${owner.name}: ${release} (container ${container}); the controller rolls a new ReplicaSet under ${strategyText}, and reports a stall after progressDeadlineSeconds ${deadline ?? 600}`,
      facts: { rollout: { strategy: strategyText, ...(deadline !== undefined && { progressDeadlineMs: deadline * 1000 }) } },
    };
  },
  async undo(record, { api }) {
    if (record.deployment === null || record.template === null) return { ok: true, action: 'nothing was rolled out yet: nothing to roll back' };
    try {
      return await restoreTemplate(api, record.namespace, record.deployment, record.template, record.strategy ?? {}, record.revision);
    } catch (error) {
      return { ok: false, action: `roll Deployment ${record.deployment} back to its previous template`, error: errorMessage(error) };
    }
  },
};

function parseAnnotation(text: string | undefined): Json | null {
  if (text === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Json) : null;
  } catch {
    return null; // not rebound's (edited by hand): the Deployment's current template is then the one to record
  }
}

async function readDeployment(api: KubeApi, namespace: string, name: string): Promise<V1Deployment> {
  return kubeCall(`reading Deployment ${name} in ${namespace}`, api.server, () => api.apps.readNamespacedDeployment({ name, namespace }));
}

/** JSON pointer of an annotation ("/" in the key is "~1"). */
const annotationPath = (key: string) => `/metadata/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;

/**
 * The recorded template and strategy back (a JSON patch replacing both, as `kubectl rollout undo`
 * replaces the template), rebound's annotations removed; then waits until that rollout completed.
 * Already there: only the annotations go, and it says so.
 */
async function restoreTemplate(api: KubeApi, namespace: string, name: string, template: Json, strategy: Json, revision: number | null): Promise<RollbackOutcome> {
  const began = performance.now();
  const deployment = await kubeCall(`reading Deployment ${name} in ${namespace}`, api.server, async () => {
    try {
      return await api.apps.readNamespacedDeployment({ name, namespace });
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  });
  if (deployment === undefined) throw new Error(`Deployment ${name} in ${namespace} is gone: there is nothing to roll back`);
  const annotations = deployment.metadata?.annotations ?? {};
  const same = isDeepStrictEqual(json(deployment.spec?.template), template) && isDeepStrictEqual(json(deployment.spec?.strategy) ?? {}, strategy);
  const operations: Json[] = [
    ...(same ? [] : [{ op: 'replace', path: '/spec/template', value: template }, { op: 'replace', path: '/spec/strategy', value: strategy }]),
    ...[TEMPLATE_BEFORE_ANNOTATION, STRATEGY_BEFORE_ANNOTATION, CHANGE_CAUSE_ANNOTATION].filter((key) => annotations[key] !== undefined).map((key) => ({ op: 'remove', path: annotationPath(key) })),
  ];
  if (operations.length > 0) {
    // The resourceVersion test makes the patch apply to the Deployment as it was read, or not at all.
    const body = [{ op: 'test', path: '/metadata/resourceVersion', value: deployment.metadata?.resourceVersion }, ...operations];
    await kubeCall(`rolling Deployment ${name} back`, api.server, () => api.apps.patchNamespacedDeployment({ name, namespace, body }, setHeaderOptions('Content-Type', PatchStrategy.JsonPatch)));
  }
  const to = `the previous pod template${revision !== null ? ` (that of revision ${revision})` : ''}`;
  const waited = await pollUntil({
    check: () => readDeployment(api, namespace, name),
    done: rolloutComplete,
    timeoutMs: ROLLED_BACK_TIMEOUT_MS,
    intervalMs: 250,
    retryErrors: true,
  });
  const action = same ? `Deployment ${name} runs ${to} already: nothing to roll back` : `Deployment ${name} rolled back to ${to}`;
  if (waited.status === 'done') return { ok: true, action: `${action}; every pod of it available ${formatDuration(performance.now() - began)} after the rollback began` };
  const status = waited.last?.status;
  return { ok: false, action, error: `the rollout back has not completed ${formatDuration(ROLLED_BACK_TIMEOUT_MS)} later (${status?.updatedReplicas ?? 0} updated, ${status?.availableReplicas ?? 0} available of ${waited.last?.spec?.replicas ?? '?'}): kubectl -n ${namespace} rollout status deployment/${name}` };
}
