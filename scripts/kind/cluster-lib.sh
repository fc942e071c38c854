# shellcheck shell=bash
# The cluster's life cycle: is it there and healthy, create it, wait for it, delete it.
# Sourced by scripts/kind-cluster.sh after lib.sh.

NODE_COUNT=3   # cluster.yaml: 1 control plane + 2 workers
NODE_PORTS=(30080 30081 30082 30083 30084 30085 30086 30087 30088 30089)

kind_() { "$KIND_BIN/kind" "$@"; }
kubectl_() { "$KIND_BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" --context "kind-$CLUSTER_NAME" "$@"; }

# The cluster's node containers, by kind's own label (works without the kind binary).
node_containers() { docker ps -a --filter "label=io.x-k8s.kind.cluster=$CLUSTER_NAME" --format '{{.Names}}' | sort; }
cluster_exists() { [ -n "$(node_containers)" ]; }

# One line per node: name, container state, Ready condition, kubelet version, image.
# Exit 0 iff every node container runs and every node is Ready.
cluster_status() {
  local containers; containers=$(node_containers)
  if [ -z "$containers" ]; then echo "cluster $CLUSTER_NAME: not created"; return 1; fi
  local ready_by_node=""
  [ -f "$KUBECONFIG_FILE" ] && ready_by_node=$(kubectl_ get nodes --request-timeout 5s --no-headers -o \
    'custom-columns=NAME:.metadata.name,READY:.status.conditions[?(@.type=="Ready")].status,VERSION:.status.nodeInfo.kubeletVersion' 2>/dev/null || true)
  local healthy=0 count=0 name state ready version
  for name in $containers; do
    count=$((count + 1))
    state=$(docker inspect -f '{{.State.Status}}' "$name" 2>/dev/null || echo missing)
    read -r _ ready version <<< "$(awk -v n="$name" '$1 == n' <<< "$ready_by_node")"
    case "$ready" in True) ready=Ready ;; False|Unknown) ready=NotReady ;; *) ready="not registered or API unreachable" ;; esac
    printf '%-24s container=%-8s %-10s %s\n' "$name" "$state" "$ready" "${version:-}"
    [ "$state" = running ] && [ "$ready" = Ready ] || healthy=1
  done
  [ "$count" = "$NODE_COUNT" ] || { echo "cluster $CLUSTER_NAME has $count node containers, expected $NODE_COUNT"; healthy=1; }
  return "$healthy"
}

# Node containers stopped by a test (or by a restart of dockerd) are started again: kind runs them
# with --restart=on-failure:1, and `docker stop`/`docker kill` count as manual stops, which the
# restart policy never undoes. Prints the names of the nodes it started.
start_stopped_nodes() {
  local name
  for name in $(node_containers); do
    if [ "$(docker inspect -f '{{.State.Running}}' "$name")" != true ]; then
      docker start "$name" >/dev/null && echo "$name"
    fi
  done
}

# wait_kubelets_back SINCE NODE…: until each node's kubelet has renewed its Lease after SINCE (epoch
# seconds), then until all nodes are Ready. Waiting for Ready alone is not enough: a node stopped
# for less than node-monitor-grace-period (20 s) still reads Ready from before it stopped.
wait_kubelets_back() {
  local since=$1 node renewed deadline=$((SECONDS + 120)); shift
  for node in "$@"; do
    while :; do
      renewed=$(kubectl_ -n kube-node-lease get lease "$node" -o jsonpath='{.spec.renewTime}' 2>/dev/null || true)
      [ -n "$renewed" ] && [ "$(date -d "$renewed" +%s)" -ge "$since" ] && break
      [ "$SECONDS" -lt "$deadline" ] || return 1
      sleep 1
    done
  done
  wait_nodes_ready "$((deadline - SECONDS > 1 ? deadline - SECONDS : 1))s"
}

