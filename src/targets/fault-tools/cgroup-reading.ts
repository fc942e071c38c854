// What a container's cgroup says about its CPU and memory, read the same way on the Docker host (the
// files read directly) and in a kind node (a sampling loop prints them): a set of files by name,
// cgroup v1 (cpuacct.usage, cpu.stat nr_throttled / throttled_time, memory.usage_in_bytes …) or v2
// (cpu.stat usage_usec / throttled_usec, memory.current, memory.max, cpu.max).

import type { ResourceSampleEntry } from '../../timeline/timeline.js';

export interface CgroupReading {
  /** CPU time used by the cgroup and its children since it was created, ns. */
  cpuUsageNs: number;
  /** CFS bandwidth periods in which it could run, and how many of them it was throttled in. */
  periods: number;
  throttledPeriods: number;
  /** Time it spent throttled, ns. */
  throttledNs: number;
  memoryBytes: number;
  /** Absent: no limit. */
  memoryLimitBytes?: number;
  cpuLimitMillicores?: number;
}

/** A reading as a `resource-sample` entry's data (ms instead of ns; the limits only when set). */
export function resourceSampleData(reading: CgroupReading): ResourceSampleEntry['data'] {
  return {
    cpuUsageMs: reading.cpuUsageNs / 1e6,
    periods: reading.periods,
    throttledPeriods: reading.throttledPeriods,
    throttledMs: reading.throttledNs / 1e6,
    memoryBytes: reading.memoryBytes,
    ...(reading.memoryLimitBytes !== undefined && { memoryLimitBytes: reading.memoryLimitBytes }),
    ...(reading.cpuLimitMillicores !== undefined && { cpuLimitMillicores: reading.cpuLimitMillicores }),
  };
}

/** The v1 files, per controller hierarchy (/sys/fs/cgroup/<controller><path>/<file>). */
export const CGROUP_V1_FILES: Record<string, string[]> = {
  cpuacct: ['cpuacct.usage'],
  cpu: ['cpu.stat', 'cpu.cfs_quota_us', 'cpu.cfs_period_us'],
  memory: ['memory.usage_in_bytes', 'memory.limit_in_bytes'],
};
/** The v2 files (/sys/fs/cgroup<path>/<file>). */
export const CGROUP_V2_FILES = ['cpu.stat', 'cpu.max', 'memory.current', 'memory.max'];

// v1's "no limit" is PAGE_COUNTER_MAX pages (9223372036854771712 bytes on x86-64): anything that large is none.
const UNLIMITED_BYTES = 2 ** 62;

function statFields(text: string | undefined): Record<string, number> {
  const fields: Record<string, number> = {};
  for (const line of (text ?? '').split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) fields[key] = Number(value);
  }
  return fields;
}

const number = (text: string | undefined) => (text !== undefined && /^\s*-?\d+\s*$/.test(text) ? Number(text.trim()) : undefined);

/** One reading from the files' contents; undefined when the basic ones are missing (the cgroup is gone). */
export function parseCgroupFiles(files: Readonly<Record<string, string>>): CgroupReading | undefined {
  const stat = statFields(files['cpu.stat']);
  if (files['memory.current'] !== undefined) {
    // cgroup v2
    const memoryBytes = number(files['memory.current']);
    if (memoryBytes === undefined || stat.usage_usec === undefined) return undefined;
    const memoryMax = number(files['memory.max']);
    const [quota, period] = (files['cpu.max'] ?? '').trim().split(/\s+/);
    const cpuLimit = number(quota) !== undefined && number(period) ? (number(quota)! / number(period)!) * 1000 : undefined;
    return {
      cpuUsageNs: stat.usage_usec * 1000,
      periods: stat.nr_periods ?? 0,
      throttledPeriods: stat.nr_throttled ?? 0,
      throttledNs: (stat.throttled_usec ?? 0) * 1000,
      memoryBytes,
      ...(memoryMax !== undefined && { memoryLimitBytes: memoryMax }),
      ...(cpuLimit !== undefined && { cpuLimitMillicores: Math.round(cpuLimit) }),
    };
  }
  const cpuUsageNs = number(files['cpuacct.usage']);
  const memoryBytes = number(files['memory.usage_in_bytes']);
  if (cpuUsageNs === undefined || memoryBytes === undefined) return undefined;
  const memoryLimit = number(files['memory.limit_in_bytes']);
  const quota = number(files['cpu.cfs_quota_us']);
  const period = number(files['cpu.cfs_period_us']);
  return {
    cpuUsageNs,
    periods: stat.nr_periods ?? 0,
    throttledPeriods: stat.nr_throttled ?? 0,
    throttledNs: stat.throttled_time ?? 0,
    memoryBytes,
    ...(memoryLimit !== undefined && memoryLimit < UNLIMITED_BYTES && { memoryLimitBytes: memoryLimit }),
    ...(quota !== undefined && quota > 0 && period && { cpuLimitMillicores: Math.round((quota / period) * 1000) }),
  };
}

