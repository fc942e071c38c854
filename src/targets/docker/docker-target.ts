import { hostname } from 'node:os';
import type Docker from 'dockerode';
import type { TimelineWriter } from '../../timeline/timeline.js';
import { FaultDispatch } from '../fault-dispatch.js';
import type { DeployedSystem, DeploymentSearch, DeploymentSpec, Discovery, FaultHandle, FaultUndo, InjectionRun, Observation, ObserveOptions, PlannedFault, Preparation, RollbackOutcome, Selector, Target } from '../target.js';
import { deployContainers } from './deploy-containers.js';
import { discoverContainers } from './discover-containers.js';
import { createDockerClient, engineUnreachable } from './docker-client.js';
import { dockerFaults, type DockerFaultContext, type DockerUndoContext, type LiveHelper } from './faults/index.js';
import { type ContainerObservation, observeContainers } from './observe-containers.js';
import { findDeployedContainers, removeDeployedContainers } from './remove-deployed-containers.js';
import { sampleContainerResources } from './sample-container-resources.js';

export class DockerTarget implements Target {
  readonly kind = 'docker' as const;
  private engineHost = hostname();
  /** Running observations: the scale fault tells them the new desired count. */
  private readonly observations = new Set<ContainerObservation>();
  private readonly faults = new FaultDispatch<'docker', DockerFaultContext, DockerUndoContext>('docker', dockerFaults);
  /** Network faults' helper containers in effect: the rollback stops them (SIGTERM) instead of looking for them. */
  private readonly liveHelpers = new Map<string, LiveHelper>();

  constructor(private readonly docker: Docker) {}

  async check(): Promise<void> {
    try {
      const info = (await this.docker.info()) as { Name?: string };
      if (info.Name) this.engineHost = info.Name;
    } catch (error) {
      throw engineUnreachable(error);
    }
  }

  async describe(): Promise<string> {
    const version = await this.docker.version().catch(() => undefined);
    return `Docker ${version?.Version ?? '?'} (${process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock'})`;
  }

  discover(selector: Selector): Promise<Discovery> {
    return discoverContainers(this.docker, selector, this.engineHost);
  }

  async observe(selector: Selector, timeline: TimelineWriter, options: ObserveOptions): Promise<Observation> {
    const observation = await observeContainers(this.docker, selector, this.engineHost, timeline, options.desired);
    const samples = options.resources && sampleContainerResources(this.docker, options.resources.subjects, timeline, options.resources.forMs);
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
    return this.faults.undo(undo, this.undoContext());
  }

  private faultContext(selector: Selector): DockerFaultContext {
    return { ...this.undoContext(), selector, discover: () => this.discover(selector) };
  }

  private undoContext(): DockerUndoContext {
    return { docker: this.docker, setDesired: (count) => this.setDesired(count), liveHelpers: this.liveHelpers };
  }

  deploy(spec: DeploymentSpec, options: { timeoutMs: number; signal?: AbortSignal }): Promise<DeployedSystem> {
    return deployContainers(this.docker, spec, options);
  }

  /** Docker has no namespaces: the deploy label alone says what is whose. */
  findDeployment(spec: Pick<DeploymentSpec, 'name' | 'namespace'>): Promise<DeploymentSearch> {
    return findDeployedContainers(this.docker, spec.name);
  }

  removeDeployment(spec: Pick<DeploymentSpec, 'name' | 'namespace'>): Promise<RollbackOutcome> {
    return removeDeployedContainers(this.docker, spec.name);
  }

  private setDesired(count: number): void {
    for (const observation of this.observations) observation.setDesired(count);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.observations].map((observation) => observation.stop()));
    this.observations.clear();
  }
}

export function createDockerTarget(options: { socketPath?: string } = {}): DockerTarget {
  return new DockerTarget(createDockerClient(options));
}
