#!/usr/bin/env bash
# rebound's kind cluster, built with no container registry: only Debian's apt, the Go module proxy
# and the local Docker engine. How it is made: scripts/kind/README.md.
#
#   scripts/kind-cluster.sh up      build what is missing (cached under $REBOUND_CACHE/kind/<versions>/),
#                                   create the cluster "rebound" unless it is already healthy,
#                                   load the demo app, fault-tools and rebound images, install metrics-server. Idempotent.
#   scripts/kind-cluster.sh down    delete the cluster (the cache stays)
#   scripts/kind-cluster.sh env     print the exports the tests and rebound read (eval "$(… env)")
#   scripts/kind-cluster.sh status  one line per node; exit 0 iff the cluster is healthy
set -euo pipefail
source "$(dirname "$0")/kind/lib.sh"
source "$KIND_SCRIPTS/cluster-lib.sh"

DEMO_IMAGE=${REBOUND_DEMO_IMAGE:-rebound/demo-app:v1}
# The network and resource faults' helper image (fault-tools-image.sh), loaded into every node.
FAULT_TOOLS_IMAGE=rebound/fault-tools:$FAULT_TOOLS_TAG

# --- progress, timings, failures -------------------------------------------------------------------
now_ms() { date +%s%3N; }
seconds_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }
TIMINGS=()
record() { TIMINGS+=("$(printf '%-22s %8s  %s' "$1" "$2" "$3")"); }

step_failed() {
  local name=$1 log=$2 rc=$3
  printf '\033[31m[rebound setup] step "%s" failed (exit %s). Last lines of %s:\033[0m\n' "$name" "$rc" "$log" >&2
  tail -n 25 "$log" | sed 's/^/    /' >&2
  die "kind cluster: step \"$name\" failed; full log: $log"
}

# run_step NAME SCRIPT: a build step of scripts/kind/ (see the step protocol in kind/lib.sh).
run_step() {
  local name=$1 script=$KIND_SCRIPTS/$2 log=$KIND_LOGS/$1.log
  if bash "$script" --check 2>/dev/null; then record "$name" - cached; say "  ✓ $name (cached)"; return 0; fi
  say "  … $name (log: $log)"
  local start rc=0; start=$(now_ms)
  bash "$script" > "$log" 2>&1 || rc=$?
  [ "$rc" = 0 ] || step_failed "$name" "$log" "$rc"
  record "$name" "$(seconds_since "$start")s" built; say "  ✓ $name ($(seconds_since "$start") s)"
}

# run_phase NAME COMMAND…: a step that is not a cached product (docker, cluster creation, waits).
run_phase() {
  run_phase_keep_going "$@" || step_failed "$FAILED_PHASE" "$KIND_LOGS/$FAILED_PHASE.log" "$FAILED_RC"
}
# The same, but a failure is returned to the caller, who still has cleaning up to do.
FAILED_PHASE=""
FAILED_RC=""
run_phase_keep_going() {
  local name=$1 log=$KIND_LOGS/$1.log; shift
  local start rc=0; start=$(now_ms)
  "$@" > "$log" 2>&1 || rc=$?
  if [ "$rc" != 0 ]; then FAILED_PHASE=$name; FAILED_RC=$rc; return "$rc"; fi
  record "$name" "$(seconds_since "$start")s" "done"; say "  ✓ $name ($(seconds_since "$start") s)"
}

# The Kubernetes build takes most of a cold run; it runs in the background from the start so that
# debootstrap, apt and the smaller Go builds overlap it. Own process group (setsid), so an
# interrupted `up` can stop the whole `go build` tree and leaves nothing running.
BACKGROUND_PID=""
BACKGROUND_START=""
start_background_step() {
  local name=$1 script=$KIND_SCRIPTS/$2
  if bash "$script" --check 2>/dev/null; then record "$name" - cached; say "  ✓ $name (cached)"; return 0; fi
  say "  … $name, in the background (log: $KIND_LOGS/$name.log)"
  BACKGROUND_START=$(now_ms)
  setsid bash "$script" > "$KIND_LOGS/$name.log" 2>&1 &
  BACKGROUND_PID=$!
}
wait_background_step() {
  local name=$1 rc=0
  [ -n "$BACKGROUND_PID" ] || return 0
  say "  … waiting for $name"
  wait "$BACKGROUND_PID" || rc=$?
  BACKGROUND_PID=""
  [ "$rc" = 0 ] || step_failed "$name" "$KIND_LOGS/$name.log" "$rc"
  # It may have finished long before this wait: its log was last written when it did.
  local took; took=$(( $(stat -c %Y "$KIND_LOGS/$name.log") - BACKGROUND_START / 1000 ))
  record "$name" "${took}s" "built (background)"
  say "  ✓ $name (${took} s)"
}
stop_background_step() {
  if [ -n "$BACKGROUND_PID" ]; then kill -- "-$BACKGROUND_PID" 2>/dev/null || true; fi
}

# --- prerequisites ---------------------------------------------------------------------------------
check_go() {
  command -v go >/dev/null || die "Go >= 1.24 is needed to build Kubernetes 1.34 (Debian 12's golang-go is 1.19): install it in /usr/local/go"
  local version; version=$(go env GOVERSION | sed 's/^go//')
  [ "$(printf '%s\n' 1.24 "$version" | sort -V | head -n 1)" = 1.24 ] ||
    die "Go $version is too old: Kubernetes $KUBERNETES_VERSION needs Go >= 1.24"
}

