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

/** The engine's own words from a dockerode error ("No such image: x"), without dockerode's "(HTTP code 404) …" prefix. */
export function engineMessage(error: unknown): string {
  const json = (error as { json?: { message?: unknown } })?.json;
  return typeof json?.message === 'string' ? json.message : ((error as Error)?.message ?? String(error));
}

/** The HTTP status of a dockerode error (404 no such container/image, 409 conflict), if it has one. */
export function engineStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
