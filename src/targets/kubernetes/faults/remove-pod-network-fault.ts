import { errorMessage } from '../../../common/errors.js';
import type { RollbackOutcome, UndoRecordOf } from '../../../faults/index.js';
import { shellQuote } from '../../fault-tools/index.js';
import { NODE_HELPER_UNIT_PREFIX } from '../kind/node-helper.js';
import type { KubernetesUndoContext } from './fault-context.js';

type Record = UndoRecordOf<'network-delay', 'kubernetes'>;

/**
 * Ends a network fault on kind from its undo record alone, one `docker exec` per helper: the unit
 * is stopped (SIGTERM to the driver, which takes the redirect away, lets in-flight requests finish
 * and removes the rules; then ExecStopPost runs the remove script again whatever ended the driver),
 * then the record's remove script runs once more in the pod's namespace, so a unit that is gone
 * (collected, or its node restarted) leaves nothing either. A pod deleted meanwhile took its
 * namespace, and the fault, with it. Idempotent.
 */
export async function removePodNetworkFault(record: Record, context: KubernetesUndoContext): Promise<RollbackOutcome> {
  const results = await Promise.all(record.helpers.map((helper) => removeOne(context, helper)));
  const errors = results.filter((result) => result.error !== undefined).map((result) => result.error!);
  const done = results.filter((result) => result.error === undefined).map((result) => result.action);
  const action = record.helpers.length === 0 ? 'nothing was applied: nothing to remove' : done.join('; ');
  return errors.length > 0 ? { ok: false, action: action || 'remove the network fault', error: errors.join('; ') } : { ok: true, action };
}

/** The unit stopped, then the remove script in the namespace if it is still there; prints "gone" when it is not. */
export function stopAndRemoveScript(unit: string, netns: string | undefined, remove: string): string {
  const run = netns === undefined ? `bash -c ${shellQuote(remove)}` : `nsenter --net=${shellQuote(netns)} bash -c ${shellQuote(remove)}`;
  return [
    `systemctl stop ${shellQuote(unit)} 2>/dev/null; true`,
    ...(netns === undefined ? [run] : [`if [ ! -e ${shellQuote(netns)} ]; then echo gone; exit 0; fi`, run]),
  ].join('\n');
}

async function removeOne({ kindNodes }: KubernetesUndoContext, helper: Record['helpers'][number]): Promise<{ action: string; error?: string }> {
  const where = `pod ${helper.pod}`;
  try {
    const node = await kindNodes.find(helper.node);
    if ('missing' in node) return { action: `remove from ${where}`, error: `${where}: its node ${helper.node} is not there any more (${node.missing})` };
    if (node.state !== 'running') return { action: `remove from ${where}`, error: `${where}: its node ${helper.node} is ${node.state}: start it, then run rebound recover` };
    const result = await kindNodes.execScript(node, stopAndRemoveScript(`${NODE_HELPER_UNIT_PREFIX}${helper.id}.service`, helper.netns, helper.remove), { timeoutMs: 45_000 });
    if (result.exitCode !== 0) return { action: `remove from ${where}`, error: `${where}: the remove script exited ${result.exitCode} in ${helper.node}: ${(result.stderr || result.stdout).trim().slice(-300)}` };
    return { action: result.stdout.includes('gone') ? `${where}: its network namespace is gone (the pod was deleted), and the fault with it` : `${where}: removed (unit rebound-helper-${helper.id} on ${helper.node})` };
  } catch (error) {
    return { action: `remove from ${where}`, error: `${where}: ${errorMessage(error)}` };
  }
}