# --- the cluster ----------------------------------------------------------------------------------
ensure_cluster() {
  if cluster_exists; then
    kind_ export kubeconfig --name "$CLUSTER_NAME" --kubeconfig "$KUBECONFIG_FILE" >/dev/null 2>&1 || true
    local since started; since=$(date +%s)
    started=$(start_stopped_nodes)
    if [ -n "$started" ]; then
      say "  … started stopped node containers: $(tr '\n' ' ' <<< "$started"); waiting up to 120 s for their kubelets"
      # shellcheck disable=SC2086  # one argument per node name
      wait_kubelets_back "$since" $started >/dev/null 2>&1 || true
    fi
    if ! config_current; then
      say "  … cluster $CLUSTER_NAME was created from another scripts/kind/cluster.yaml or node image: recreating it"
      run_phase delete-outdated-cluster delete_cluster
    elif cluster_status >/dev/null; then
      say "  ✓ cluster $CLUSTER_NAME is up and healthy: kept"
      record cluster - kept
      return 0
    else
      say "  … cluster $CLUSTER_NAME is unhealthy: recreating it"
      cluster_status | sed 's/^/      /' >&2 || true
      run_phase delete-unhealthy-cluster delete_cluster
    fi
  fi
  if run_phase_keep_going kind-create create_cluster &&
    run_phase_keep_going wait-nodes-ready wait_nodes_ready &&
    run_phase_keep_going wait-system-pods wait_system_pods; then
    return 0
  fi
  local logs; logs=$(export_cluster_logs || true)
  [ -z "$logs" ] || say "node logs exported to $logs"
  delete_cluster >/dev/null 2>&1 || true
  step_failed "$FAILED_PHASE" "$KIND_LOGS/$FAILED_PHASE.log" "$FAILED_RC"
}

# --- commands -------------------------------------------------------------------------------------
cmd_up() {
  mkdir -p "$REBOUND_CACHE/kind"
  # Two `up`s at once (two terminals, a test run) would build the same products twice and race
  # on `kind create`: the second waits for the first.
  exec 9> "$REBOUND_CACHE/kind/.up.lock"
  if ! flock -n 9; then say "another kind-cluster.sh up is running; waiting for it"; flock 9; fi
  trap stop_background_step EXIT
  local start; start=$(now_ms)
  say "kind cluster $CLUSTER_NAME: Kubernetes $KUBERNETES_VERSION, kind $KIND_VERSION (cache: $KIND_CACHE)"

  run_phase docker-engine bash "$REBOUND_ROOT/scripts/ensure-docker.sh"
  apt_install debootstrap jq gcc libc6-dev iproute2
  check_go

  start_background_step kubernetes build-kubernetes.sh
  # I/O- and network-bound steps first (they overlap the CPU-bound Kubernetes build best),
  # then the smaller Go builds.
  run_step debian-rootfs debian-rootfs.sh
  run_step node-base-image node-base-image.sh
  run_step net-tools-image net-tools-image.sh
  run_step toxiproxy build-toxiproxy.sh
  run_step fault-tools-image fault-tools-image.sh
  run_step kind build-kind.sh
  run_step crictl build-crictl.sh
  run_step pause build-pause.sh
  run_step etcd build-etcd.sh
  run_step coredns build-coredns.sh
  run_step metrics-server build-metrics-server.sh
  run_phase demo-app-image bash "$REBOUND_ROOT/scripts/build-demo-image.sh"
  wait_background_step kubernetes
  run_step component-images component-images.sh
  run_step node-image node-image.sh

  ensure_cluster
  # kind compares image IDs: an image already on every node is not copied again.
  run_phase load-demo-image kind_ load docker-image "$DEMO_IMAGE" --name "$CLUSTER_NAME"
  run_phase load-fault-tools-image kind_ load docker-image "$FAULT_TOOLS_IMAGE" --name "$CLUSTER_NAME"
  run_phase metrics-server install_metrics_server
  # rebound's own image (cluster load workers, rebound as a Job): rebuilt only when its source changed.
  run_phase rebound-image bash "$REBOUND_ROOT/scripts/build-rebound-image.sh"
  run_phase load-rebound-image kind_ load docker-image "$(bash "$REBOUND_ROOT/scripts/build-rebound-image.sh" --tag)" --name "$CLUSTER_NAME"

  local total; total=$(seconds_since "$start")
  {
    echo "== $(date -u +%FT%TZ) kind-cluster.sh up: ${total}s"
    printf '   %s\n' "${TIMINGS[@]}"
  } >> "$KIND_LOGS/timings.log"
  say "kind cluster $CLUSTER_NAME is up (${total} s). Per step:"
  printf '    %s\n' "${TIMINGS[@]}" >&2
  cluster_status | sed 's/^/    /' >&2
  say "use it: eval \"\$($0 env)\""
}

cmd_down() {
  if ! cluster_exists; then say "cluster $CLUSTER_NAME does not exist"; rm -f "$KUBECONFIG_FILE"; return 0; fi
  delete_cluster
  say "cluster $CLUSTER_NAME deleted (build cache kept in $KIND_CACHE)"
}

cmd_env() {
  printf 'export REBOUND_KUBECONFIG=%q\n' "$KUBECONFIG_FILE"
  printf 'export REBOUND_KUBE_CONTEXT=%q\n' "kind-$CLUSTER_NAME"
  printf 'export REBOUND_KIND_CLUSTER=%q\n' "$CLUSTER_NAME"
  printf 'export REBOUND_KIND_BIN=%q\n' "$KIND_BIN/kind"
  printf 'export REBOUND_KUBECTL_BIN=%q\n' "$KIND_BIN/kubectl"
  # shellcheck disable=SC2016  # $PATH is expanded by the shell that evals this output
  printf 'export PATH=%q:"$PATH"\n' "$KIND_BIN"
  [ -f "$KUBECONFIG_FILE" ] || say "warning: $KUBECONFIG_FILE does not exist yet: run $0 up"
}

cmd_status() { cluster_status; }

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  env) cmd_env ;;
  status) cmd_status ;;
  *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
