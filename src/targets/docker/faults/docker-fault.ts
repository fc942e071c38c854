import type Docker from 'dockerode';
import type { ImplementationsOn, ImplementedOn } from '../../../faults/index.js';
import type { Discovery, Selector } from '../../target.js';

/** What undoing a Docker fault needs: the engine, and (during a run) the observers' desired count. */
export interface DockerUndoContext {
  docker: Docker;
  /** Docker keeps no desired replica count: the scale fault tells the run's observers the new one. */
  setDesired(count: number): void;
}

/** What injecting a Docker fault needs besides. */
export interface DockerFaultContext extends DockerUndoContext {
  selector: Selector;
  discover(): Promise<Discovery>;
}

export type DockerFaults = ImplementationsOn<'docker', DockerFaultContext, DockerUndoContext>;

/** The implementation of one Docker fault, typed from its module. */
export type DockerFault<K extends ImplementedOn<'docker'>> = DockerFaults[K];
