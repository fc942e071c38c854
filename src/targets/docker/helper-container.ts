import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { type DriverEvent, driverCommand, FAULT_TOOLS_IMAGE, HELPER_LABEL, HELPER_TARGET_LABEL, type HelperScript, type HelperTiming, lineSplitter, newHelperId, parseDriverLine, assertHelperId } from '../fault-tools/index.js';
import { engineStatus } from './docker-client.js';
import { type HelperJoin, helperHostConfig, helperImageError, helperTarget } from './helper-host-config.js';

export interface HelperContainerOptions {
  /** The container (id or name) whose namespaces / cgroup the helper joins. */
  target: string;
  join: HelperJoin;
  script: HelperScript;
  timing: HelperTiming;
  /** Default: a fresh random id. Names the helper container (rebound-helper-<id>) and its iptables chain. */
  id?: string;
  /** Default NET_ADMIN when the helper joins the network namespace. */
  capabilities?: string[];
  /** Extra labels (e.g. the run's id), beside rebound.dev/helper and rebound.dev/helper-target. */
  labels?: Record<string, string>;
  image?: string;
  /** How long starting may take until "applied" (or "armed"); default 30 s. */
  startTimeoutMs?: number;
}

export interface HelperExit {
  /** The container's exit code (the driver's: 0 removed, 2 apply failed, 3 expired unarmed). */
  exitCode: number;
  /** Whether the driver reported the fault removed. */
  removed: boolean;
  failure?: string;
}

type Waited = 'armed' | 'applied' | 'removed';

/**
 * A helper container running the driver (scripts/kind/fault-tools/rebound-fault) in a target's
 * namespaces: it applies the script, keeps it for the duration and removes it, on its own — a
 * `kill -9` of rebound leaves at most the rest of the duration. `stop()` ends it early with
 * SIGTERM (the driver removes, then exits) and is safe to call twice. Only SIGKILL of the helper
 * skips the removal, and since it shares the target's namespace the rules would then stay: rebound
 * never SIGKILLs a helper, and listHelperContainers + the namespace inventory find what is left.
 */
export class HelperContainer {
  readonly events: DriverEvent[] = [];
  /** The helper's output lines (stdout and stderr), the last 200. */
  readonly output: string[] = [];
  readonly exited: Promise<HelperExit>;
  private readonly waiters: { event: Waited; resolve: () => void; reject: (error: Error) => void }[] = [];
  private done: HelperExit | undefined;
  private stopping: Promise<HelperExit> | undefined;

  constructor(
    readonly id: string,
    readonly containerId: string,
    readonly target: string,
    private readonly container: Docker.Container,
    waitForRemoval: Promise<{ StatusCode?: number }>,
  ) {
    this.exited = waitForRemoval.then(
      (result) => this.finish(result.StatusCode ?? -1),
      (error: unknown) => this.finish(engineStatus(error) === 404 ? -1 : -2, String(error)),
    );
  }

  /** Feeds one output line (the attach stream calls this). */
  line(text: string): void {
    this.output.push(text);
    if (this.output.length > 200) this.output.shift();
    const event = parseDriverLine(text);
    if (!event) return;
    this.events.push(event);
    for (const waiter of [...this.waiters]) {
      if (event.event === waiter.event) this.settle(waiter, undefined);
      else if (event.event === 'failed' || event.event === 'expired') this.settle(waiter, this.failure(`the helper reported ${event.event === 'failed' ? `failure: ${event.reason}` : 'that it expired unarmed'}`));
    }
  }

  /** Resolves when the driver prints `event`; rejects if it fails, exits first, or after timeoutMs. */
  waitFor(event: Waited, timeoutMs: number): Promise<void> {
    if (this.events.some((seen) => seen.event === event)) return Promise.resolve();
    if (this.done) return Promise.reject(this.failure(`the helper exited (code ${this.done.exitCode}) before "${event}"`));
    return new Promise((resolve, reject) => {
      const waiter = { event, resolve, reject };
      this.waiters.push(waiter);
      setTimeout(() => this.settle(waiter, this.failure(`no "${event}" from the helper within ${timeoutMs} ms`)), timeoutMs).unref();
    });
  }

