import { errorMessage } from '../common/errors.js';
import type { FaultName } from '../faults/index.js';
import { isInstanceNetworkFault, networkFaultScript, nodePartitionScript } from '../targets/fault-tools/index.js';
import type { Instance } from '../targets/target.js';

/** The id a preview's chains are named with: a real helper draws a fresh one when the fault starts. */
export const PREVIEW_HELPER_ID = 'rb0000000000';

/** A network fault's rules as --dry-run prints them: exactly what the helper will apply, with placeholders named. */
export interface NetworkPreview {
  mechanism?: string;
  effect?: string;
  /** The helper's apply and remove scripts, for the first instance it touches. */
  apply?: string;
  remove?: string;
  /** The long-running process the helper starts first (Toxiproxy), and what it runs before stopping it. */
  serve?: string;
  drain?: string;
  /** What is filled in only when the fault starts (the helper's id, the interface, peers' addresses). */
  placeholders: string[];
  /** Why no preview could be made (e.g. no port declared for a proxy fault). */
  problem?: string;
}

/**
 * The rules and proxy settings of a network fault for its first subject, from the plan's values
 * alone (pure: nothing is asked of the engine). The interface is taken to be eth0, the default route's
 * device in a Docker container and a kind pod (read when the fault starts); partition peers and
 * the API server's addresses are named, not resolved.
 */
export function networkPreview(fault: { name: FaultName; params: object }, subject: Instance | undefined): NetworkPreview | undefined {
  const placeholders = [`${PREVIEW_HELPER_ID}: the helper's id, drawn when the fault starts (one helper per instance)`];
  try {
    if (fault.name === 'partition-node') {
      const params = fault.params as { action: 'drop' | 'reject' };
      const script = nodePartitionScript(PREVIEW_HELPER_ID, [{ ip: 'API-SERVER-IP', port: 6443 }], params.action);
      return { apply: script.apply, remove: script.remove, placeholders: [...placeholders, 'API-SERVER-IP:6443: the endpoints of Service default/kubernetes, read when the fault starts'] };
    }
    if (!isInstanceNetworkFault(fault)) return undefined;
    const peers = fault.name === 'partition' && fault.params.peers?.selector ? ['PEER-IP'] : undefined;
    const planned = networkFaultScript(fault, { id: PREVIEW_HELPER_ID, device: 'eth0', declaredPorts: subject?.ports ?? [], ...(peers && { peerAddresses: peers }) });
    return {
      mechanism: planned.mechanism,
      effect: planned.effect,
      apply: planned.script.apply,
      remove: planned.script.remove,
      ...(planned.script.serve && { serve: planned.script.serve.command }),
      ...(planned.script.drain && { drain: planned.script.drain }),
      placeholders: [
        ...placeholders,
        ...(planned.refusal.shapeDevice !== undefined || planned.needsNetem ? ["eth0: the device of the namespace's default route, read when the fault starts"] : []),
        ...(peers ? [`PEER-IP: each running peer's address (labels ${JSON.stringify((fault.params as { peers?: { selector?: object } }).peers?.selector)}), resolved when the fault starts`] : []),
      ],
    };
  } catch (error) {
    return { placeholders, problem: errorMessage(error) };
  }
}
