/**
 * What a helper does, as bash scripts run in the target's namespaces and cgroups. This is the one
 * shape every network and resource fault fills in; the Docker helper container and the kind node
 * unit run it the same way (the driver, scripts/kind/fault-tools/rebound-fault, or systemd).
 */
export interface HelperScript {
  /** Makes the fault. Non-zero exit: `remove` runs and the helper reports failure. */
  apply: string;
  /** Undoes it. Idempotent: it also runs after a failed apply and again from `recover`. */
  remove: string;
  /** A long-running process the fault needs (a proxy, stress-ng), started before `apply`. */
  serve?: { command: string; ready: string };
  /** Run at a normal end before `serve` stops (let flows through a proxy finish). */
  drain?: string;
  /**
   * `apply` split for a helper armed ahead of its instant (a kind node unit): `prepare` runs while
   * arming, once `serve` is ready, and changes no traffic (e.g. the proxy and its toxics configured,
   * the redirect chain created but not jumped to); `fire` is all that is left for the instant.
   * `prepare` then `fire` does what `apply` does; a helper that does not split runs `apply`.
   */
  armed?: { prepare: string; fire: string };
}

export interface HelperTiming {
  /** How long the fault stays once applied; the helper removes it then, whatever happens to rebound. */
  durationMs: number;
  /** Start "armed": apply only on SIGUSR1, or exit untouched after this long. */
  armMs?: number;
}

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

/**
 * The driver's command line (argument array) for a script and its timing. `appliedFile`: the driver
 * creates it once applied (a kind node unit waits on it).
 */
export function driverCommand(script: HelperScript, timing: HelperTiming, options: { appliedFile?: string } = {}): string[] {
  return [
    'rebound-fault',
    '--duration', seconds(timing.durationMs),
    '--apply', script.apply,
    '--remove', script.remove,
    ...(timing.armMs !== undefined ? ['--arm', seconds(timing.armMs)] : []),
    ...(script.serve ? ['--serve', script.serve.command, '--ready', script.serve.ready] : []),
    ...(script.serve && script.drain ? ['--drain', script.drain] : []),
    ...(options.appliedFile !== undefined ? ['--applied-file', options.appliedFile] : []),
  ];
}

/** Several scripts as one: applied in order, removed in reverse order, every remove attempted. */
export function combineScripts(...scripts: HelperScript[]): HelperScript {
  const served = scripts.filter((script) => script.serve);
  if (served.length > 1) throw new Error('at most one of the combined helper scripts can have a long-running process');
  return {
    apply: scripts.map((script) => `( ${script.apply}\n) || exit 1`).join('\n'),
    remove: ['rc=0', ...scripts.toReversed().map((script) => `( ${script.remove}\n) || rc=1`), 'exit $rc'].join('\n'),
    ...(served[0]?.serve && { serve: served[0].serve }),
    ...(served[0]?.drain && { drain: served[0].drain }),
  };
}