  /** Applies an armed helper (SIGUSR1); resolves once applied. */
  async fire(timeoutMs = 10_000): Promise<void> {
    await this.container.kill({ signal: 'SIGUSR1' });
    await this.waitFor('applied', timeoutMs);
  }

  /** Ends the fault now: SIGTERM, the driver removes it and exits. Safe to call twice. */
  stop(): Promise<HelperExit> {
    this.stopping ??= (async () => {
      if (!this.done) {
        try {
          await this.container.stop({ t: 15 });
        } catch (error) {
          // 304: already stopped; 404: already gone (AutoRemove) — both mean it ended by itself.
          if (engineStatus(error) !== 304 && engineStatus(error) !== 404) throw error;
        }
      }
      return this.exited;
    })();
    return this.stopping;
  }

  private finish(exitCode: number, error?: string): HelperExit {
    const failed = this.events.find((event) => event.event === 'failed');
    this.done = {
      exitCode,
      removed: this.events.some((event) => event.event === 'removed'),
      ...((failed || error) && { failure: failed?.event === 'failed' ? failed.reason : error }),
    };
    for (const waiter of [...this.waiters]) this.settle(waiter, this.failure(`the helper exited (code ${exitCode})`));
    return this.done;
  }

  private settle(waiter: (typeof this.waiters)[number], error: Error | undefined): void {
    const index = this.waiters.indexOf(waiter);
    if (index < 0) return;
    this.waiters.splice(index, 1);
    if (error) waiter.reject(error);
    else waiter.resolve();
  }

  private failure(what: string): Error {
    const tail = this.output.slice(-15).map((line) => `    ${line}`).join('\n');
    return new Error(`helper ${this.id} on ${this.target}: ${what}${tail ? `; its output:\n${tail}` : ''}`);
  }
}

/**
 * Starts a helper container in the target's namespaces and waits until it has applied the script
 * (or, with timing.armMs, until it is armed: then `fire()` applies). A failed apply rejects, after
 * the driver has run `remove` and exited.
 */
export async function startHelperContainer(docker: Docker, options: HelperContainerOptions): Promise<HelperContainer> {
  const id = assertHelperId(options.id ?? newHelperId());
  const image = options.image ?? FAULT_TOOLS_IMAGE;
  const target = await helperTarget(docker, options.target);
  const capabilities = options.capabilities ?? (options.join.network ? ['NET_ADMIN'] : []);
  let container: Docker.Container;
  try {
    container = await docker.createContainer({
      name: `rebound-helper-${id}`,
      Image: image,
      Cmd: driverCommand(options.script, options.timing),
      Labels: { ...options.labels, [HELPER_LABEL]: id, [HELPER_TARGET_LABEL]: target.containerId },
      AttachStdout: true,
      AttachStderr: true,
      HostConfig: await helperHostConfig(docker, target, options.join, capabilities),
    });
  } catch (error) {
    throw helperImageError(image, error);
  }
  try {
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const removal = container.wait({ condition: 'removed' });
    const helper = new HelperContainer(id, container.id, target.name, container, removal);
    // One line splitter per stream: a stderr frame between two halves of a stdout line must not split it.
    const out = new PassThrough();
    const err = new PassThrough();
    docker.modem.demuxStream(stream, out, err);
    out.setEncoding('utf8').on('data', lineSplitter((line) => helper.line(line)));
    err.setEncoding('utf8').on('data', lineSplitter((line) => helper.line(line)));
    await container.start();
    const timeoutMs = options.startTimeoutMs ?? 30_000;
    try {
      await helper.waitFor(options.timing.armMs !== undefined ? 'armed' : 'applied', timeoutMs);
    } catch (error) {
      await helper.stop().catch(() => undefined); // the driver removes what it applied; the original error says why
      throw error;
    }
    return helper;
  } catch (error) {
    await container.remove({ force: true }).catch(() => undefined); // not started or already gone: nothing else to undo
    throw error;
  }
}
