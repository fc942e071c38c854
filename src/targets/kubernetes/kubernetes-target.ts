import type { TimelineWriter } from '../../timeline/timeline.js';
import { FaultDispatch } from '../fault-dispatch.js';
import type { DeployedSystem, DeploymentSearch, DeploymentSpec, Discovery, FaultHandle, FaultUndo, InjectionRun, Observation, ObserveOptions, PlannedFault, Preparation, RollbackOutcome, Selector, Target } from '../target.js';
import { DEPLOY_LABEL, LOAD_LABEL } from '../../common/labels.js';
import { CommandKubeconfig } from './command-kubeconfig.js';
import type { RunningTraffic } from '../../probes/traffic.js';
import type { ClusterLoadUndo } from '../../faults/index.js';
import type { ClusterLoadRequest } from '../target.js';
import { deployWorkload, findWorkload, teardownWorkload } from './deploy/index.js';
import { discoverSystem } from './discover-system.js';
import { type InstanceFaultSettings, type KubernetesFaultContext, kubernetesFaults, type KubernetesUndoContext } from './faults/index.js';
import { KindNodes } from './kind/kind-nodes.js';
import { ClusterLoad, findLoadJobs, removeLoadJobs, undoLoadJob } from './load/index.js';
import type { KubeApi } from './kube-api.js';
import { kubeCall, withTimeout } from './kube-errors.js';
import { namespaceOf } from './namespace-of.js';
import { observePodResources } from './observe/resource-observer.js';
import { observeSystem } from './observe/observe-system.js';
import { labelSelectorOf } from './pod-facts.js';
import { replaceRestartedPods } from './replace-restarted-pods.js';

const CHECK_TIMEOUT_MS = 10_000;

/** The Kubernetes target: the API through client-node, kind nodes through Docker. */
export class KubernetesTarget implements Target {
  readonly kind = 'kubernetes' as const;
  private versionText: string | undefined;
  private readonly observations = new Set<Observation>();
  private readonly faults = new FaultDispatch<'kubernetes', KubernetesFaultContext, KubernetesUndoContext>('kubernetes', kubernetesFaults);
  private readonly commandKubeconfig: CommandKubeconfig;
  private readonly loads = new Set<RunningTraffic>();

  constructor(
    private readonly api: KubeApi,
    private readonly allowSystemNamespaces: boolean,
    private readonly instanceFaults: InstanceFaultSettings = { route: 'auto' },
    private readonly kindNodes: KindNodes = new KindNodes(),
  ) {
    this.commandKubeconfig = new CommandKubeconfig(api);
  }

  replaceRestarted(selector: Selector): Promise<string[]> {
    return replaceRestartedPods(this.api, namespaceOf(selector, this.allowSystemNamespaces), labelSelectorOf(selector.labels));
  }

  commandEnvironment(): Record<string, string> {
    return this.commandKubeconfig.environment();
  }

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

  async observe(selector: Selector, timeline: TimelineWriter, options: ObserveOptions): Promise<Observation> {
    const namespace = namespaceOf(selector, this.allowSystemNamespaces);
    const observation = await observeSystem(this.api, selector, namespace, timeline, options);
    const samples = options.resources && (await observePodResources(this.api, this.kindNodes, namespace, options.resources.subjects, timeline, options.resources.forMs));
    this.observations.add(observation);
    return {
      stop: async () => {
        this.observations.delete(observation);
        await Promise.all([observation.stop(), samples?.stop()]);
      },
    };
  }

  planUndo(fault: PlannedFault, selector: Selector): FaultUndo {
    return this.faults.planUndo(fault, this.faultContext(selector));
  }

  prepare(fault: PlannedFault, selector: Selector): Promise<Preparation | undefined> {
    return this.faults.prepare(fault, this.faultContext(selector));
  }

  inject(fault: PlannedFault, run: InjectionRun): Promise<FaultHandle> {
    return this.faults.inject(fault, this.faultContext(run.selector), run);
  }

  undo(undo: FaultUndo): Promise<RollbackOutcome> {
    return this.faults.undo(undo, { api: this.api, kindNodes: this.kindNodes });
  }

  private faultContext(selector: Selector): KubernetesFaultContext {
    return { api: this.api, kindNodes: this.kindNodes, namespace: namespaceOf(selector, this.allowSystemNamespaces), selector, instanceFaults: this.instanceFaults };
  }

  undoClusterLoad(undo: ClusterLoadUndo): Promise<RollbackOutcome> {
    return undoLoadJob(this.api, undo);  }

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
    return { found, lookedFor: `Deployment, Service, PodDisruptionBudget or HorizontalPodAutoscaler ${spec.name} labelled ${DEPLOY_LABEL}=${spec.name} in namespace ${namespace}` };
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
    this.commandKubeconfig.remove();
    this.loads.clear();
  }
}
