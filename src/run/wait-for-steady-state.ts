import { pollUntil } from '../common/poll-until.js';
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
  const steady = (discovery: Discovery) => {
    const want = desired ?? discovery.desired;
    return want > 0 && discovery.instances.filter((instance) => instance.ready).length >= want;
  };
  const result = await pollUntil({ check: () => target.discover(selector), done: steady, timeoutMs: options.timeoutMs, intervalMs: 250, signal: options.signal });
  const discovery = result.status === 'done' ? result.value : result.last!;
  return { discovery, steady: result.status === 'done', waitedMs: result.waitedMs };
}
