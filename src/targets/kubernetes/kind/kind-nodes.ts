import Docker from 'dockerode';
import { execa } from 'execa';
import { EnvironmentError, errorMessage } from '../../../common/errors.js';

/** kind's own labels on its node containers (kind/pkg/cluster/constants). */
export const KIND_CLUSTER_LABEL = 'io.x-k8s.kind.cluster';
export const KIND_ROLE_LABEL = 'io.x-k8s.kind.role';

export interface KindNode {
  /** The node's name, which kind also gives its container. */
  name: string;
  containerId: string;
  cluster: string;
  role: string;
  /** Docker's state: running, paused, exited, ... */
  state: string;
}

const EXEC_TIMEOUT_MS = 15_000;

/**
 * The kind nodes of this machine's Docker engine: a Kubernetes node is a kind node when a container
 * of the same name carries kind's cluster label. crash and fail-node reach nodes only this way.
 */
export class KindNodes {
  constructor(private readonly docker: Docker = new Docker()) {}

  /** The kind node container behind a node, or why there is none. */
  async find(nodeName: string): Promise<KindNode | { missing: string }> {
    let info: Docker.ContainerInspectInfo;
    try {
      info = await this.docker.getContainer(nodeName).inspect();
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 404) return { missing: `no container named ${nodeName} on this machine's Docker engine` };
      return { missing: `the Docker engine does not answer (${errorMessage(error)})` };
    }
    const cluster = info.Config.Labels?.[KIND_CLUSTER_LABEL];
    if (cluster === undefined) return { missing: `container ${nodeName} is not a kind node (no ${KIND_CLUSTER_LABEL} label)` };
    return { name: nodeName, containerId: info.Id, cluster, role: info.Config.Labels?.[KIND_ROLE_LABEL] ?? 'unknown', state: info.State.Status };
  }

  /** The kind node, or EnvironmentError (exit 3) saying `what` needs node access. */
  async require(nodeName: string, what: string): Promise<KindNode> {
    const found = await this.find(nodeName);
    if ('missing' in found) {
      throw new EnvironmentError(`${what} needs node access, and node ${nodeName} is not a kind node container on this machine: ${found.missing}`, {
        hint: 'fail-node works on kind clusters running on this Docker engine; crash also through an ephemeral container (kubernetes.instanceFaults: auto or ephemeral); on other clusters use kill or drain-node',
      });
    }
    return found;
  }

  /** Runs a command inside the node container (`docker exec`, argument array, no shell); returns stdout. */
  async exec(node: KindNode, args: string[]): Promise<string> {
    try {
      const result = await execa('docker', ['exec', node.containerId, ...args], { timeout: EXEC_TIMEOUT_MS });
      return result.stdout;
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') {
        throw new EnvironmentError('the docker command is not installed: rebound needs it to reach kind nodes', { hint: 'install the Docker CLI (PATH)', cause: error });
      }
      const stderr = (error as { stderr?: string }).stderr?.trim();
      throw new Error(`docker exec ${node.name} ${args.join(' ')} failed: ${stderr || errorMessage(error)}`, { cause: error });
    }
  }

  /**
   * Runs a bash script inside the node container, sent on stdin (`docker exec -i <node> bash -s`):
   * one round trip for a script of any length, no quoting through docker's command line.
   */
  async execScript(node: KindNode, script: string, options: { timeoutMs?: number } = {}): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    try {
      const result = await execa('docker', ['exec', '-i', node.containerId, 'bash', '-s'], { input: script, timeout: options.timeoutMs ?? EXEC_TIMEOUT_MS, reject: false });
      if (result.timedOut) throw new Error(`a script in node ${node.name} did not end within ${options.timeoutMs ?? EXEC_TIMEOUT_MS} ms`);
      if ((result as { code?: string }).code === 'ENOENT') {
        throw new EnvironmentError('the docker command is not installed: rebound needs it to reach kind nodes', { hint: 'install the Docker CLI (PATH)' });
      }
      return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
    } catch (error) {
      if (error instanceof EnvironmentError) throw error;
      throw new Error(`docker exec -i ${node.name} bash -s failed: ${errorMessage(error)}`, { cause: error });
    }
  }

  container(node: KindNode): Docker.Container {
    return this.docker.getContainer(node.containerId);
  }
}
