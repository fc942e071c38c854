import { assertHelperId, driverCommand, HELPER_LABEL, type HelperScript, type HelperTiming, newHelperId, shellCommand, shellQuote } from '../../fault-tools/index.js';
import type { KindNode, KindNodes } from './kind-nodes.js';
import { MISSING_IMAGE_EXIT, missingToolsImage, NODE_TOOLS_BIN, nodeToolsScript } from './node-tools.js';

export const NODE_HELPER_UNIT_PREFIX = 'rebound-helper-';
export const NODE_HELPER_DIR = '/run/rebound/helpers';

export interface NodeHelperOptions {
  node: KindNode;
  script: HelperScript;
  timing: HelperTiming;
  /** The pod's network namespace file (podNamespaces().netns); omit for a helper that needs none. */
  netns?: string;
  id?: string;
  /** Shown by `systemctl status`, beside the helper label. */
  description?: string;
  image?: string;
}

// After the driver's own deadline, systemd ends the unit anyway (RuntimeMaxSec), and ExecStopPost
// removes the fault whatever ended the driver, even a SIGKILL: the dead man's switch of the switch.
const BACKSTOP_MS = 15_000;

// The tools' mount point is known only in the node (it names the image id): the helper file
// carries this token, replaced there by the start script.
const TOOLS_ROOT = '__REBOUND_TOOLS_ROOT__';

/** The unit's helper file: every script as a quoted value, the unit's commands as one case. */
function helperFile(id: string, options: NodeHelperOptions): string {
  const driver = `${TOOLS_ROOT}/usr/local/bin/rebound-fault`;
  const dir = `${NODE_HELPER_DIR}/${id}`;
  const args = driverCommand(options.script, options.timing, { appliedFile: `${dir}/applied` }).slice(1);
  const inNetns = options.netns ? `nsenter --net=${shellQuote(options.netns)} ` : '';
  return `#!/bin/bash
# rebound helper ${id} (${HELPER_LABEL}=${id}), run by unit ${NODE_HELPER_UNIT_PREFIX}${id}.service; removed by its ExecStopPost.
set -u
dir=${shellQuote(dir)}
remove=${shellQuote(options.script.remove)}
case "$1" in
  main) exec ${inNetns}/bin/bash ${shellQuote(driver)} ${shellCommand(args)} ;;
  wait-applied)
    # ExecStartPost: systemd-run returns when this does, so exactly when the fault is in effect.
    until [ -e "$dir/applied" ]; do kill -0 "$MAINPID" 2>/dev/null || exit 1; sleep 0.005; done ;;
  stop-post)
    # A pod deleted meanwhile took its namespace, and with it everything there was to remove.
    ${options.netns ? `if [ ! -e ${shellQuote(options.netns)} ]; then rm -rf "$dir"; exit 0; fi
    ` : ''}${inNetns}/bin/bash -c "$remove"; rc=$?
    [ "$rc" = 0 ] && rm -rf "$dir"
    exit "$rc" ;;
esac
`;
}

/**
 * Starts a helper in a kind node as a transient systemd unit, the driver as its main process (in
 * the pod's network namespace when given), and returns once the fault is applied (or armed).
 * The unit outlives rebound: the driver removes the fault at its deadline; systemd's RuntimeMaxSec
 * and ExecStopPost remove it even if the driver itself is killed. One `docker exec` in all: it also
 * mounts the fault-tools image in the node when needed (nodeToolsScript).
 */
