import type Docker from 'dockerode';
import { EnvironmentError } from '../../common/errors.js';
import { DEPLOY_LABEL } from '../../common/labels.js';
import type { DeploymentSpec } from '../target.js';
import { engineMessage, engineStatus } from './docker-client.js';

/** Replica i of a deploy is the container `<name>-i`. */
export function replicaName(spec: Pick<DeploymentSpec, 'name'>, index: number): string {
  return `${spec.name}-${index}`;
}

export function replicaNames(spec: Pick<DeploymentSpec, 'name' | 'replicas'>): string[] {
  return Array.from({ length: spec.replicas }, (_, index) => replicaName(spec, index));
}

/** Creates and starts replica `index`; the same configuration every time, so restore re-creates it identically. */
export async function createReplica(docker: Docker, spec: DeploymentSpec, index: number): Promise<void> {
  let container: Docker.Container;
  try {
    container = await docker.createContainer(replicaOptions(spec, index));
  } catch (error) {
    throw createFailed(error, spec, index);
  }
  try {
    await container.start();
  } catch (error) {
    throw createFailed(error, spec, index);
  }
}

function replicaOptions(spec: DeploymentSpec, index: number): Docker.ContainerCreateOptions {
  const name = replicaName(spec, index);
  const port = `${spec.port}/tcp`;
  // PORT first so that an explicit env.PORT wins; the demo app (and many others) listen on $PORT.
  const env = { PORT: String(spec.port), ...spec.env };
  return {
    name,
    // The container name as host name: the demo app answers "instance <hostname>", so a response
    // says which replica served it (Docker's default host name is the short container id).
    Hostname: name,
    Image: spec.image,
    Labels: { ...spec.labels, [DEPLOY_LABEL]: spec.name },
    Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
    ExposedPorts: { [port]: {} },
    HostConfig: {
      RestartPolicy: { Name: spec.restartPolicy },
      ...dockerResources(spec),
      // Loopback only, never 0.0.0.0: the system under test is not for the network to reach.
      ...(spec.hostPort !== undefined && { PortBindings: { [port]: [{ HostIp: '127.0.0.1', HostPort: String(spec.hostPort + index) }] } }),
    },
  };
}

/**
 * deploy.resources as `docker run --cpus/--memory` do it: NanoCpus (CFS quota per 100 ms period) and
 * Memory. MemorySwap = Memory: without it Docker lets the container swap as much again, and a
 * Kubernetes container never swaps, so the same limit would mean different things on the two targets.
 */
export function dockerResources(spec: Pick<DeploymentSpec, 'resources'>): Pick<Docker.HostConfig, 'NanoCpus' | 'Memory' | 'MemorySwap'> {
  const { cpu, memory } = spec.resources ?? {};
  return {
    ...(cpu !== undefined && { NanoCpus: cpu.millicores * 1_000_000 }),
    ...(memory !== undefined && { Memory: memory.bytes, MemorySwap: memory.bytes }),
  };
}

function createFailed(error: unknown, spec: DeploymentSpec, index: number): EnvironmentError {
  const name = replicaName(spec, index);
  const message = engineMessage(error);
  const status = engineStatus(error);
  if (status === 404 && /no such image/i.test(message)) {
    return new EnvironmentError(`cannot deploy ${name}: the image ${spec.image} is not on the Docker engine`, {
      hint: 'build or load it first (the demo app: bash scripts/build-demo-image.sh); rebound pulls nothing',
      cause: error,
    });
  }
  if (status === 409) {
    return new EnvironmentError(`cannot deploy ${name}: a container of that name exists and rebound did not deploy it (no label ${DEPLOY_LABEL}=${spec.name})`, {
      hint: `remove or rename that container (docker rm -f ${name}), or give the experiment another metadata.name`,
      cause: error,
    });
  }
  if (/port is already allocated|address already in use/i.test(message)) {
    return new EnvironmentError(`cannot start ${name}: 127.0.0.1:${(spec.hostPort ?? 0) + index} is already in use`, {
      hint: `choose another deploy.docker.hostPort (replica i uses hostPort + i, here ${spec.hostPort}-${(spec.hostPort ?? 0) + spec.replicas - 1})`,
      cause: error,
    });
  }
  return new EnvironmentError(`cannot deploy ${name} from ${spec.image}: ${message}`, { hint: 'the message is the Docker engine\'s own; fix what it names and run again', cause: error });
}
