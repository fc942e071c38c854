// What an assertion concludes from a finished timeline.
export interface Verdict {
  /** Assertion name, e.g. "recoveryTime". */
  name: string;
  passed: boolean;
  /** The measured value (ms, ratio in [0, 1], count), or null when there is none ("not recovered"). */
  measured: number | null;
  unit: 'ms' | 'ratio' | 'count';
  /** The threshold as written, e.g. "<= 15s". */
  threshold: string;
  /** One line a person understands, e.g. "recovered 1.32 s after the crash (limit 15 s)". */
  explanation: string;
  /** Further measured values worth reporting (min during chaos, p99, detection lag, ...). */
  details?: Record<string, number | string | boolean | null>;
}
