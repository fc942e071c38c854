import { sleep } from '../common/clock.js';
import type { Discovery, Selector, Target } from '../targets/target.js';

/**
 * Waits (bounded) until the selected instances are ready before a run starts, so each iteration
 * begins from a fresh steady state. Returns the last discovery, ready or not: the plan warns.
 */
export async function waitForSteadyState(
  target: Target,
  selector: Selector,
  desired: number | undefined,
  options: { timeoutMs: number; signal: AbortSignal },
): Promise<{ discovery: Discovery; steady: boolean; waitedMs: number }> {
  const started = performance.now();
  for (;;) {
    const discovery = await target.discover(selector);
    const want = desired ?? discovery.desired;
    const ready = discovery.instances.filter((instance) => instance.ready).length;
    const waitedMs = performance.now() - started;
    if ((ready >= want && want > 0) || waitedMs >= options.timeoutMs || options.signal.aborted) {
      return { discovery, steady: ready >= want && want > 0, waitedMs };
    }
    await sleep(250, options.signal);
  }
}
