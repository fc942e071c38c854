import { execa, type ResultPromise } from 'execa';
import { type CgroupReading, lineSplitter, parseCgroupFiles, shellQuote } from '../../fault-tools/index.js';
import type { KindNode } from './kind-nodes.js';

/** A pod to sample: its main container's id, whose process leads to the pod's cgroup. */
export interface SampledPod {
  pod: string;
  containerId: string;
}

export interface PodSample {
  pod: string;
  /** Epoch ms, the node's clock (the same kernel as the host's). */
  epochMs: number;
  reading: CgroupReading;
}

const V1_FILES = ['cpuacct/cpuacct.usage', 'cpu/cpu.stat', 'cpu/cpu.cfs_quota_us', 'cpu/cpu.cfs_period_us', 'memory/memory.usage_in_bytes', 'memory/memory.limit_in_bytes'];
const V2_FILES = ['cpu.stat', 'cpu.max', 'memory.current', 'memory.max'];

/**
 * The loop that runs in the node: every interval, for each pod, the cgroup files of its containers
 * (the pod's cgroup holds one child per container; the pause container's is skipped). The pod's
 * cgroup is found once from its main container's process; its containers' are listed each time, so
 * a restarted container (a new child) is followed. Built-ins only between samples (read, globs,
 * $EPOCHREALTIME): no process is forked per sample. It ends after `samples`, or as soon as its
 * stdin closes (rebound stopped it, or died: the `read -t` that paces it sees the end of input).
 */
export function samplerScript(pods: readonly SampledPod[], intervalMs: number, samples: number): string {
  const entries = pods.map((pod) => shellQuote(`${pod.pod} ${pod.containerId}`)).join(' ');
  // Plain strings, not a template: the shell's ${…} stays as written.
  return [
    'set -u',
    'declare -A slice',
    `targets=( ${entries} )`,
    'v1=0; [ -d /sys/fs/cgroup/memory ] && v1=1',
    'resolve() {',
    '  local pid ctrl path',
    "  pid=$(crictl inspect -o go-template --template '{{.info.pid}}' \"$2\" 2>/dev/null) || return 0",
    '  [ -r "/proc/$pid/cgroup" ] || return 0',
    '  while IFS=: read -r _ ctrl path; do',
    '    if [ "$v1" = 1 ]; then case ",$ctrl," in *,memory,*) slice[$1]=${path%/*}; return 0 ;; esac',
    '    elif [ -z "$ctrl" ]; then slice[$1]=${path%/*}; return 0; fi',
    '  done < "/proc/$pid/cgroup"',
    '}',
    `for ((i = 0; i < ${samples}; i++)); do`,
    '  echo "#sample ${EPOCHREALTIME/./}"',
    '  for t in "${targets[@]}"; do',
    '    name=${t%% *}',
    '    [ -n "${slice[$name]:-}" ] || resolve "$name" "${t#* }"',
    '    s=${slice[$name]:-}; [ -n "$s" ] || continue',
    '    if [ "$v1" = 1 ]; then base=/sys/fs/cgroup/memory$s; else base=/sys/fs/cgroup$s; fi',
    '    for d in "$base"/*.scope; do',
    '      [ -d "$d" ] || continue',
    '      read -r p < "$d/cgroup.procs" 2>/dev/null || continue',
    '      read -r comm < "/proc/$p/comm" 2>/dev/null || continue',
    '      [ "$comm" = pause ] && continue',
    '      scope=${d##*/}',
    '      echo "#pod $name"',
    '      if [ "$v1" = 1 ]; then',
    `        for f in ${V1_FILES.join(' ')}; do echo "#file \${f#*/}"; while IFS= read -r l; do echo "$l"; done 2>/dev/null < "/sys/fs/cgroup/\${f%%/*}$s/$scope/\${f#*/}"; done`,
    '      else',
    `        for f in ${V2_FILES.join(' ')}; do echo "#file $f"; while IFS= read -r l; do echo "$l"; done 2>/dev/null < "$d/$f"; done`,
    '      fi',
    '    done',
    '  done',
    // Paced by a read of stdin: a timeout (> 128) goes on, the end of input (rebound stopped or died) ends the loop.
    `  read -r -t ${(intervalMs / 1000).toFixed(3)} _; [ $? -gt 128 ] || exit 0`,
    'done',
  ].join('\n');
}

