import { assertHelperId, driverCommand, HELPER_LABEL, type HelperScript, type HelperTiming, newHelperId, shellCommand, shellQuote } from '../../fault-tools/index.js';
import type { KindNode, KindNodes } from './kind-nodes.js';
import type { NodeShell } from './node-shell.js';
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
  const preServed = armsServed(options) ? options.script : undefined;
  const args = driverCommand(preServed ? servedAhead(preServed) : options.script, options.timing, { appliedFile: `${dir}/applied` }).slice(1);
  const inNetns = options.netns ? `nsenter --net=${shellQuote(options.netns)} ` : '';
  const main = preServed
    ? `exec ${inNetns}/bin/bash "$0" serve-ahead ;;
  serve-ahead)
    ${serveAheadScript(preServed, dir)}
    exec /bin/bash ${shellQuote(driver)} ${shellCommand(args)} ;;`
    : `exec ${inNetns}/bin/bash ${shellQuote(driver)} ${shellCommand(args)} ;;`;
  return `#!/bin/bash
# rebound helper ${id} (${HELPER_LABEL}=${id}), run by unit ${NODE_HELPER_UNIT_PREFIX}${id}.service; removed by its ExecStopPost.
set -u
dir=${shellQuote(dir)}
remove=${shellQuote(options.script.remove)}
case "$1" in
  main) ${main}
  wait-applied)
    # ExecStartPost: systemd-run returns when this does, so exactly when the fault is in effect.
    until [ -e "$dir/applied" ]; do kill -0 "$MAINPID" 2>/dev/null || exit 1; sleep 0.005; done ;;
  wait-armed)
    # ExecStartPost of an armed unit: until the driver catches SIGUSR1 (bit 10 of SigCgt), a fire
    # would kill it (USR1's default action), and a unit that serves ahead is still preparing.
    until mask=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$MAINPID/status" 2>/dev/null) && [ -n "$mask" ] && (( 0x$mask & 512 )); do
      kill -0 "$MAINPID" 2>/dev/null || exit 1; sleep 0.01
    done ;;
  stop-post)
    # A pod deleted meanwhile took its namespace, and with it everything there was to remove.
    ${options.netns ? `if [ ! -e ${shellQuote(options.netns)} ]; then rm -rf "$dir"; exit 0; fi
    ` : ''}${inNetns}/bin/bash -c "$remove"; rc=$?
    # A proxy started ahead and never handed to the driver (stopped or expired before the fire).
    served=$(cat "$dir/served.pid" 2>/dev/null)
    if [ -n "$served" ] && grep -qs ${shellQuote(`/${NODE_HELPER_UNIT_PREFIX}${id}.service`)} "/proc/$served/cgroup"; then kill "$served"; fi
    [ "$rc" = 0 ] && rm -rf "$dir"
    exit "$rc" ;;
esac
`;
}

/** An armed helper whose apply is split (script.armed) and needs a long-running process: served ahead. */
function armsServed(options: NodeHelperOptions): boolean {
  return options.timing.armMs !== undefined && options.script.armed !== undefined && options.script.serve !== undefined;
}

// The process served ahead is the driver's `--serve` in name only: the driver gets a stand-in that
// lives as long as it does and stops it when the driver stops its --serve (after the drain), so
// the driver's order (drain, remove, stop the process) and "the fault ends if it exits" still hold.
const SERVED_PID = 'REBOUND_SERVED_PID';
const STAND_IN = `trap 'kill "$${SERVED_PID}" 2>/dev/null; exit 0' TERM; tail --pid="$${SERVED_PID}" -f /dev/null & wait $!`;

/** The driver's script when the long-running process and `prepare` ran before it: at the fire, only `fire`. */
function servedAhead(script: HelperScript): HelperScript {
  return {
    apply: script.armed!.fire,
    remove: script.remove,
    serve: { command: shellCommand(['bash', '-c', STAND_IN]), ready: `kill -0 "$${SERVED_PID}"` },
    ...(script.drain !== undefined && { drain: script.drain }),
  };
}

/**
 * bash (in the pod's namespace, before the driver is exec'd) that starts the long-running process,
 * waits for it to be ready (20 ms polls, 5 s at most, as the driver does) and runs `prepare`,
 * none of which changes traffic. On failure: `remove`, stop the process, exit 2 (the unit fails,
 * systemd-run reports it with the journal).
 */
function serveAheadScript(script: HelperScript, dir: string): string {
  const failed = (why: string) => `{ echo ${shellQuote(`rebound-fault failed: ${why}`)}; /bin/bash -c "$remove"; kill "$${SERVED_PID}" 2>/dev/null; exit 2; }`;
  return [
    `/bin/bash -c ${shellQuote(`exec ${script.serve!.command}`)} & export ${SERVED_PID}=$!`,
    `echo "$${SERVED_PID}" > "$dir/served.pid"`,
    'tries=0',
    `until /bin/bash -c ${shellQuote(script.serve!.ready)} >/dev/null 2>&1; do`,
    `  tries=$((tries + 1)); if [ "$tries" -ge 250 ] || ! kill -0 "$${SERVED_PID}" 2>/dev/null; then ${failed('--serve did not become ready (--ready still failing)')}; fi; sleep 0.02`,
    'done',
    `/bin/bash -c ${shellQuote(script.armed!.prepare)} || ${failed('preparing the armed fault exited non-zero')}`,
  ].join('\n    ');
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
    '-p', `ExecStartPost=/bin/bash ${dir}/helper.sh ${options.timing.armMs === undefined ? 'wait-applied' : 'wait-armed'}`,
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

  /**
   * Applies an armed helper: SIGUSR1 to the driver, then waits for its applied file. Through `shell`
   * (a session opened ahead in the node) when it is still open: no `docker exec` at the instant.
   * Never sent twice: a second USR1 would end an applied driver's wait, and with it the fault.
   */
  async fire(timeoutMs = 10_000, shell?: NodeShell): Promise<void> {
    const steps = Math.ceil(timeoutMs / 5);
    const script = `systemctl kill --kill-who=main -s USR1 ${this.unit} && for i in $(seq ${steps}); do [ -e ${this.dir}/applied ] && exit 0; sleep 0.005; done; exit 1`;
    const result = shell?.open ? await shell.run(script, timeoutMs + 5000) : await this.kindNodes.execScript(this.node, script);
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
