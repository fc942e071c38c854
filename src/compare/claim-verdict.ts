import type { ClaimSpec } from '../experiments/schema.js';
import type { TargetKind } from '../targets/target.js';
import type { ClaimVerdict, TargetSide } from './compare-report.js';

/**
 * A claim predicts, per target, whether the experiment's assertions pass or fail. Confirmed: every
 * iteration on every predicted target did as predicted. Contradicted: on some target most
 * iterations did the opposite. Mixed: anything between (a flaky or borderline measure).
 * Interrupted or errored runs are not evidence either way.
 */
export function claimVerdict(claim: ClaimSpec, sides: readonly TargetSide[]): ClaimVerdict {
  const lines: string[] = [];
  let contradicted = false;
  let mixed = false;
  let tested = false;
  for (const [target, expected] of Object.entries(claim.expect) as [TargetKind, 'pass' | 'fail'][]) {
    const side = sides.find((candidate) => candidate.target === target);
    const judged = side ? side.outcomes.filter((outcome) => outcome === 'passed' || outcome === 'failed').length : 0;
    if (!side || judged === 0) {
      lines.push(`${target}: not run (expected ${expected})`);
      continue;
    }
    tested = true;
    const asPredicted = expected === 'pass' ? side.passed : judged - side.passed;
    if (asPredicted * 2 < judged) contradicted = true;
    else if (asPredicted < judged) mixed = true;
    lines.push(`${target}: ${side.passed}/${judged} passed (expected ${expected})`);
  }
  const status = !tested ? 'not tested' : contradicted ? 'contradicted' : mixed ? 'mixed' : 'confirmed';
  return { text: claim.text, expect: claim.expect, status, explanation: lines.join(' · '), ...(claim.headline !== undefined && { headline: claim.headline }) };
}
