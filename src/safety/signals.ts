// SIGINT, SIGTERM and SIGHUP stop the experiment and roll back every active fault before exiting.
// First signal: abort the run (rollback starts). Second: say we are rolling back. Third: exit now,
// leaving the journal for `rebound recover`.
const HANDLED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const FORCED_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

export interface SignalGuard {
  readonly signal: AbortSignal;
  /** The first signal received, if any. */
  readonly received: NodeJS.Signals | undefined;
  dispose(): void;
}

export function guardSignals(log: (line: string) => void, controller = new AbortController()): SignalGuard {
  let first: NodeJS.Signals | undefined;
  let count = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      first = signal;
      log(`${signal}: stopping load and probes, rolling back every active fault...`);
      controller.abort(signal);
    } else if (count === 2) {
      log('rolling back, press again to force (the journal keeps what is left for `rebound recover`)');
    } else {
      log('forced exit: run `rebound recover` to undo what is left');
      process.exit(FORCED_EXIT[first ?? signal] ?? 130);
    }
  };
  for (const name of HANDLED) process.on(name, onSignal);
  return {
    signal: controller.signal,
    get received() {
      return first;
    },
    dispose: () => HANDLED.forEach((name) => process.off(name, onSignal)),
  };
}
