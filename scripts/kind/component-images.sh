#!/usr/bin/env bash
# Builds, from the locally built binaries, every image the cluster runs, under the exact names
# kubeadm and kind expect (so nothing is ever pulled), and saves them into one tar that
# node-image.sh preloads into the node image:
#   registry.k8s.io/{kube-apiserver,kube-controller-manager,kube-scheduler}  FROM scratch
#   registry.k8s.io/kube-proxy      on the Debian net-tools base: it runs iptables and conntrack
#   registry.k8s.io/etcd            FROM scratch, etcd + etcdctl
#   registry.k8s.io/coredns/coredns FROM scratch, ENTRYPOINT /coredns like upstream
#   registry.k8s.io/pause           FROM scratch, also tagged 3.10 (kind's containerd sandbox_image)
#   rebound/cni-lite:v1             the pod network (cni-lite/), on the net-tools base
# The name list is checked against `kubeadm config images list`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

KUBE_IMAGES=(kube-apiserver kube-controller-manager kube-scheduler kube-proxy)
ETCD_IMAGE=registry.k8s.io/etcd:${ETCD_VERSION#v}-0
COREDNS_IMAGE=registry.k8s.io/coredns/coredns:$COREDNS_VERSION
PAUSE_IMAGE=registry.k8s.io/pause:$PAUSE_VERSION
KIND_SANDBOX_IMAGE=registry.k8s.io/pause:3.10
CNI_IMAGE=rebound/cni-lite:v1
NET_TOOLS_IMAGE=rebound/kind-net-tools:$DEBIAN_SUITE

TAR=$KIND_WORK/preload-images.tar
CONTEXTS=$KIND_WORK/image-contexts
SIGNATURE=$(signature "$0" "$KIND_SCRIPTS/cni-lite/cni-lite.sh" "$(image_signature "$NET_TOOLS_IMAGE")" \
  "$KIND_STAMPS/kubernetes" "$KIND_STAMPS/etcd" "$KIND_STAMPS/coredns" "$KIND_STAMPS/pause")

is_current() { stamp_is component-images "$SIGNATURE" && [ -s "$TAR" ]; }

# image [--entrypoint JSON] [--user UID:GID] REF BASE FILE…: an image of BASE plus FILEs (a bare
# name is a binary in $KIND_BIN, anything with a slash a path) in /usr/local/bin. kubeadm's static pods run `kube-apiserver …`, `etcd …` by
# bare name, hence PATH.
image() {
  local extra=()
  while [ "${1:0:2}" = -- ]; do
    case "$1" in
      --entrypoint) extra+=("ENTRYPOINT $2") ;;
      --user) extra+=("USER $2") ;;
    esac
    shift 2
  done
  local ref=$1 base=$2; shift 2
  local context; context=$CONTEXTS/$(echo "$ref" | tr '/:' '__')
  rm -rf "$context"; mkdir -p "$context"
  {
    echo "FROM $base"
    local file name
    for file in "$@"; do
      case "$file" in */*) ;; *) file=$KIND_BIN/$file ;; esac
      name=$(basename "$file"); cp "$file" "$context/$name"
      echo "COPY $name /usr/local/bin/$name"
    done
    echo "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    printf '%s\n' "${extra[@]}"
    echo "LABEL $SIGNATURE_LABEL=$SIGNATURE"
  } > "$context/Dockerfile"
  docker build -q -t "$ref" "$context"
}

check_names_against_kubeadm() {
  local wanted ours
  wanted=$("$KIND_BIN/kubeadm" config images list --kubernetes-version "$KUBERNETES_VERSION" | sort)
  ours=$({ printf "registry.k8s.io/%s:$KUBERNETES_VERSION\n" "${KUBE_IMAGES[@]}"
    printf '%s\n' "$ETCD_IMAGE" "$COREDNS_IMAGE" "$PAUSE_IMAGE"; } | sort)
  if [ "$wanted" != "$ours" ]; then
    echo "kubeadm wants:"; echo "$wanted"; echo "we build:"; echo "$ours"
    die "image names differ from kubeadm's list: update the versions in scripts/kind/versions.sh"
  fi
}

build() {
  check_names_against_kubeadm
  local name
  for name in kube-apiserver kube-controller-manager kube-scheduler; do
    image "registry.k8s.io/$name:$KUBERNETES_VERSION" scratch "$name"
  done
  image "registry.k8s.io/kube-proxy:$KUBERNETES_VERSION" "$NET_TOOLS_IMAGE" kube-proxy
  image "$ETCD_IMAGE" scratch etcd etcdctl
  # kubeadm's CoreDNS Deployment passes only args (-conf …): the binary is the ENTRYPOINT upstream.
  image --entrypoint '["/usr/local/bin/coredns"]' "$COREDNS_IMAGE" scratch coredns
  # The sandbox runs the image's ENTRYPOINT; upstream's pause runs as 65535 too.
  image --entrypoint '["/usr/local/bin/pause"]' --user 65535:65535 "$PAUSE_IMAGE" scratch pause
  docker tag "$PAUSE_IMAGE" "$KIND_SANDBOX_IMAGE"
  image --entrypoint '["/usr/local/bin/cni-lite.sh"]' "$CNI_IMAGE" "$NET_TOOLS_IMAGE" \
    "$KIND_SCRIPTS/cni-lite/cni-lite.sh" kubectl
  local all=()
  for name in "${KUBE_IMAGES[@]}"; do all+=("registry.k8s.io/$name:$KUBERNETES_VERSION"); done
  all+=("$ETCD_IMAGE" "$COREDNS_IMAGE" "$PAUSE_IMAGE" "$KIND_SANDBOX_IMAGE" "$CNI_IMAGE")
  docker save -o "$TAR.tmp" "${all[@]}"
  mv "$TAR.tmp" "$TAR"
  ls -la "$TAR"
  rm -rf "$CONTEXTS"   # copies of the binaries; the images and the tar are the products
  stamp_set component-images "$SIGNATURE"
}

step_main "$@"
