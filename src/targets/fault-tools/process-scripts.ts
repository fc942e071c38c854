import type { HelperScript } from './helper-script.js';

const pidOf = (pid: number | string) => {
  const text = String(pid);
  if (!/^[1-9][0-9]*$/.test(text)) throw new Error(`${text} is not a process id`);
  return text;
};

/**
 * bash that moves the shell running it ($$, so what it then execs) into the cgroups of process PID:
 * the target's own limits then apply to the stress it runs. cgroup v1: every controller hierarchy but
 * name=systemd (systemd keeps tracking a kind node unit through it, so stopping the unit still stops
 * the stress) and devices (nothing to share). cgroup v2 (a single "0::" line): the one unified
 * cgroup, which takes the process out of its unit's cgroup — the helper must then stop it itself.
 * On a hybrid host (v1 controllers plus /sys/fs/cgroup/unified) the "0::" line is skipped.
 */
export function joinCgroupsScript(pid: number | string, options: { only?: readonly ('memory' | 'cpu' | 'cpuacct' | 'pids')[] } = {}): string {
  // `only`: v1 hierarchies to join, the others left as they are (the oom push joins memory alone, so
  // its spinning at the limit does not eat the CPU quota the dying process needs to exit). v2 has one.
  const only = options.only?.length ? [`  case ",$controllers," in ${options.only.map((name) => `*,${name},*`).join('|')}|,,) ;; *) continue ;; esac`] : [];
  return [
    `while IFS=: read -r _ controllers path; do`,
    `  case "$controllers" in name=systemd|devices) continue ;; esac`,
    ...only,
    `  if [ -z "$controllers" ]; then`,
    `    [ -d /sys/fs/cgroup/unified ] || [ -d /sys/fs/cgroup/memory ] && continue`,
    `    dir=/sys/fs/cgroup`,
    `  else`,
    `    dir=/sys/fs/cgroup/$controllers; [ -d "$dir" ] || dir=/sys/fs/cgroup/\${controllers%%,*}`,
    `  fi`,
    `  echo $$ > "$dir$path/cgroup.procs" || { echo "cannot join $dir$path" >&2; exit 1; }`,
    `done < /proc/${pidOf(pid)}/cgroup`,
  ].join('\n');
}

/**
 * Makes process PID the OOM killer's first choice in its cgroup (oom_score_adj 1000: raising needs no
 * privilege, only lowering does — this machine has no CAP_SYS_RESOURCE at all). remove writes back
 * the value it had, which the kernel allows when it is not below the process's oom_score_adj_min
 * (as set by a privileged writer); a process that is gone needs nothing.
 */
export function raiseOomScoreScript(pid: number | string, original: number): HelperScript {
  const file = `/proc/${pidOf(pid)}/oom_score_adj`;
  return {
    apply: `echo 1000 > ${file}`,
    remove: `[ ! -e ${file} ] || echo ${Math.trunc(original)} > ${file} || [ ! -e ${file} ]`,
  };
}
