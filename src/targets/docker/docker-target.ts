import { hostname } from 'node:os';
import type Docker from 'dockerode';
import { UsageError } from '../../common/errors.js';
import { faultCatalog, type FaultName } from '../../faults/catalog.js';
import type { TimelineWriter } from '../../timeline/timeline.js';
import type { DeployedSystem, DeploymentSearch, DeploymentSpec, Discovery, FaultHandle, Observation, PlannedFault, RollbackOutcome, Selector, Target, UndoRecord } from '../target.js';
import { deployContainers } from './deploy-containers.js';
import { discoverContainers } from './discover-containers.js';
import { createDockerClient, engineUnreachable } from './docker-client.js';
import { crashContainers } from './faults/crash-containers.js';
import { ensureRunning } from './faults/ensure-running.js';
import { killContainers } from './faults/kill-containers.js';
import { pauseContainers } from './faults/pause-containers.js';
import { removeContainers } from './faults/remove-containers.js';
import { scaleContainers } from './faults/scale-containers.js';
import { stopContainers } from './faults/stop-containers.js';
import { type ContainerObservation, observeContainers } from './observe-containers.js';
import { findDeployedContainers, removeDeployedContainers } from './remove-deployed-containers.js';

export class DockerTarget implements Target {
  readonly kind = 'docker' as const;
  private engineHost = hostname();
  /** Running observations: the scale fault tells them the new desired count. */
  private readonly observations = new Set<ContainerObservation>();

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

  async observe(selector: Selector, timeline: TimelineWriter, options: { desired: number }): Promise<Observation> {
    const observation = await observeContainers(this.docker, selector, this.engineHost, timeline, options.desired);
    this.observations.add(observation);
    return {
      stop: async () => {
        this.observations.delete(observation);
        await observation.stop();
      },
    };
  }

  async inject(fault: PlannedFault, selector: Selector): Promise<FaultHandle> {
    switch (fault.name as FaultName) {
      case 'crash':
        return crashContainers(this.docker, fault);
      case 'kill':
        return killContainers(this.docker, fault);
      case 'stop':
        return stopContainers(this.docker, fault, false);
      case 'restart':
        return stopContainers(this.docker, fault, true);
      case 'pause':
        return pauseContainers(this.docker, fault);
      case 'remove':
        return removeContainers(this.docker, fault);
      case 'fail-node': {
        // One Docker host: "failing" it stops its containers, which nothing restarts elsewhere.
        const discovery = await this.discover(selector);
        const handle = await stopContainers(this.docker, { ...fault, subjects: discovery.instances.filter((instance) => instance.running).map((instance) => instance.name), params: { timeout: 0 } }, false);
        return { ...handle, note: 'a stopped Docker host: its containers stay down until someone starts them (no other host takes over)' };
      }
      case 'scale': {
        const before = await this.discover(selector);
        const handle = await scaleContainers(this.docker, fault, before);
        // Docker keeps no desired count: what the fault asked for is the new one until its rollback,
        // so recovery time reads "until every new container is healthy".
        this.setDesired(Number(fault.params.replicas));
        return {
          ...handle,
          rollback: async () => {
            const outcome = await handle.rollback();
            this.setDesired(before.instances.length);
            return outcome;
          },
        };
      }
      default: {
        const support = faultCatalog[fault.name as FaultName]?.support.docker;
        throw new UsageError(`fault ${fault.name} is not supported on Docker${support && !support.supported ? `: ${support.reason}` : ''}`);
      }
    }
  }

  async undo(record: UndoRecord): Promise<RollbackOutcome> {
    switch (record.action) {
      case 'start':
      case 'unpause':
        return ensureRunning(this.docker, record.subjects);
      case 'scale': {
        const clones = (record.params?.removeClones as string[] | undefined) ?? [];
        for (const name of clones) await this.docker.getContainer(name).remove({ force: true }).catch(() => undefined);
        return { ok: true, action: clones.length > 0 ? `removed scale clones ${clones.join(', ')}` : 'nothing to scale back' };
      }
      case 'none':
        return { ok: true, action: 'nothing to undo' };
      default:
        return { ok: false, action: record.action, error: `rebound recover cannot ${record.action} ${record.subjects.join(', ')} on Docker: do it by hand` };
    }
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