# Host ports the cluster publishes must be free, or `kind create` fails half-way with a Docker error.
check_ports_free() {
  local port busy=()
  for port in "${NODE_PORTS[@]}"; do
    [ -z "$(ss -Hltn "sport = :$port")" ] || busy+=("$port")
  done
  [ ${#busy[@]} = 0 ] || die "host ports ${busy[*]} are in use (ss -ltn); kind publishes NodePorts 30080-30089 on 127.0.0.1"
}

# What the cluster was created from: its config file and node image. A healthy cluster created from
# anything else is recreated by `up`, so a change to cluster.yaml reaches every machine (CI's too).
CONFIG_STAMP=$REBOUND_CACHE/kind/$CLUSTER_NAME.created-from
config_fingerprint() {
  { sha256sum < "$KIND_SCRIPTS/cluster.yaml"; docker image inspect -f '{{.Id}}' "$NODE_IMAGE" 2>/dev/null; } | sha256sum | cut -c1-16
}
config_current() { [ -f "$CONFIG_STAMP" ] && [ "$(cat "$CONFIG_STAMP")" = "$(config_fingerprint)" ]; }

create_cluster() {
  check_ports_free
  rm -f "$CONFIG_STAMP"
  # --retain keeps failed nodes for `kind export logs`; --wait 0s because the waits below are
  # timed one by one.
  kind_ create cluster --name "$CLUSTER_NAME" --image "$NODE_IMAGE" --config "$KIND_SCRIPTS/cluster.yaml" \
    --kubeconfig "$KUBECONFIG_FILE" --retain --wait 0s
  config_fingerprint > "$CONFIG_STAMP"
}

wait_nodes_ready() { kubectl_ wait --for=condition=Ready nodes --all --timeout="${1:-300s}"; }
wait_system_pods() {
  kubectl_ -n kube-system rollout status daemonset/cni-lite --timeout=300s
  kubectl_ -n kube-system rollout status daemonset/kube-proxy --timeout=300s
  kubectl_ -n kube-system rollout status deployment/coredns --timeout=300s
}

# metrics-server (build-metrics-server.sh, metrics-server.yaml): the image into the nodes, the
# manifest applied, then until the metrics API answers. Warm, each part is a no-op: kind compares
# image IDs, apply reports "unchanged", and an Available APIService passes the wait at once.
# The APIService comes last, once kube-proxy on the control plane forwards the Service's ClusterIP:
# the API server's first discovery request to a ClusterIP kube-proxy has not programmed yet leaves
# the node by its default route (the Docker host), and its HTTP/2 connection then stays there —
# seen here: every check answered 404 by something outside the cluster, none reached metrics-server,
# the APIService never became Available (FailedDiscoveryCheck) and namespace deletion stalled.
METRICS_SERVER_MANIFEST=$KIND_SCRIPTS/metrics-server.yaml
METRICS_SERVER_APISERVICE=$KIND_SCRIPTS/metrics-server-apiservice.yaml
install_metrics_server() {
  grep -q "image: $METRICS_SERVER_IMAGE\$" "$METRICS_SERVER_MANIFEST" ||
    die "$METRICS_SERVER_MANIFEST does not name $METRICS_SERVER_IMAGE (versions.sh): make them agree"
  kind_ load docker-image "$METRICS_SERVER_IMAGE" --name "$CLUSTER_NAME"
  kubectl_ apply -f "$METRICS_SERVER_MANIFEST"
  kubectl_ -n kube-system rollout status deployment/metrics-server --timeout=180s
  wait_service_forwarded kube-system metrics-server
  kubectl_ apply -f "$METRICS_SERVER_APISERVICE"
  kubectl_ wait --for=condition=Available apiservice/v1beta1.metrics.k8s.io --timeout=120s
}

# wait_service_forwarded NAMESPACE SERVICE: until kube-proxy's iptables rules on the control-plane
# node send the Service's ClusterIP to a pod (read from the node; no traffic is sent).
wait_service_forwarded() {
  local ip chain deadline=$((SECONDS + 60))
  ip=$(kubectl_ -n "$1" get service "$2" -o jsonpath='{.spec.clusterIP}')
  while :; do
    chain=$(docker exec "$CLUSTER_NAME-control-plane" iptables -t nat -S KUBE-SERVICES 2>/dev/null |
      awk -v ip="$ip/32" '$4 == ip { for (i = 1; i < NF; i++) if ($i == "-j") print $(i + 1) }' | head -n 1)
    if [ -n "$chain" ] && docker exec "$CLUSTER_NAME-control-plane" iptables -t nat -S "$chain" 2>/dev/null | grep -q -- '-j KUBE-SEP-'; then
      return 0
    fi
    [ "$SECONDS" -lt "$deadline" ] || die "kube-proxy on $CLUSTER_NAME-control-plane does not forward Service $1/$2 ($ip) after 60 s"
    sleep 1
  done
}

# Collects every node's logs (journal, containerd, kubelet, pods) next to the step logs.
export_cluster_logs() {
  local dir; dir=$KIND_LOGS/kind-export-$(date +%Y%m%d-%H%M%S)
  kind_ export logs "$dir" --name "$CLUSTER_NAME" >/dev/null 2>&1 && echo "$dir"
}

delete_cluster() {
  if [ -x "$KIND_BIN/kind" ]; then
    kind_ delete cluster --name "$CLUSTER_NAME" --kubeconfig "$KUBECONFIG_FILE"
  else
    # kind not built (cache removed): its node containers are all there is to remove.
    node_containers | xargs -r docker rm -f
  fi
  rm -f "$KUBECONFIG_FILE" "$CONFIG_STAMP"
}
