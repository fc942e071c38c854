// The crash helper: bash run in an ephemeral container that shares the target container's PID
// namespace (targetContainerName), from the fault-tools image (bash, awk, grep, coreutils).
//
// Why it is not simply `kill -9 1`: the app is PID 1 of its namespace, and the kernel drops every
// signal sent to a namespace's init from inside that namespace unless the init installed a handler
// for it (kernel/signal.c, sig_task_ignored; SIGKILL and SIGSTOP only count from an ancestor
// namespace). Measured on kind: `kill -9 1` from the helper returns 0 and the app runs on. So:
// - the container's main process is not PID 1 (the pod has shareProcessNamespace: true, PID 1 is
//   the pause process): SIGKILL it, a crash exactly like the node route's (exit 137);
// - it is PID 1: send SIGQUIT, else SIGABRT, when PID 1 handles it (SigCgt in /proc/1/status).
//   The Go runtime's handler for both prints the goroutines and exits with code 2. A runtime whose
//   handler keeps the process alive (a JVM prints a thread dump) is found out: PID 1 survives;
//   one that exits cleanly (nginx's graceful quit) shows as exit code 0 in the report;
// - PID 1 handles neither: nothing from inside can end it; the helper says so and exits.
// When PID 1 ends, the kernel kills every process of its namespace, the helper too (exit 137).
//
// Its result is its exit code and one line in /dev/termination-log, which the kubelet puts in the
// ephemeral container's status (`state.terminated.message`): no pods/log permission needed.
export const CRASH_SCRIPT = `# rebound crash helper: $1 the container id, $2 seconds to wait for its end, $3 not after (epoch s)
cid=$1 wait_s=$2 not_after=$3
tell() { printf 'rebound-crash: %s\\n' "$*" > /dev/termination-log; printf 'rebound-crash: %s\\n' "$*"; }
now=$(date +%s)
# A helper the kubelet starts later than rebound waited for must not crash anything any more.
if [ "$now" -gt "$not_after" ]; then tell "too-late now=$now not-after=$not_after"; exit 14; fi
main= roots=
for dir in /proc/[0-9]*; do
  pid=\${dir#/proc/}
  [ "$pid" = "$BASHPID" ] && continue
  # Processes whose parent is outside the namespace (PPid 0): its init, and each container's first
  # process when the pod shares one namespace. The target's is the one in the container's cgroup.
  ppid=$(awk '/^PPid:/ { print $2 }' "$dir/status" 2>/dev/null) || continue
  [ "$ppid" = 0 ] || continue
  roots="$roots,$pid"
  grep -qs "$cid" "$dir/cgroup" && main=$pid
done
if [ -z "$main" ]; then
  if [ "$roots" = ",1" ]; then main=1; else tell "no-main-process roots=\${roots#,}"; exit 12; fi
fi
comm=$(cat "/proc/$main/comm" 2>/dev/null)
if [ "$main" != 1 ]; then
  kill -KILL "$main" 2>/dev/null || { tell "kill-failed signal=SIGKILL pid=$main comm=$comm"; exit 13; }
  tell "signalled signal=SIGKILL pid=$main comm=$comm"
  for _ in $(seq 1 $((wait_s * 10))); do [ -e "/proc/$main" ] || exit 0; sleep 0.1; done
  tell "survived signal=SIGKILL pid=$main wait=$wait_s comm=$comm"; exit 11
fi
caught=$(awk '/^SigCgt:/ { print $2 }' /proc/1/status)
for name in QUIT ABRT; do
  number=$(kill -l "$name")
  (( (16#$caught >> (number - 1)) & 1 )) || continue
  tell "signalled signal=SIG$name pid=1 comm=$comm"
  kill "-$name" 1 2>/dev/null || { tell "kill-failed signal=SIG$name pid=1 comm=$comm"; exit 13; }
  sleep "$wait_s"
  tell "survived signal=SIG$name pid=1 wait=$wait_s comm=$comm"; exit 11
done
tell "no-handler pid=1 caught=$caught comm=$comm"; exit 10
`;

/** What the helper reported: its termination message and exit code, read. */
export type CrashReport =
  | { outcome: 'signalled'; signal: string; pid: number; comm: string }
  | { outcome: 'survived'; signal: string; pid: number; comm: string; waitS: number }
  | { outcome: 'no-handler'; comm: string; caught: string }
  | { outcome: 'no-main-process'; roots: string }
  | { outcome: 'kill-failed'; signal: string; pid: number; comm: string }
  | { outcome: 'too-late' }
  | { outcome: 'unknown'; text: string };

/** Reads the helper's `rebound-crash: <outcome> key=value …` line (the termination message). */
export function parseCrashReport(message: string | undefined): CrashReport {
  const line = (message ?? '').split('\n').find((text) => text.startsWith('rebound-crash: '));
  if (line === undefined) return { outcome: 'unknown', text: (message ?? '').trim() };
  const text = line.slice('rebound-crash: '.length).trim();
  // comm (the process's name, which may hold spaces) comes last and takes the rest of the line.
  const commAt = text.indexOf(' comm=');
  const [outcome, ...pairs] = (commAt === -1 ? text : text.slice(0, commAt)).split(' ');
  const fields: Record<string, string> = Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
  if (commAt !== -1) fields.comm = text.slice(commAt + ' comm='.length);
  const pid = Number(fields.pid);
  const comm = fields.comm ?? '?';
  switch (outcome) {
    case 'signalled':
    case 'kill-failed':
      return { outcome, signal: fields.signal ?? '?', pid, comm };
    case 'survived':
      return { outcome, signal: fields.signal ?? '?', pid, comm, waitS: Number(fields.wait) };
    case 'no-handler':
      return { outcome, comm, caught: fields.caught ?? '?' };
    case 'no-main-process':
      return { outcome, roots: fields.roots ?? '' };
    case 'too-late':
      return { outcome };
    default:
      return { outcome: 'unknown', text: line };
  }
}
