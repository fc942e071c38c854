import Docker from 'dockerode';
import { EnvironmentError } from '../../common/errors.js';

/** One dockerode client per target, honouring DOCKER_HOST (dockerode reads it) unless told otherwise. */
export function createDockerClient(options: { socketPath?: string }): Docker {
  return options.socketPath ? new Docker({ socketPath: options.socketPath }) : new Docker();
}

export function engineUnreachable(cause: unknown): EnvironmentError {
  const where = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  return new EnvironmentError(`the Docker engine does not answer at ${where}: ${(cause as Error)?.message ?? String(cause)}`, {
    hint: 'start it (`bash scripts/ensure-docker.sh` installs and starts dockerd), or point DOCKER_HOST at a running engine',
    cause,
  });
}

/** Whether the engine runs on this machine, so its container PIDs are ours to signal. */
export function engineIsLocal(): boolean {
  const host = process.env.DOCKER_HOST;
  return host === undefined || host === '' || host.startsWith('unix://');
}
