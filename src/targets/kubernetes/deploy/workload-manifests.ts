import type { V1Deployment, V1Namespace, V1PodDisruptionBudget, V1ResourceRequirements, V1Service, V1Toleration, V1TopologySpreadConstraint, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { DEPLOY_LABEL, OPT_IN_LABEL } from '../../../common/labels.js';
import type { DeploymentSpec } from '../../target.js';

/** Carried by everything deploy creates (value: the deployment's name): selector, and proof of ownership. */

/** The Service's port inside the cluster; the NodePort and targetPort come from the spec. */
const SERVICE_PORT = 80;
/**
 * A loaded 2-core machine answers a probe in more than 1 s now and then: timeoutSeconds 2 and three
 * failures in a row keep such hiccups from flapping readiness, while period 1 s still shows a dead
 * pod within ~3 s.
 */
const READINESS_PROBE = { periodSeconds: 1, timeoutSeconds: 2, failureThreshold: 3 };
/** SIGTERM → SIGKILL after 5 s: teardown and kill faults stay quick (the demo app stops at once). */
const TERMINATION_GRACE_SECONDS = 5;
/**
 * A rolling update that never goes below the wanted count: one extra pod at a time (maxSurge 1), no
 * old pod removed before its successor is available (maxUnavailable 0). What a Deployment user
 * writes for zero-downtime releases; Kubernetes' own default (25 % / 25 %) would take one of 3 pods
 * away at once.
 */
const ROLLING_UPDATE = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
/** A rollout that makes no progress for this long is reported stalled (ProgressDeadlineExceeded); Kubernetes' default is 600 s. */
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 30;
/** The taints the node lifecycle controller puts on a NotReady / unreachable node (NoExecute). */
const NODE_FAILURE_TAINTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

export interface WorkloadManifests {
  namespace: V1Namespace;
  deployment: V1Deployment;
  service: V1Service;
  podDisruptionBudget?: V1PodDisruptionBudget;
  horizontalPodAutoscaler?: V2HorizontalPodAutoscaler;
}

/** The objects `deploy` creates for a spec, as plain API objects (no cluster needed to build them). */
export function workloadManifests(spec: DeploymentSpec, namespace: string): WorkloadManifests {
  const selector = { [DEPLOY_LABEL]: spec.name };
  const podLabels: Record<string, string> = { ...spec.labels, ...selector };
  // The opt-in label invites faults on pods; on the namespace, Service and PDB it would mean nothing.
  const ownerLabels = Object.fromEntries(Object.entries(podLabels).filter(([key]) => key !== OPT_IN_LABEL));
  const metadata = { name: spec.name, namespace, labels: ownerLabels };
  return {
    namespace: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: ownerLabels } },
    deployment: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { ...metadata, labels: podLabels },
      spec: {
        replicas: spec.replicas,
        strategy: ROLLING_UPDATE,
        progressDeadlineSeconds: spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS,
        // Only the deploy label: the experiment's selector labels may change between runs, a
        // Deployment's selector may not.
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: podLabels },
          spec: {
            // The preStop sleep runs inside the grace period: the app still gets its 5 s after it.
            terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS + (spec.preStopSleepSeconds ?? 0),
            ...(spec.spread !== false && { topologySpreadConstraints: [spreadOverNodes(selector)] }),
            ...(spec.tolerationSeconds !== undefined && { tolerations: nodeFailureTolerations(spec.tolerationSeconds) }),
            containers: [
              {
                name: spec.name,
                image: spec.image,
                // kind nodes are offline: images are loaded into them (rebound cluster load-image), never pulled.
                imagePullPolicy: 'Never',
                ports: [{ name: 'http', containerPort: spec.port, protocol: 'TCP' }],
                env: Object.entries(spec.env).map(([name, value]) => ({ name, value })),
                readinessProbe: { httpGet: { path: spec.healthPath, port: spec.port }, ...READINESS_PROBE },
                ...(spec.resources !== undefined && { resources: requestsEqualLimits(spec.resources) }),
                // Endpoints leave kube-proxy's rules a moment after a pod starts terminating (measured
                // here: up to ~1 s on a loaded machine); an app that stops listening at SIGTERM refuses
                // or drops the requests still sent to it meanwhile. The sleep (no binary needed: the
                // kubelet sleeps) keeps it serving until then.
                ...(spec.preStopSleepSeconds !== undefined && { lifecycle: { preStop: { sleep: { seconds: spec.preStopSleepSeconds } } } }),
              },
            ],
          },
        },
      },
    },
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: {
        type: spec.nodePort === undefined ? 'ClusterIP' : 'NodePort',
        selector,
        ports: [{ name: 'http', protocol: 'TCP', port: SERVICE_PORT, targetPort: spec.port, ...(spec.nodePort !== undefined && { nodePort: spec.nodePort }) }],
      },
    },
    ...(spec.minAvailable !== undefined && {
      podDisruptionBudget: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata, spec: { minAvailable: spec.minAvailable, selector: { matchLabels: selector } } },
    }),
    ...(spec.autoscale !== undefined && { horizontalPodAutoscaler: horizontalPodAutoscaler(spec.name, metadata, spec.autoscale) }),
  };
}

