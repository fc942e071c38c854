import { readFileSync, writeFileSync } from 'node:fs';
import type Docker from 'dockerode';
import { execa } from 'execa';
import { sleep } from '../../../common/clock.js';
import { EnvironmentError, errorMessage } from '../../../common/errors.js';
import { pollUntil } from '../../../common/poll-until.js';
import { formatMemory } from '../../../common/resource-quantity.js';
import type { RollbackOutcome, UndoRecordOf } from '../../../faults/index.js';
import { joinCgroupsScript, oomPushArgs, shellCommand, startTimeOfStat } from '../../fault-tools/index.js';
import { restartPolicyText } from '../container-facts.js';
import { engineIsLocal, engineMessage, engineStatus } from '../docker-client.js';
import type { DockerFault } from './docker-fault.js';
import { startContainers } from './start-containers.js';

type Scored = UndoRecordOf<'oom', 'docker'>['containers'][number];

/** How long the engine may take to report the kill after the push ended (the die event follows the oom event at once). */
const KILL_SEEN_TIMEOUT_MS = 5_000;

/**
 * oom: the kernel OOM-kills the container's main process, so Docker sees a crash — `oom` then
 * `die` (137), `State.OOMKilled: true` — and applies the restart policy. The score is raised from
 * the host (/proc/<State.Pid>/oom_score_adj; rebound runs on the engine's machine, as for crash),
 * after the old value and the process's start time are journalled; then a host process that joined
 * the container's memory cgroup alone allocates past the limit (dd, ended by itself).
 * Not a helper container under --cgroup-parent: that one shares the container's CPU cgroup too, and
 * under a CPU limit its spinning at the memory limit ate the quota the killed process needed to exit
 * (measured with --cpus 0.2: the app took 2 s to die, until the kernel's oom_reaper, then dd as long;
 * the injection 8.5 s and 1,228 `oom` events). Memory only: the app died at once.
 */
export const oomContainers: DockerFault<'oom'> = {
  planUndo: () => ({ action: 'after-oom', containers: [] }),
  async inject(fault, { docker }, run) {
    if (!engineIsLocal()) {
      throw new EnvironmentError(`oom needs the Docker engine on this machine (DOCKER_HOST=${process.env.DOCKER_HOST}) to raise the main process's oom_score_adj`, {
        hint: 'run rebound on the Docker host',
      });
    }
    const scored: Scored[] = [];
    const notes: string[] = [];
    for (const name of fault.subjects) {
      const info = await docker.getContainer(name).inspect();
      const limit = info.HostConfig.Memory ?? 0;
      if (limit <= 0) throw new Error(`${name} has no memory limit, so there is nothing to run out of: oom needs one (deploy.resources.memory, or docker run --memory)`);
      if (!info.State.Running || info.State.Pid <= 0) throw new Error(`${name} is not running: nothing to OOM-kill`);
      const pid = info.State.Pid;
      const facts = readProcess(pid, name);
      scored.push({ name, pid, ...facts });
      run.record({ action: 'after-oom', containers: [...scored] });
      writeFileSync(`/proc/${pid}/oom_score_adj`, '1000');
      const push = await pushUntilKilled(pid, facts.startTime, limit);
      const killed = await pollUntil({
        check: () => docker.getContainer(name).inspect(),
        // OOMKilled stays true after a restart on Docker 20.10; a newer engine that clears it at start still counts the restart.
        done: (now) => (now.State.OOMKilled || now.RestartCount > info.RestartCount) && (now.State.Pid !== pid || !now.State.Running),
        timeoutMs: KILL_SEEN_TIMEOUT_MS,
        intervalMs: 50,
      });
      if (killed.status !== 'done') {
        throw new Error(`the kernel did not OOM-kill ${name}'s main process (PID ${pid}) at its ${formatMemory(limit)} limit: the push (dd) exited ${push.exitCode}${push.stderr.trim() ? ` (${push.stderr.trim().split('\n').at(-1)})` : ''}; is swap allowed (MemorySwap ${info.HostConfig.MemorySwap})?`);
      }
      const policy = restartPolicyText(info.HostConfig.RestartPolicy);
      notes.push(`${name}: OOM-killed at its ${formatMemory(limit)} limit (oom_score_adj ${facts.oomScoreAdj} → 1000, then its cgroup filled); restart policy ${policy}${policy === 'no' ? ', so nothing will restart it' : ' applies'}`);
    }
    return {
      undo: { action: 'after-oom', containers: scored },
      note: `the kernel's OOM kill is a crash to Docker (OOMKilled, exit 137): ${notes.join('; ')}`,
      facts: { restartPolicy: { applies: true, reason: 'an OOM kill by the kernel is a crash' } },
    };
  },
  undo: (record, { docker }) => afterOom(docker, record.containers),
};

