#!/bin/bash
# cni-lite: the offline cluster's pod network, a small stand-in for kind's kindnet (whose image
# needs a registry). Runs on every node as a hostNetwork DaemonSet pod (default-cni.yaml) and keeps
# three things true, checking every RESYNC_SECONDS:
#   1. this node's CNI config: ptp + host-local for the node's podCIDR, + portmap (Debian's
#      containernetworking-plugins in the node image);
#   2. a route to every other node's podCIDR via that node's InternalIP (all nodes share one
#      Docker network, so no encapsulation is needed);
#   3. masquerade for pod traffic that leaves the pod network;
#   4. the pod network unreachable by default: an address of it that no pod and no node route
#      holds (a pod just deleted) is refused on the node instead of following the default route to
#      the Docker host. Seen without it: kube-proxy's conntrack entry kept the API server's HTTP/2
#      connection to metrics-server DNATed to the replaced pod's address, the packets went to the
#      Docker host, and something there answered every discovery check with 404, for good. Routes
#      to live pods (/32 on their veth) and to other nodes' podCIDRs are more specific and win.
# Re-checking (rather than doing it once) is the point: a node container that is stopped and
# started again comes back with an empty routing table, and its pods lose DNS until routes return.
# No `set -e`: a failed API call must not end the loop; the next round retries.
set -uo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

: "${NODE_NAME:?set from the pod spec (spec.nodeName)}"
POD_SUBNET=${POD_SUBNET:-10.244.0.0/16}
RESYNC_SECONDS=${RESYNC_SECONDS:-5}
CNI_CONFIG=/etc/cni/net.d/10-cni-lite.conflist
SERVICE_ACCOUNT=/var/run/secrets/kubernetes.io/serviceaccount
# kind patches CONTROL_PLANE_ENDPOINT into the manifest (as for kindnet): the API server is reachable
# before kube-proxy has programmed the kubernetes Service, which itself needs pod networking.
API_SERVER=https://${CONTROL_PLANE_ENDPOINT:-$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT}

log() { echo "$(date -u +%H:%M:%S) $*"; }

# One line per node: name podCIDR InternalIP.
list_nodes() {
  kubectl --server "$API_SERVER" --certificate-authority "$SERVICE_ACCOUNT/ca.crt" \
    --token "$(cat "$SERVICE_ACCOUNT/token")" --request-timeout 10s get nodes -o \
    jsonpath='{range .items[*]}{.metadata.name} {.spec.podCIDR} {.status.addresses[?(@.type=="InternalIP")].address}{"\n"}{end}'
}

write_cni_config() {
  local pod_cidr=$1 wanted
  wanted=$(cat <<EOF
{
  "cniVersion": "0.4.0",
  "name": "cni-lite",
  "plugins": [
    {
      "type": "ptp",
      "ipMasq": false,
      "mtu": 1500,
      "ipam": {
        "type": "host-local",
        "dataDir": "/run/cni-lite-ipam",
        "ranges": [[{ "subnet": "$pod_cidr" }]],
        "routes": [{ "dst": "0.0.0.0/0" }]
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
)
  [ "$(cat "$CNI_CONFIG" 2>/dev/null)" = "$wanted" ] && return 0
  # Write then rename: containerd watches the directory and must never read half a file.
  printf '%s\n' "$wanted" > "$CNI_CONFIG.tmp" && mv "$CNI_CONFIG.tmp" "$CNI_CONFIG" && log "wrote $CNI_CONFIG for $pod_cidr"
}

ensure_route() {
  local pod_cidr=$1 node_ip=$2
  ip route show "$pod_cidr" | grep -q "via $node_ip " && return 0
  ip route replace "$pod_cidr" via "$node_ip" && log "route $pod_cidr via $node_ip"
}

ensure_unreachable() {
  ip route show type unreachable "$POD_SUBNET" | grep -q . && return 0
  ip route replace unreachable "$POD_SUBNET" && log "route unreachable $POD_SUBNET (addresses no pod holds)"
}

ensure_masquerade() {
  local rule=(-s "$POD_SUBNET" ! -d "$POD_SUBNET" -j MASQUERADE)
  iptables -w -t nat -C POSTROUTING "${rule[@]}" 2>/dev/null && return 0
  iptables -w -t nat -A POSTROUTING "${rule[@]}" && log "masquerading $POD_SUBNET to outside"
}

log "cni-lite on $NODE_NAME: pod network $POD_SUBNET, API server $API_SERVER"
while true; do
  if nodes=$(list_nodes); then
    while read -r name pod_cidr node_ip; do
      [ -n "$pod_cidr" ] || continue   # the controller manager has not assigned one yet
      node_ip=${node_ip%% *}           # dual-stack nodes list two InternalIPs; use the first
      if [ "$name" = "$NODE_NAME" ]; then
        write_cni_config "$pod_cidr"
      elif [ -n "$node_ip" ]; then
        ensure_route "$pod_cidr" "$node_ip"
      fi
    done <<< "$nodes"
    ensure_unreachable
    ensure_masquerade
  else
    log "cannot list nodes from $API_SERVER; retrying in ${RESYNC_SECONDS}s"
  fi
  sleep "$RESYNC_SECONDS"
done
