import type { TimelineWriter } from '../../timeline/timeline.js';
import type { RunningTraffic } from '../../probes/traffic.js';
import type { ClusterLoadRequest, DeployedSystem, DeploymentSearch, DeploymentSpec, Discovery, FaultHandle, Observation, PlannedFault, RollbackOutcome, Selector, Target, UndoRecord } from '../target.js';
import { DEPLOY_LABEL, LOAD_LABEL } from '../../common/labels.js';
import { deployWorkload, findWorkload, teardownWorkload } from './deploy/index.js';
import { discoverSystem } from './discover-system.js';
import { kubernetesFaults, undoRecord } from './faults/index.js';
import { KindNodes } from './kind/kind-nodes.js';
import { ClusterLoad, DELETE_LOAD_JOB, findLoadJobs, removeLoadJobs, undoLoadJob } from './load/index.js';
import type { KubeApi } from './kube-api.js';
import { kubeCall, withTimeout } from './kube-errors.js';
import { namespaceOf } from './namespace-of.js';
import { observeSystem } from './observe/observe-system.js';

const CHECK_TIMEOUT_MS = 10_000;

/** The Kubernetes target: the API through client-node, kind nodes through Docker. */
export class KubernetesTarget implements Target {
  readonly kind = 'kubernetes' as const;
  private versionText: string | undefined;
  private readonly observations = new Set<Observation>();
  private readonly loads = new Set<RunningTraffic>();

  constructor(
    private readonly api: KubeApi,
    private readonly allowSystemNamespaces: boolean,
    private readonly kindNodes: KindNodes = new KindNodes(),
  ) {}

  async describe(): Promise<string> {
    if (this.versionText === undefined) await this.check();
    return `Kubernetes ${this.versionText ?? '?'} (context ${this.api.context}, ${this.api.server})`;
  }

  async check(): Promise<void> {
    const version = await kubeCall('asking for its version', this.api.server, () => withTimeout(this.api.version.getCode(), CHECK_TIMEOUT_MS, `GET ${this.api.server}/version`));
    this.versionText = version.gitVersion;
  }

  async discover(selector: Selector): Promise<Discovery> {
    return discoverSystem(this.api, selector, namespaceOf(selector, this.allowSystemNamespaces));
  }

  async observe(selector: Selector, timeline: TimelineWriter, options: { desired: number }): Promise<Observation> {
    const observation = await observeSystem(this.api, selector, namespaceOf(selector, this.allowSystemNamespaces), timeline, options);
    this.observations.add(observation);
    return {
      stop: async () => {
        this.observations.delete(observation);
        await observation.stop();
      },
    };
  }

  async inject(fault: PlannedFault, selector: Selector, timeline: TimelineWriter, options: { signal?: AbortSignal } = {}): Promise<FaultHandle> {
    const inject = kubernetesFaults[fault.name as keyof typeof kubernetesFaults];
    if (inject === undefined) throw new Error(`unknown fault ${fault.name}`);
    const namespace = namespaceOf(selector, this.allowSystemNamespaces);
    return inject(fault, { api: this.api, kindNodes: this.kindNodes, namespace, selector, timeline, ...(options.signal && { signal: options.signal }) });
  }

  async undo(record: UndoRecord): Promise<RollbackOutcome> {
    // A cluster load's Job is journalled like a fault, so recover removes what a dead run left running.
    if (record.action === DELETE_LOAD_JOB) return undoLoadJob(this.api, record);
    return undoRecord(record, this.api, this.kindNodes);
  }

  startClusterLoad(request: ClusterLoadRequest, timeline: TimelineWriter): RunningTraffic {
    namespaceOf(request.selector, this.allowSystemNamespaces);
    const load = new ClusterLoad(this.api, request, timeline).start();
    this.loads.add(load);
    return {
      stop: async () => {
        await load.stop();
        this.loads.delete(load);
      },
    };
  }

  async deploy(spec: DeploymentSpec, options: { timeoutMs: number; signal?: AbortSignal }): Promise<DeployedSystem> {
    return deployWorkload(this.api, spec, this.deployNamespace(spec), options);
  }

  async findDeployment(spec: Pick<DeploymentSpec, 'name' | 'namespace'>): Promise<DeploymentSearch> {
    const namespace = this.deployNamespace(spec);
    // A cluster load Job of the same experiment left by a killed run goes with the deploy.
    const loads = await findLoadJobs(this.api, { namespace, labelSelector: `${LOAD_LABEL}=${spec.name}` });
    const found = [...loads, ...(await findWorkload(this.api, { name: spec.name, namespace }))];
    return { found, lookedFor: `Deployment, Service or PodDisruptionBudget ${spec.name} labelled ${DEPLOY_LABEL}=${spec.name} in namespace ${namespace}` };
  }

  async removeDeployment(spec: Pick<DeploymentSpec, 'name' | 'namespace'>): Promise<RollbackOutcome> {
    const namespace = this.deployNamespace(spec);
    const loads = await removeLoadJobs(this.api, { namespace, labelSelector: `${LOAD_LABEL}=${spec.name}` });
    // The namespace goes too when a deploy of this name created it (it carries rebound.dev/deploy=<name>).
    const workload = await teardownWorkload(this.api, { name: spec.name, namespace }, { deleteNamespace: true });
    if (!loads.ok) return { ok: false, action: `${loads.action}; ${workload.action}`, error: [loads.error, workload.error].filter(Boolean).join('; ') };
    return loads.action.startsWith('no load Job') ? workload : { ...workload, action: `${loads.action}; ${workload.action}` };
  }

  /** The spec's namespace (default: default), through the same system-namespace guard as experiments. */
  private deployNamespace(spec: Pick<DeploymentSpec, 'namespace'>): string {
    return namespaceOf({ labels: {}, ...(spec.namespace !== undefined && { namespace: spec.namespace }) }, this.allowSystemNamespaces);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.loads, ...this.observations].map((running) => running.stop()));
    this.observations.clear();
    this.loads.clear();
  }
}
