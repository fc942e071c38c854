import type Docker from 'dockerode';
import { EnvironmentError } from '../../common/errors.js';
import { engineMessage, engineStatus } from './docker-client.js';

/** Which of the target's namespaces and cgroup a helper container shares. */
export interface HelperJoin {
  /** Its network namespace (`--network container:<id>`): iptables, tc, a proxy. */
  network?: boolean;
  /** Its PID namespace (`--pid container:<id>`): the target's main process is PID 1 there. */
  pid?: boolean;
  /** Its cgroup, as a child (`--cgroup-parent`): the target's CPU and memory limits cover the helper. */
  cgroup?: boolean;
}

export interface HelperTarget {
  containerId: string;
  name: string;
  hostConfig: Docker.HostConfig;
}

/** The running container a helper works on, or a clear error. */
export async function helperTarget(docker: Docker, target: string): Promise<HelperTarget> {
  let info: Docker.ContainerInspectInfo;
  try {
    info = await docker.getContainer(target).inspect();
  } catch (error) {
    if (engineStatus(error) === 404) throw new Error(`container ${target} does not exist: no helper can join it`, { cause: error });
    throw error;
  }
  // Docker: "cannot join network of a non running container".
  if (!info.State.Running || info.State.Paused) throw new Error(`container ${info.Name.replace(/^\//, '')} is ${info.State.Paused ? 'paused' : info.State.Status}: a helper joins only a running container`);
  return { containerId: info.Id, name: info.Name.replace(/^\//, ''), hostConfig: info.HostConfig };
}

// The engine's cgroup driver does not change while it runs: asked once per client.
const cgroupDrivers = new WeakMap<Docker, Promise<string>>();
function cgroupDriverOf(docker: Docker): Promise<string> {
  let driver = cgroupDrivers.get(docker);
  if (!driver) {
    driver = docker.info().then((info: { CgroupDriver?: string }) => info.CgroupDriver ?? 'cgroupfs');
    driver.catch(() => cgroupDrivers.delete(docker)); // a failed ask is asked again next time
    cgroupDrivers.set(docker, driver);
  }
  return driver;
}

/**
 * The helper's HostConfig. The cgroup is a child of the target's: with the cgroupfs driver (this
 * machine, Docker 20.10 on cgroup v1) a container's cgroup is <CgroupParent or /docker>/<id>, and
 * a child's usage counts against every ancestor's limit, so a stress helper in it is throttled and
 * OOM-killed by the target's own --cpus and --memory. The systemd driver takes only slices as
 * parents (a container's cgroup is a scope), so it is refused there.
 */
export async function helperHostConfig(docker: Docker, target: HelperTarget, join: HelperJoin, capabilities: readonly string[]): Promise<Docker.HostConfig> {
  const config: Docker.HostConfig = { AutoRemove: true, CapAdd: [...capabilities] };
  if (join.network) config.NetworkMode = `container:${target.containerId}`;
  if (join.pid) config.PidMode = `container:${target.containerId}`;
  if (join.cgroup) {
    const driver = await cgroupDriverOf(docker);
    if (driver !== 'cgroupfs') {
      throw new EnvironmentError(`the Docker engine uses the ${driver} cgroup driver: a helper cannot be put inside container ${target.name}'s cgroup`, {
        hint: 'resource faults need the cgroupfs driver ("exec-opts": ["native.cgroupdriver=cgroupfs"] in daemon.json)',
      });
    }
    config.CgroupParent = `${target.hostConfig.CgroupParent || '/docker'}/${target.containerId}`;
  }
  return config;
}

/** A missing helper image as an EnvironmentError (exit 3) that says how to build it. */
export function helperImageError(image: string, error: unknown): Error {
  if (engineStatus(error) === 404 && /no such image/i.test(engineMessage(error))) {
    return new EnvironmentError(`the helper image ${image} is not in the Docker engine`, {
      hint: 'build it with bash scripts/helper-images.sh (offline: Debian packages and the Go module proxy only)',
      cause: error,
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}
