import type { RollbackOutcome } from '../../../faults/index.js';
import { errorMessage } from '../../../common/errors.js';
import { NODE_HELPER_UNIT_PREFIX } from '../kind/node-helper.js';
import type { KindNodes } from '../kind/kind-nodes.js';

export interface NodeHelperRef {
  id: string;
  node: string;
  pod: string;
}

/**
 * The undo of the faults a node helper unit does (cpu-stress, memory-stress on kind): `systemctl
 * stop` of each rebound-helper-<id>.service still loaded. The driver gets SIGTERM and stops its
 * stress; systemd kills whatever is left of the unit (KillMode=mixed) and runs ExecStopPost. A unit
 * that is gone ended by itself at its deadline; a node that is not running took its units with it.
 */
export async function stopNodeHelpers(kindNodes: KindNodes, helpers: readonly NodeHelperRef[]): Promise<RollbackOutcome> {
  const stopped: string[] = [];
  const ended: string[] = [];
  const errors: string[] = [];
  for (const helper of helpers) {
    const unit = `${NODE_HELPER_UNIT_PREFIX}${helper.id}.service`;
    const node = await kindNodes.find(helper.node);
    if ('missing' in node || node.state !== 'running') {
      ended.push(`${helper.id} (node ${helper.node} ${'missing' in node ? 'is gone' : `is ${node.state}`}: its units went with it)`);
      continue;
    }
    try {
      // systemctl stop waits for the driver and ExecStopPost; then the unit is collected (--collect).
      const result = await kindNodes.execScript(
        node,
        [
          `if [ "$(systemctl show -p LoadState --value ${unit})" = not-found ]; then echo gone; exit 0; fi`,
          `systemctl stop ${unit}`,
          // Collected (--collect) right after, or at least inactive: either way nothing of it runs.
          `case "$(systemctl show -p LoadState --value ${unit}) $(systemctl show -p ActiveState --value ${unit})" in not-found*|*inactive|*failed) echo stopped ;; *) systemctl show -p ActiveState -p SubState ${unit}; exit 1 ;; esac`,
        ].join('\n'),
        { timeoutMs: 40_000 },
      );
      if (result.exitCode !== 0) errors.push(`unit ${unit} in ${helper.node} is still loaded after systemctl stop: ${result.stdout.trim().replace(/\n/g, ' ')}`);
      else if (result.stdout.trim() === 'gone') ended.push(helper.id);
      else stopped.push(`${helper.id} for ${helper.pod} in ${helper.node}`);
    } catch (error) {
      errors.push(`unit ${unit} in ${helper.node}: ${errorMessage(error)}`);
    }
  }
  const parts = [
    ...(stopped.length > 0 ? [`stopped helper unit ${stopped.join(', ')} (its stress ended with it)`] : []),
    ...(ended.length > 0 ? [`helper ${ended.join(', ')} already gone (ended by itself at its deadline)`] : []),
  ];
  const action = parts.length > 0 ? parts.join('; ') : 'no helper was started: nothing to stop';
  return errors.length > 0 ? { ok: false, action, error: errors.join('; ') } : { ok: true, action };
}
