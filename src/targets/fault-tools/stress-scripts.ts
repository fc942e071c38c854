import { assertHelperId } from './helper-id.js';
import type { HelperScript } from './helper-script.js';
import { shellCommand } from './shell-quote.js';

// The resource faults' helper scripts, the same for a Docker helper container and a kind node unit:
// stress-ng as the driver's long-running process (--serve), so the driver stops it at the deadline
// (SIGTERM: stress-ng ends its workers) and `rebound-fault removed` means the stress is over.

/** Beyond the driver's deadline, stress-ng's own --timeout ends it anyway: a third switch after the driver and systemd. */
const STRESS_TIMEOUT_MARGIN_S = 5;

const seconds = (ms: number) => Math.ceil(ms / 1000) + STRESS_TIMEOUT_MARGIN_S;

/** stress-ng CPU workers: `workers` of them, each busy `load` percent of the time. */
export function cpuStressArgs(workers: number, load: number, durationMs: number): string[] {
  return ['stress-ng', '--cpu', String(workers), '--cpu-load', String(load), '--timeout', `${seconds(durationMs)}s`, '--quiet'];
}

/**
 * One stress-ng vm worker holding `bytes` (written once, then kept: --vm-keep rewrites the same
 * pages rather than unmapping them, so the usage stays put).
 */
export function memoryStressArgs(bytes: number, durationMs: number): string[] {
  return ['stress-ng', '--vm', '1', '--vm-bytes', String(Math.max(4096, Math.round(bytes))), '--vm-keep', '--timeout', `${seconds(durationMs)}s`, '--quiet'];
}

/**
 * A plain allocation past the memory limit: dd reads one block of limit + 64 MiB from /dev/zero,
 * which touches every page of its buffer. It ends by itself (count=1): killed at the limit, or
 * done if the limit was not reached.
 */
export function oomPushArgs(limitBytes: number): string[] {
  return ['dd', 'if=/dev/zero', 'of=/dev/null', `bs=${Math.round(limitBytes) + 64 * 1024 * 1024}`, 'count=1'];
}

/**
 * A helper script whose fault is a stress process: `join` (bash, e.g. joinCgroupsScript) runs first in
 * the process that then execs stress-ng, and a ready file says it got that far. The driver waits for
 * the file before it reports applied, and stops the process at the end.
 */
export function stressScript(id: string, stress: readonly string[], join?: string): HelperScript {
  const ready = `/tmp/rebound-stress-${assertHelperId(id)}.ready`;
  const body = [...(join ? [join] : []), `: > ${ready}`, `exec ${shellCommand(stress)}`].join('\n');
  return {
    apply: 'true',
    remove: `rm -f ${ready}`,
    serve: { command: shellCommand(['bash', '-c', body]), ready: `[ -e ${ready} ]` },
  };
}