/**
 * The cgroup directories of a process from its /proc/<pid>/cgroup, per file it holds: v1 puts each
 * controller in its own hierarchy (a comounted "cpu,cpuacct" is found under either name); v2 has
 * one (the "0::" line), used only when no v1 memory hierarchy is listed (a hybrid host lists both).
 */
export function cgroupFilePaths(procCgroup: string, root = '/sys/fs/cgroup'): Record<string, string> {
  const lines = procCgroup.split('\n').map((line) => line.trim().split(':')).filter((parts) => parts.length >= 3);
  const v1 = new Map<string, string>();
  let unified: string | undefined;
  for (const [, controllers, ...rest] of lines) {
    const path = rest.join(':');
    if (controllers === '') unified = path;
    else for (const controller of controllers!.split(',')) v1.set(controller, path);
  }
  const paths: Record<string, string> = {};
  if (v1.has('memory')) {
    for (const [controller, files] of Object.entries(CGROUP_V1_FILES)) {
      const path = v1.get(controller);
      if (path !== undefined) for (const file of files) paths[file] = `${root}/${controller}${path}/${file}`;
    }
  } else if (unified !== undefined) {
    for (const file of CGROUP_V2_FILES) paths[file] = `${root}${unified === '/' ? '' : unified}/${file}`;
  }
  return paths;
}

/**
 * bash that prints the cgroup files of the process whose pid is in shell variable `pidVar`, each as
 * "#file <name>" and its content: what cgroupFilePaths picks, done in the shell (a kind node), so
 * one round trip reads them. Prints nothing for a process that is gone.
 */
export function cgroupFilesScript(pidVar: string): string {
  const v1 = Object.entries(CGROUP_V1_FILES)
    .map(([controller, files]) => `  p=$(awk -F: -v c=${controller} '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) { print $3; exit } }' "$cg"); for f in ${files.join(' ')}; do echo "#file $f"; cat "/sys/fs/cgroup/${controller}$p/$f" 2>/dev/null; done`)
    .join('\n');
  return [
    `cg=/proc/\${${pidVar}}/cgroup`,
    `if [ -r "$cg" ]; then`,
    `if awk -F: '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == "memory") found = 1 } END { exit !found }' "$cg"; then`,
    v1,
    'else',
    `  p=$(awk -F: '$2 == "" { print $3; exit }' "$cg"); [ "$p" = / ] && p=; for f in ${CGROUP_V2_FILES.join(' ')}; do echo "#file $f"; cat "/sys/fs/cgroup$p/$f" 2>/dev/null; done`,
    'fi',
    'fi',
  ].join('\n');
}

/** "#file <name>" blocks (cgroupFilesScript's output, or any text holding such blocks) → file name → content. */
export function parseFileBlocks(text: string): Record<string, string> {
  const files: Record<string, string> = {};
  let current: string | undefined;
  for (const line of text.split('\n')) {
    const marker = /^#file (\S+)$/.exec(line);
    if (marker) {
      current = marker[1]!;
      files[current] = '';
    } else if (current !== undefined && line !== '') files[current] += `${files[current] ? '\n' : ''}${line}`;
  }
  // A file that could not be read printed nothing: leave it out rather than parse "" as a value.
  return Object.fromEntries(Object.entries(files).filter(([, content]) => content !== ''));
}
