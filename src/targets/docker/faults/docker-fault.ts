import type Docker from 'dockerode';
import type { ImplementationsOn, ImplementedOn } from '../../../faults/index.js';
import type { Discovery, Selector } from '../../target.js';
import type { HelperContainer } from '../helper-container.js';

/** What undoing a Docker fault needs: the engine, and (during a run) the observers' desired count. */
export interface DockerUndoContext {
  docker: Docker;
  /** Docker keeps no desired replica count: the scale fault tells the run's observers the new one. */
  setDesired(count: number): void;
  /** Helper containers this process started and has not stopped yet, by helper id (`recover` has none). */
  liveHelpers?: Map<string, LiveHelper>;
}

/** A helper container in effect, and when (performance.now()) its driver ends the fault by itself. */
export interface LiveHelper {
  helper: HelperContainer;
  endsAt: number;
}

/** What injecting a Docker fault needs besides. */
export interface DockerFaultContext extends DockerUndoContext {
  selector: Selector;
  discover(): Promise<Discovery>;
}

export type DockerFaults = ImplementationsOn<'docker', DockerFaultContext, DockerUndoContext>;

/** The implementation of one Docker fault, typed from its module. */
export type DockerFault<K extends ImplementedOn<'docker'>> = DockerFaults[K];
