import { z } from 'zod';
import { compare, negatedText } from '../../assertions/comparator.js';
import { comparatorSchema } from '../../assertions/comparator-schema.js';
import { formatDuration } from '../../common/duration.js';
import { durationSchema } from '../../common/schema-primitives.js';
import type { GuardDefinition } from './guard.js';

export const httpGuardParams = z.strictObject({
  successRate: comparatorSchema('ratio', '>=').describe('Share of the traffic probe\'s requests that must be answered 2xx/3xx within the window, e.g. ">= 50%".'),
  window: durationSchema
    .prefault(5)
    .describe('Sliding window over the probe\'s requests (default 5s); it is the grace: a short blip does not trip the guard. Make it longer than probe.timeout.'),
});

export type HttpGuardParams = z.output<typeof httpGuardParams>;

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;

// The traffic probe's own requests, not a probe of its own: the guard adds no traffic. A request
// counts once it is answered or failed (t + ms <= now), so a finished timeline and the live run
// give the same answer at the same `now`.
export const httpGuard: GuardDefinition<HttpGuardParams> = {
  name: 'http',
  summary: "Stops the run when the traffic probe's success rate over a sliding window falls below a floor.",
  params: httpGuardParams,
  describe: (params) => `success rate ${params.successRate.text} over the last ${formatDuration(params.window)} of probe requests`,
  abortWhen: (params) => `the probe's success rate ${negatedText(params.successRate)} over the last ${formatDuration(params.window)}`,
  evaluate(entries, { now }, params) {
    const since = now - params.window;
    let answered = 0;
    let ok = 0;
    // Entries are in t order: walk back from the end until the window is left.
    for (let index = entries.length - 1; index >= 0; index--) {
      const entry = entries[index]!;
      if (entry.t < since) break;
      if (entry.kind !== 'request' || entry.t > now || entry.t + entry.data.ms > now) continue;
      answered++;
      if (entry.data.ok) ok++;
    }
    const window = formatDuration(params.window);
    if (answered === 0) return { violated: false, detail: `no probe request of the last ${window} has finished yet` };
    const ratio = ok / answered;
    const violated = !compare(ratio, params.successRate);
    return {
      violated,
      detail: `${percent(ratio)} of the probe requests of the last ${window} answered (${ok} of ${answered}), needs ${params.successRate.text}`,
    };
  },
};