/**
 * At most one pod more on any node than on another (maxSkew 1 over kubernetes.io/hostname), as a
 * hard rule (DoNotSchedule): a soft one (ScheduleAnyway) is only a score among others and can put
 * every replica on one worker, so that failing it takes the whole system down. Hard does not strand
 * replacements: with nodeTaintsPolicy Honor a node carrying a taint the pods do not tolerate is no
 * spread domain — the control plane (NoSchedule), a cordoned worker (node.kubernetes.io/unschedulable)
 * and a NotReady or unreachable one (the node controller's NoSchedule taints; pods tolerate only the
 * NoExecute ones) — so the pods of a failed or drained worker go to the others. nodeAffinityPolicy
 * Honor (the default, written out) likewise leaves out nodes the pods could never run on.
 */
function spreadOverNodes(selector: Record<string, string>): V1TopologySpreadConstraint {
  return {
    maxSkew: 1,
    topologyKey: 'kubernetes.io/hostname',
    whenUnsatisfiable: 'DoNotSchedule',
    nodeTaintsPolicy: 'Honor',
    nodeAffinityPolicy: 'Honor',
    labelSelector: { matchLabels: selector },
  };
}

/**
 * Requests = limits, so the pod is in the Guaranteed QoS class (with both set) and gets exactly
 * what Docker's --cpus/--memory give a container: the CFS quota of the limit, and the request the
 * autoscaler's utilisation is a share of.
 */
function requestsEqualLimits(resources: NonNullable<DeploymentSpec['resources']>): V1ResourceRequirements {
  const amounts: Record<string, string> = {
    ...(resources.cpu !== undefined && { cpu: resources.cpu.text }),
    ...(resources.memory !== undefined && { memory: resources.memory.text }),
  };
  return { requests: amounts, limits: { ...amounts } };
}

/** autoscaling/v2 on the Deployment, on average CPU utilisation (a share of the CPU request). */
function horizontalPodAutoscaler(name: string, metadata: V1Service['metadata'], autoscale: NonNullable<DeploymentSpec['autoscale']>): V2HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: autoscale.min,
      maxReplicas: autoscale.max,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: autoscale.cpuPercent } } }],
    },
  };
}

/**
 * The DefaultTolerationSeconds admission plugin gives every pod 300 s for both taints: a pod on a
 * failed node is only evicted after that. The experiment's tolerationSeconds shortens (or lengthens) it.
 */
function nodeFailureTolerations(tolerationSeconds: number): V1Toleration[] {
  return NODE_FAILURE_TAINTS.map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds }));
}
