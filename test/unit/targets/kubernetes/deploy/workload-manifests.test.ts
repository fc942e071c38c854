import { describe, expect, it } from 'vitest';
import { workloadManifests } from '../../../../../src/targets/kubernetes/deploy/workload-manifests.js';
import type { DeploymentSpec } from '../../../../../src/targets/target.js';

const spec: DeploymentSpec = {
  name: 'web',
  labels: { app: 'web', 'rebound.dev/deploy': 'web', 'rebound.dev/chaos': 'enabled' },
  image: 'rebound/demo-app:v1',
  replicas: 3,
  port: 8080,
  healthPath: '/healthz',
  restartPolicy: 'always',
  env: { GREETING: 'hi', MODE: 'demo' },
  nodePort: 30080,
  minAvailable: 2,
};

describe('workloadManifests', () => {
  it('builds a Deployment selected by the deploy label only, pods carrying every label', () => {
    const { deployment } = workloadManifests(spec, 'rebound-compare');
    expect(deployment.metadata).toMatchObject({ name: 'web', namespace: 'rebound-compare' });
    expect(deployment.spec?.replicas).toBe(3);
    expect(deployment.spec?.selector).toEqual({ matchLabels: { 'rebound.dev/deploy': 'web' } });
    expect(deployment.spec?.template.metadata?.labels).toEqual(spec.labels);
  });

  it('adds the deploy label to the pods when the spec lacks it (the selector must match them)', () => {
    const { deployment } = workloadManifests({ ...spec, labels: { app: 'web' } }, 'ns');
    expect(deployment.spec?.template.metadata?.labels).toEqual({ app: 'web', 'rebound.dev/deploy': 'web' });
  });

  it('runs the image without pulling, probes readiness every second with a 2 s timeout, spreads over the nodes', () => {
    const pod = workloadManifests(spec, 'ns').deployment.spec?.template.spec;
    expect(pod?.terminationGracePeriodSeconds).toBe(5);
    expect(pod?.containers).toEqual([
      {
        name: 'web',
        image: 'rebound/demo-app:v1',
        imagePullPolicy: 'Never',
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        env: [
          { name: 'GREETING', value: 'hi' },
          { name: 'MODE', value: 'demo' },
        ],
        readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1, timeoutSeconds: 2, failureThreshold: 3 },
      },
    ]);
    expect(pod?.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'DoNotSchedule',
        nodeTaintsPolicy: 'Honor',
        nodeAffinityPolicy: 'Honor',
        labelSelector: { matchLabels: { 'rebound.dev/deploy': 'web' } },
      },
    ]);
    expect(pod?.tolerations).toBeUndefined();
    expect(pod?.containers[0]?.resources).toBeUndefined();
  });

  it('does not spread with spread: false', () => {
    expect(workloadManifests({ ...spec, spread: false }, 'ns').deployment.spec?.template.spec?.topologySpreadConstraints).toBeUndefined();
  });

  it('gives each container requests = limits from deploy.resources (Guaranteed QoS with both)', () => {
    const resources = { cpu: { text: '100m', millicores: 100 }, memory: { text: '64Mi', bytes: 64 * 2 ** 20 } };
    const container = workloadManifests({ ...spec, resources }, 'ns').deployment.spec?.template.spec?.containers[0];
    expect(container?.resources).toEqual({ requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '100m', memory: '64Mi' } });
    const cpuOnly = workloadManifests({ ...spec, resources: { cpu: resources.cpu } }, 'ns').deployment.spec?.template.spec?.containers[0];
    expect(cpuOnly?.resources).toEqual({ requests: { cpu: '100m' }, limits: { cpu: '100m' } });
  });

  it('adds an autoscaling/v2 HorizontalPodAutoscaler on the Deployment\'s CPU, labelled like the rest, only with autoscale', () => {
    expect(workloadManifests(spec, 'ns').horizontalPodAutoscaler).toBeUndefined();
    const { horizontalPodAutoscaler, service } = workloadManifests({ ...spec, autoscale: { min: 2, max: 6, cpuPercent: 50 } }, 'ns');
    expect(horizontalPodAutoscaler).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: service.metadata,
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 2,
        maxReplicas: 6,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      },
    });
    expect(horizontalPodAutoscaler?.metadata?.labels?.['rebound.dev/deploy']).toBe('web');
  });

  it('rolls updates one extra pod at a time, never below the wanted count, and reports a stall after 30 s (or the deploy\'s progressDeadlineSeconds)', () => {
    const deployment = workloadManifests(spec, 'ns').deployment.spec;
    expect(deployment?.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(deployment?.progressDeadlineSeconds).toBe(30);
    expect(workloadManifests({ ...spec, progressDeadlineSeconds: 6 }, 'ns').deployment.spec?.progressDeadlineSeconds).toBe(6);
    expect(deployment?.template.spec?.containers[0]?.lifecycle).toBeUndefined();
  });

  it('with preStopSleepSeconds, a terminating pod sleeps before SIGTERM, and the grace period grows by as much', () => {
    const pod = workloadManifests({ ...spec, preStopSleepSeconds: 3 }, 'ns').deployment.spec?.template.spec;
    expect(pod?.containers[0]?.lifecycle).toEqual({ preStop: { sleep: { seconds: 3 } } });
    expect(pod?.terminationGracePeriodSeconds).toBe(8);
  });

  it('tolerates a failed node for tolerationSeconds when given', () => {
    const pod = workloadManifests({ ...spec, tolerationSeconds: 10 }, 'ns').deployment.spec?.template.spec;
    expect(pod?.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 },
    ]);
  });

  it('publishes port 80 → the app port on the NodePort, or ClusterIP only without one', () => {
    const { service } = workloadManifests(spec, 'ns');
    expect(service.metadata).toMatchObject({ name: 'web', namespace: 'ns' });
    expect(service.spec).toEqual({
      type: 'NodePort',
      selector: { 'rebound.dev/deploy': 'web' },
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }],
    });
    const { nodePort: _, ...withoutNodePort } = spec;
    const clusterIp = workloadManifests(withoutNodePort, 'ns').service.spec;
    expect(clusterIp?.type).toBe('ClusterIP');
    expect(clusterIp?.ports?.[0]).not.toHaveProperty('nodePort');
  });

  it('adds a PodDisruptionBudget only with minAvailable', () => {
    expect(workloadManifests(spec, 'ns').podDisruptionBudget?.spec).toEqual({ minAvailable: 2, selector: { matchLabels: { 'rebound.dev/deploy': 'web' } } });
    const { minAvailable: _, ...withoutBudget } = spec;
    expect(workloadManifests(withoutBudget, 'ns').podDisruptionBudget).toBeUndefined();
  });

  it('labels the namespace, Service and PDB as the deployment\'s, without the opt-in label', () => {
    const manifests = workloadManifests(spec, 'ns');
    const owned = { app: 'web', 'rebound.dev/deploy': 'web' };
    expect(manifests.namespace.metadata).toEqual({ name: 'ns', labels: owned });
    expect(manifests.service.metadata?.labels).toEqual(owned);
    expect(manifests.podDisruptionBudget?.metadata?.labels).toEqual(owned);
  });
});
