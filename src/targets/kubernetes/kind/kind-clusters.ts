import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { execa } from 'execa';
import { EnvironmentError, errorMessage } from '../../../common/errors.js';
import { findKind } from './find-kind.js';
import { kindConfig } from './kind-config.js';

// kind's life cycle through its CLI (execa, argument arrays, never a shell).

export interface CreateClusterOptions {
  name: string;
  /** Total nodes (1 control plane + workers); ignored when `config` is given. */
  nodes: number;
  image?: string;
  /** A kind config file of your own. */
  config?: string;
  kubeconfig?: string;
  /** e.g. "120s": wait for the nodes to be Ready. */
  wait: string;
}

/** Docker answers, or EnvironmentError: kind runs every node as a Docker container. */
export async function requireDocker(docker: Docker = new Docker()): Promise<void> {
  try {
    await docker.ping();
  } catch (error) {
    throw new EnvironmentError(`the Docker engine does not answer (${errorMessage(error)}): kind runs its nodes as Docker containers`, {
      hint: 'start Docker (bash scripts/ensure-docker.sh here), or set DOCKER_HOST',
      cause: error,
    });
  }
}

export async function imagePresent(image: string, docker: Docker = new Docker()): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

async function kind(args: string[], options: { inherit?: boolean } = {}): Promise<string> {
  const bin = findKind();
  try {
    const result = await execa(bin, args, { stdio: options.inherit ? ['ignore', 'inherit', 'inherit'] : 'pipe', timeout: 15 * 60_000 });
    return typeof result.stdout === 'string' ? result.stdout : '';
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    const detail = typeof stderr === 'string' && stderr.trim() ? stderr.trim().split('\n').slice(-5).join('\n') : errorMessage(error);
    throw new EnvironmentError(`kind ${args.join(' ')} failed:\n${detail}`, { hint: 'see kind\'s message above; `kind export logs` collects node logs', cause: error });
  }
}

export async function createCluster(options: CreateClusterOptions): Promise<void> {
  await requireDocker();
  let config = options.config;
  if (config === undefined) {
    config = join(mkdtempSync(join(tmpdir(), 'rebound-kind-')), 'cluster.yaml');
    writeFileSync(config, kindConfig({ nodes: options.nodes, cgroupV1: !existsSync('/sys/fs/cgroup/cgroup.controllers') }));
  }
  await kind(
    [
      'create', 'cluster', '--name', options.name, '--config', config, '--wait', options.wait,
      ...(options.image ? ['--image', options.image] : []),
      ...(options.kubeconfig ? ['--kubeconfig', options.kubeconfig] : []),
    ],
    { inherit: true },
  );
}

export async function deleteCluster(name: string, kubeconfig?: string): Promise<void> {
  await kind(['delete', 'cluster', '--name', name, ...(kubeconfig ? ['--kubeconfig', kubeconfig] : [])], { inherit: true });
}

export async function listClusters(): Promise<string[]> {
  const output = await kind(['get', 'clusters']);
  // kind prints "No kind clusters found." on stderr and nothing on stdout when there are none.
  return output.split('\n').map((line) => line.trim()).filter(Boolean);
}

/** Copies local images into every node (there is no registry to pull from). */
export async function loadImages(name: string, images: readonly string[]): Promise<void> {
  await requireDocker();
  for (const image of images) {
    if (!(await imagePresent(image))) throw new EnvironmentError(`image ${image} is not in the local Docker engine`, { hint: `build or pull ${image} first` });
  }
  await kind(['load', 'docker-image', ...images, '--name', name], { inherit: true });
}

/** The cluster's kubeconfig (as text), or written into `file` (merged, as kind does). */
export async function clusterKubeconfig(name: string, file?: string): Promise<string> {
  if (file === undefined) return kind(['get', 'kubeconfig', '--name', name]);
  await kind(['export', 'kubeconfig', '--name', name, '--kubeconfig', file]);
  return '';
}
