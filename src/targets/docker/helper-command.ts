import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { FAULT_TOOLS_IMAGE, HELPER_LABEL, HELPER_TARGET_LABEL, NETNS_INVENTORY_SCRIPT, type NetnsInventory, newHelperId, parseNetnsInventory } from '../fault-tools/index.js';
import { type HelperJoin, helperHostConfig, helperImageError, helperTarget } from './helper-host-config.js';

export interface HelperCommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one command to its end in a short-lived fault-tools container in the target's namespaces
 * (labelled like every helper, removed when it exits): a read-only look, or a cleanup by `recover`.
 */
export async function runHelperCommand(
  docker: Docker,
  options: { target?: string; join: HelperJoin; command: string[]; capabilities?: string[]; image?: string; timeoutMs?: number },
): Promise<HelperCommandResult> {
  const image = options.image ?? FAULT_TOOLS_IMAGE;
  // Without a target the helper joins nothing: a throwaway namespace of its own (asking the kernel what it can do).
  const target = options.target === undefined ? undefined : await helperTarget(docker, options.target);
  const id = newHelperId();
  const capabilities = options.capabilities ?? (options.join.network ? ['NET_ADMIN'] : []);
  let container: Docker.Container;
  try {
    container = await docker.createContainer({
      name: `rebound-helper-${id}`,
      Image: image,
      Cmd: options.command,
      Labels: { [HELPER_LABEL]: id, ...(target && { [HELPER_TARGET_LABEL]: target.containerId }) },
      HostConfig: target ? await helperHostConfig(docker, target, options.join, capabilities) : { AutoRemove: true, CapAdd: capabilities },
    });
  } catch (error) {
    throw helperImageError(image, error);
  }
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  stdout.on('data', (chunk: Buffer) => chunks.stdout.push(chunk));
  stderr.on('data', (chunk: Buffer) => chunks.stderr.push(chunk));
  try {
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    docker.modem.demuxStream(stream, stdout, stderr);
    const removal = container.wait({ condition: 'removed' });
    await container.start();
    const timeoutMs = options.timeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      removal,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`helper command ${options.command.join(' ').slice(0, 80)} in ${target?.name ?? 'its own namespace'} did not end within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    // The attach stream ends a moment after the container: let the last chunks arrive.
    await new Promise((resolve) => setImmediate(resolve));
    return { exitCode: (result as { StatusCode?: number }).StatusCode ?? -1, stdout: Buffer.concat(chunks.stdout).toString('utf8'), stderr: Buffer.concat(chunks.stderr).toString('utf8') };
  } finally {
    await container.remove({ force: true }).catch(() => undefined); // AutoRemove usually got there first
  }
}

/** What is in a container's network namespace (rebound's chains and qdiscs, foreign ones), read-only. */
export async function inspectContainerNetns(docker: Docker, target: string): Promise<NetnsInventory> {
  const result = await runHelperCommand(docker, { target, join: { network: true }, command: ['bash', '-c', NETNS_INVENTORY_SCRIPT] });
  if (result.exitCode !== 0) throw new Error(`the namespace inventory of ${target} failed (exit ${result.exitCode}): ${result.stderr.trim()}`);
  return parseNetnsInventory(result.stdout);
}