export async function startNodeHelper(kindNodes: KindNodes, options: NodeHelperOptions): Promise<NodeHelper> {
  const id = assertHelperId(options.id ?? newHelperId());
  const unit = `${NODE_HELPER_UNIT_PREFIX}${id}.service`;
  const dir = `${NODE_HELPER_DIR}/${id}`;
  const runtimeMax = Math.ceil((options.timing.durationMs + (options.timing.armMs ?? 0) + BACKSTOP_MS) / 1000);
  const systemdRun = [
    'systemd-run', `--unit=${unit}`, '--collect', '--quiet',
    `--description=rebound helper ${id} (${HELPER_LABEL}=${id})${options.description ? `: ${options.description}` : ''}`,
    '-p', 'KillMode=mixed', '-p', 'TimeoutStopSec=20', '-p', `RuntimeMaxSec=${runtimeMax}`,
    '-p', `Environment=PATH=${NODE_TOOLS_BIN}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    ...(options.timing.armMs === undefined ? ['-p', `ExecStartPost=/bin/bash ${dir}/helper.sh wait-applied`] : []),
    '-p', `ExecStopPost=/bin/bash ${dir}/helper.sh stop-post`,
    '/bin/bash', `${dir}/helper.sh`, 'main',
  ];
  const script = [
    nodeToolsScript(options.image),
    `mkdir -p ${shellQuote(dir)}`,
    `printf '%s' ${shellQuote(helperFile(id, options))} | sed "s|${TOOLS_ROOT}|$root|g" > ${shellQuote(`${dir}/helper.sh`)}`,
    `${shellCommand(systemdRun)} || { rc=$?; journalctl -u ${unit} -o cat --no-pager 2>/dev/null | tail -n 20 >&2; exit $rc; }`,
  ].join('\n');
  const result = await kindNodes.execScript(options.node, script, { timeoutMs: 30_000 + (options.timing.armMs ?? 0) });
  if (result.exitCode === MISSING_IMAGE_EXIT && !result.stderr.includes('rebound-fault')) throw missingToolsImage(options.node, options.image);
  if (result.exitCode !== 0) {
    throw new Error(`helper ${id} in node ${options.node.name} did not apply (systemd-run exit ${result.exitCode}):\n${result.stderr.trim().split('\n').map((line) => `    ${line}`).join('\n')}`);
  }
  return new NodeHelper(kindNodes, options.node, id, unit, dir);
}

export interface NodeHelperState {
  /** systemd's ActiveState; "gone" once the unit ended and was collected. */
  active: string;
  result?: string;
}

/** A running helper unit in a kind node. */
export class NodeHelper {
  private stopping: Promise<NodeHelperState> | undefined;

  constructor(
    private readonly kindNodes: KindNodes,
    readonly node: KindNode,
    readonly id: string,
    readonly unit: string,
    private readonly dir: string,
  ) {}

  /** Applies an armed helper: SIGUSR1 to the driver, then waits for its applied file. */
  async fire(timeoutMs = 10_000): Promise<void> {
    const steps = Math.ceil(timeoutMs / 5);
    const result = await this.kindNodes.execScript(
      this.node,
      `systemctl kill --kill-who=main -s USR1 ${this.unit} && for i in $(seq ${steps}); do [ -e ${this.dir}/applied ] && exit 0; sleep 0.005; done; exit 1`,
    );
    if (result.exitCode !== 0) throw new Error(`helper ${this.id} in node ${this.node.name} did not apply within ${timeoutMs} ms of SIGUSR1: ${result.stderr.trim()}`);
  }

  async state(): Promise<NodeHelperState> {
    const result = await this.kindNodes.execScript(this.node, `systemctl show -p LoadState -p ActiveState -p Result ${this.unit}`);
    const value = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(result.stdout)?.[1];
    if (value('LoadState') === 'not-found') return { active: 'gone' };
    const outcome = value('Result');
    return { active: value('ActiveState') ?? 'unknown', ...(outcome && { result: outcome }) };
  }

  /** The driver's lines and systemd's about this unit (journald keeps them after the unit is gone). */
  async journal(): Promise<string[]> {
    const result = await this.kindNodes.execScript(this.node, `journalctl -u ${this.unit} -o cat --no-pager 2>/dev/null | tail -n 100`);
    return result.stdout.split('\n').filter(Boolean);
  }

  /** Ends the fault now: `systemctl stop` (SIGTERM to the driver, which removes; then ExecStopPost). Safe twice. */
  stop(): Promise<NodeHelperState> {
    this.stopping ??= (async () => {
      // systemctl stop waits for the stop job (driver exit, ExecStopPost); a unit already gone is "not loaded": fine.
      await this.kindNodes.execScript(this.node, `systemctl stop ${this.unit} 2>/dev/null; true`, { timeoutMs: 40_000 });
      return this.state();
    })();
    return this.stopping;
  }
}
