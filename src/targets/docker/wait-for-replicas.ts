import type Docker from 'dockerode';
import { pollUntil } from '../../common/poll-until.js';
import { formatDuration } from '../../common/duration.js';
import { EnvironmentError, InterruptedError } from '../../common/errors.js';
import { containerLogTail } from './container-log-tail.js';
import { instanceOf } from './container-facts.js';
import { engineStatus } from './docker-client.js';

const POLL_MS = 250;
const LOG_LINES = 5;

interface ReplicaState {
  name: string;
  ready: boolean;
  /** Nothing will make it ready by itself: waiting longer is pointless. */
  stuck: boolean;
  /** For the message: "exited (code 1), restart policy no". */
  state: string;
}

/**
 * Waits until every named container is running and healthy (running is enough without a health
 * check). Throws EnvironmentError naming the replicas that are not ready, with their state and the
 * last log lines of one of them, after timeoutMs, or at once when one of them cannot recover by
 * itself (gone, or exited under a policy that does not restart it). `what` starts the message.
 */
export async function waitForReplicas(docker: Docker, names: readonly string[], options: { timeoutMs: number; signal?: AbortSignal }, what: string): Promise<void> {
  throwIfInterrupted(options.signal, what);
  const result = await pollUntil({
    check: async () => (await Promise.all(names.map((name) => replicaState(docker, name)))).filter((state) => !state.ready),
    done: (waiting) => waiting.length === 0,
    hopeless: (waiting) => waiting.some((state) => state.stuck),
    timeoutMs: options.timeoutMs,
    intervalMs: POLL_MS,
    ...(options.signal && { signal: options.signal }),
  });
  if (result.status === 'done') return;
  throwIfInterrupted(options.signal, what);
  const waiting = result.last ?? [];
  const first = waiting.find((state) => state.stuck) ?? waiting[0]!;
  const logs = await containerLogTail(docker, first.name, LOG_LINES);
  const listed = waiting.map((state) => `${state.name} ${state.state}`).join('; ');
  throw new EnvironmentError(
    `${what}: ${waiting.length} of ${names.length} replicas not ready after ${formatDuration(result.waitedMs)}: ${listed}${logs.length > 0 ? `\n  last log lines of ${first.name}:\n    ${logs.join('\n    ')}` : ''}`,
    { hint: 'check that the image starts and passes its HEALTHCHECK on its own (docker run it by hand); a slow start needs a longer timeout' },
  );
}

async function replicaState(docker: Docker, name: string): Promise<ReplicaState> {
  let info: Docker.ContainerInspectInfo;
  try {
    info = await docker.getContainer(name).inspect();
  } catch (error) {
    if (engineStatus(error) === 404) return { name, ready: false, stuck: true, state: 'missing (removed by someone else)' };
    throw error;
  }
  const instance = instanceOf(info, '');
  const { State: state } = info;
  const policy = instance.restartPolicy ?? 'no';
  if (instance.ready) return { name, ready: true, stuck: false, state: 'ready' };
  if (state.Paused) return { name, ready: false, stuck: false, state: 'paused' };
  // A crash loop is mostly seen between restarts, running: the restart count tells it apart.
  const restarted = info.RestartCount > 0 ? ` (restarted ${info.RestartCount} times, last exit code ${state.ExitCode})` : '';
  if (state.Running) return { name, ready: false, stuck: false, state: `running${restarted}, health ${state.Health?.Status ?? 'unknown'}` };
  if (state.Restarting) return { name, ready: false, stuck: false, state: `restarting${restarted}` };
  // Docker restarts an exited container only under always / unless-stopped, or on-failure after a non-zero exit.
  const restarts = policy === 'always' || policy === 'unless-stopped' || (policy === 'on-failure' && state.ExitCode !== 0);
  return { name, ready: false, stuck: state.Dead || (state.Status === 'exited' && !restarts), state: `${state.Status} (exit code ${state.ExitCode}${state.Error ? `, ${state.Error}` : ''}), restart policy ${policy}` };
}

function throwIfInterrupted(signal: AbortSignal | undefined, what: string): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  if (typeof reason === 'string' && reason.startsWith('SIG')) throw new InterruptedError(reason as NodeJS.Signals);
  throw new EnvironmentError(`${what}: cancelled before every replica was ready`, { cause: reason });
}
