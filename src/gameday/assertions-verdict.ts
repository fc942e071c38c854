import type { RunResult } from '../run/run-result.js';
import type { AssertionsVerdict } from './game-day-report.js';

/**
 * What a step's expected signals (its experiment's assertions) say about its hypothesis, from its
 * runs: held when every assertion of every run passed, not held when one failed or a guard aborted
 * the run; a run stopped or broken before its end is not judged.
 */
export function assertionsVerdict(runs: readonly RunResult[], kind: 'experiment' | 'check'): { verdict: AssertionsVerdict; text: string } {
  if (kind === 'check') return { verdict: 'none', text: 'a manual check: only the team judges it' };
  if (runs.length === 0) return { verdict: 'not-judged', text: 'did not run' };
  const unjudged = runs.find((run) => run.outcome === 'interrupted' || run.outcome === 'error');
  if (unjudged) return { verdict: 'not-judged', text: `not judged: ${unjudged.reason ?? unjudged.outcome}` };
  const aborted = runs.find((run) => run.outcome === 'aborted');
  if (aborted) return { verdict: 'not-held', text: aborted.reason ?? 'aborted by a guard' };
  const verdicts = runs.flatMap((run) => run.verdicts);
  if (verdicts.length === 0) return { verdict: 'none', text: 'no assertions: only the team judges it' };
  const failed = verdicts.filter((verdict) => !verdict.passed);
  if (failed.length === 0) return { verdict: 'held', text: `${verdicts.length}/${verdicts.length} assertion${verdicts.length === 1 ? '' : 's'} passed` };
  return { verdict: 'not-held', text: `${failed.length} of ${verdicts.length} failed: ${failed.map((verdict) => `${verdict.name} (${verdict.explanation})`).join('; ')}` };
}