/** How long the push may take to fill the cgroup; dd's one block of limit + 64 MiB is written in well under a second. */
const PUSH_TIMEOUT_MS = 15_000;

/**
 * Runs the push and ends it as soon as the main process is gone. Left alone, dd stays in the
 * container's memory cgroup after the kill (seen: 0.7 s, under a burst of `oom` events), where
 * Docker's restart puts the new process (the same cgroup path): it got the restarted container OOM
 * events of its own. SIGKILL of dd, rebound's own child, once its work is done.
 */
async function pushUntilKilled(pid: number, startTime: string, limit: number): Promise<{ exitCode: number | undefined; stderr: string }> {
  const push = execa('bash', ['-c', `${joinCgroupsScript(pid, { only: ['memory'] })}\nexec ${shellCommand(oomPushArgs(limit))}`], { reject: false, timeout: PUSH_TIMEOUT_MS });
  let ended = false;
  void push.finally(() => (ended = true));
  const deadline = performance.now() + PUSH_TIMEOUT_MS;
  while (!ended && performance.now() < deadline) {
    if (!alive(pid, startTime)) {
      push.kill('SIGKILL');
      break;
    }
    await sleep(5);
  }
  const result = await push;
  return { exitCode: result.exitCode, stderr: String(result.stderr) };
}

function readProcess(pid: number, name: string): { oomScoreAdj: number; startTime: string } {
  try {
    const oomScoreAdj = Number(readFileSync(`/proc/${pid}/oom_score_adj`, 'utf8').trim());
    const startTime = startTimeOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    if (!Number.isInteger(oomScoreAdj) || startTime === undefined) throw new Error('unreadable');
    return { oomScoreAdj, startTime };
  } catch (error) {
    throw new EnvironmentError(`cannot read /proc/${pid} of ${name}: ${errorMessage(error)}`, { hint: 'oom needs to run as root on the Docker host', cause: error });
  }
}

/** The score back on a process that survived (a failed push), then every container still down started, as crash's undo does. */
async function afterOom(docker: Docker, containers: readonly Scored[]): Promise<RollbackOutcome> {
  const actions: string[] = [];
  const errors: string[] = [];
  for (const container of containers) {
    try {
      const info = await docker.getContainer(container.name).inspect();
      if (!info.State.Running || info.State.Pid !== container.pid || !sameProcess(container)) continue;
      writeFileSync(`/proc/${container.pid}/oom_score_adj`, String(container.oomScoreAdj));
      actions.push(`${container.name} was not OOM-killed: its oom_score_adj is back to ${container.oomScoreAdj}`);
    } catch (error) {
      if (engineStatus(error) !== 404) errors.push(`${container.name}: ${engineMessage(error)}`);
    }
  }
  const started = await startContainers(docker, containers.map((container) => container.name));
  const action = [...actions, started.action].join('; ');
  const error = [...errors, ...(started.error ? [started.error] : [])].join('; ');
  return error ? { ok: false, action, error } : { ok: true, action };
}

function sameProcess(container: Scored): boolean {
  return alive(container.pid, container.startTime);
}

/** Whether process `pid` is still the one that started at `startTime`, and not a zombie (killed, not yet reaped). */
function alive(pid: number, startTime: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 1).trim().split(/\s+/)[0];
    return state !== 'Z' && state !== 'X' && startTimeOfStat(stat) === startTime;
  } catch {
    return false; // gone: it was killed
  }
}