/** Parses the loop's output into one sample per pod and interval (a pod with several containers: their sum). */
export class SamplerOutput {
  private epochMs = 0;
  private pod: string | undefined;
  private files: Record<string, string> = {};
  private file: string | undefined;
  private pending = new Map<string, CgroupReading>();

  constructor(private readonly onSample: (sample: PodSample) => void) {}

  readonly line = (line: string): void => {
    const sample = /^#sample (\d+)$/.exec(line);
    const pod = /^#pod (\S+)$/.exec(line);
    const file = /^#file (\S+)$/.exec(line);
    if (sample || pod) this.closeContainer();
    if (sample) {
      this.flush();
      this.epochMs = Number(sample[1]) / 1000;
    } else if (pod) {
      this.pod = pod[1];
    } else if (file) {
      this.file = file[1];
      this.files[this.file!] = '';
    } else if (this.file !== undefined) {
      this.files[this.file] += `${this.files[this.file] ? '\n' : ''}${line}`;
    }
  };

  /** The end of the output: the last interval's samples. */
  end(): void {
    this.closeContainer();
    this.flush();
  }

  private closeContainer(): void {
    if (this.pod === undefined) return;
    const reading = parseCgroupFiles(Object.fromEntries(Object.entries(this.files).filter(([, content]) => content !== '')));
    const before = this.pending.get(this.pod);
    if (reading) this.pending.set(this.pod, before ? sum(before, reading) : reading);
    this.pod = undefined;
    this.file = undefined;
    this.files = {};
  }

  private flush(): void {
    for (const [pod, reading] of this.pending) this.onSample({ pod, epochMs: this.epochMs, reading });
    this.pending.clear();
  }
}

function sum(a: CgroupReading, b: CgroupReading): CgroupReading {
  return {
    cpuUsageNs: a.cpuUsageNs + b.cpuUsageNs,
    periods: a.periods + b.periods,
    throttledPeriods: a.throttledPeriods + b.throttledPeriods,
    throttledNs: a.throttledNs + b.throttledNs,
    memoryBytes: a.memoryBytes + b.memoryBytes,
    ...(a.memoryLimitBytes !== undefined && b.memoryLimitBytes !== undefined && { memoryLimitBytes: a.memoryLimitBytes + b.memoryLimitBytes }),
    ...(a.cpuLimitMillicores !== undefined && b.cpuLimitMillicores !== undefined && { cpuLimitMillicores: a.cpuLimitMillicores + b.cpuLimitMillicores }),
  };
}

/** A running sampler in one node; `stop()` closes its stdin (the loop ends) and waits for it. */
export interface PodResourceSampler {
  stop(): Promise<void>;
}

/** Starts the sampling loop in `node` (one `docker exec -i` for the whole run) and feeds each sample to `onSample`. */
export function startPodResourceSampler(node: KindNode, pods: readonly SampledPod[], options: { intervalMs: number; forMs: number; onSample: (sample: PodSample) => void; onTrouble: (text: string) => void }): PodResourceSampler {
  const samples = Math.ceil(options.forMs / options.intervalMs);
  const child: ResultPromise = execa('docker', ['exec', '-i', node.containerId, 'bash', '-c', samplerScript(pods, options.intervalMs, samples)], {
    stdin: 'pipe',
    buffer: false,
    reject: false,
    // Bounded like the loop itself, in case the node hangs.
    timeout: options.forMs + 30_000,
  });
  const output = new SamplerOutput(options.onSample);
  child.stdout?.setEncoding('utf8').on('data', lineSplitter(output.line));
  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const ended = child.then((result) => {
    output.end();
    if (result.exitCode !== 0 && !result.isTerminated) options.onTrouble(`resource sampling in node ${node.name} ended with exit ${result.exitCode}: ${stderr.join('').trim().slice(0, 300)}`);
  });
  return {
    stop: async () => {
      child.stdin?.end();
      const timer = setTimeout(() => child.kill(), 5_000);
      await ended;
      clearTimeout(timer);
    },
  };
}
