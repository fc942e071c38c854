import type { Clock } from '../common/clock.js';
import type { Experiment } from '../experiments/schema.js';
import type { Plan } from '../plan/plan-experiment.js';
import type { TrafficSources } from '../probes/traffic.js';
import type { Journal } from '../safety/journal.js';
import type { Target } from '../targets/target.js';
import type { TimelineEntry } from '../timeline/timeline.js';

/** Everything one run of one experiment works with. */
export interface RunContext {
  experiment: Experiment;
  file: string;
  plan: Plan;
  target: Target;
  traffic: TrafficSources;
  iteration: number;
  /** Aborted on SIGINT/SIGTERM/SIGHUP (reason: the signal name). The run's guards abort it too (reason 'guard'). */
  signal: AbortSignal;
  journal?: Journal;
  clock?: Clock;
  onEntry?: (entry: TimelineEntry) => void;
}
