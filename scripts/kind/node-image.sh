#!/usr/bin/env bash
# Assembles the kind node image rebound/kind-node:<Kubernetes version> by hand, the way kind's own
# builders do (`kind build node-image` itself cannot run here: it pulls kindest/base and the
# Kubernetes release images from registries):
#   1. the node base (node-base-image.sh) + kind's own base files from its module source
#      (images/base/files: entrypoint, /kind/bin, kubelet and containerd units, containerd config)
#      + kubeadm, kubelet, kubectl, crictl + the cni-lite manifest as kind's default CNI;
#   2. preload: containerd runs in a container of that stage image and imports every image the
#      cluster runs (component-images.sh), pinned, as kind's nodeimage builder does; then
#      `docker commit` makes the node image.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

BASE_IMAGE=rebound/kind-node-base:$DEBIAN_SUITE
STAGE_IMAGE=rebound/kind-node-stage:$KUBERNETES_VERSION
BUILD_CONTAINER=rebound-kind-node-build
CONTEXT=$KIND_WORK/node-image-context
SIGNATURE=$(signature "$0" "$KIND_VERSION" "$KIND_SCRIPTS/cni-lite/default-cni.yaml" "$(image_signature "$BASE_IMAGE")" \
  "$KIND_STAMPS/component-images" "$KIND_STAMPS/kubernetes" "$KIND_STAMPS/crictl")

is_current() { image_is "$NODE_IMAGE" "$SIGNATURE"; }

write_context() {
  local kind_source; kind_source=$(go_module_dir "sigs.k8s.io/kind@$KIND_VERSION")
  rm -rf "$CONTEXT"; mkdir -p "$CONTEXT/bin"
  cp -r "$kind_source/images/base/files" "$CONTEXT/files"
  # The module cache is read-only; the classic builder has no COPY --chmod, so set kind's modes here.
  chmod -R u+w,a+rX "$CONTEXT/files"
  find "$CONTEXT/files" -type f -exec chmod 0644 {} +
  chmod 0755 "$CONTEXT"/files/usr/local/bin/* "$CONTEXT"/files/kind/bin/*
  local config=$CONTEXT/files/etc/containerd/config.toml
  # Pod sandboxes otherwise fail with "write /proc/self/oom_score_adj: permission denied": containerd
  # lowers the shim's oom_score_adj, which needs CAP_SYS_RESOURCE, and this host's capability
  # bounding set lacks it (scripts/docker/runc-drop-missing-caps drops it from the node containers).
  # kind sets it to true itself for rootless nodes, for the same reason.
  sed -i 's/^\(\s*restrict_oom_score_adj\s*=\s*\)false/\1true/' "$config"
  grep -q 'restrict_oom_score_adj = true' "$config" || die "could not set restrict_oom_score_adj in $config"
  # The fuse-overlayfs snapshotter is for rootless nodes and is not installed: drop its proxy
  # plugin and its unit, so containerd does not try to reach a socket nobody serves.
  sed -i '/^\[proxy_plugins\]/,/^$/d' "$config"
  if grep -q fuse-overlayfs "$config"; then die "could not remove the fuse-overlayfs plugin from $config"; fi
  rm -f "$CONTEXT/files/etc/systemd/system/containerd-fuse-overlayfs.service"
  mkdir -p "$CONTEXT/files/kind/manifests"
  cp "$KIND_SCRIPTS/cni-lite/default-cni.yaml" "$CONTEXT/files/kind/manifests/default-cni.yaml"
  cp "$KIND_BIN/kubeadm" "$KIND_BIN/kubelet" "$KIND_BIN/kubectl" "$KIND_BIN/crictl" "$CONTEXT/bin/"
  cat > "$CONTEXT/Dockerfile" <<EOF
FROM $BASE_IMAGE
COPY files/ /
COPY bin/kubeadm bin/kubelet bin/kubectl /usr/bin/
COPY bin/crictl /usr/local/bin/
# kind's units and scripts expect containerd in /usr/local/bin and CNI plugins in /opt/cni/bin;
# Debian installs them in /usr/bin and /usr/lib/cni.
# cri-base.json: the OCI spec template kind's containerd config names, made as kind makes it.
RUN ln -sf /usr/bin/containerd /usr/local/bin/containerd \\
 && ln -sf /usr/bin/ctr /usr/local/bin/ctr \\
 && ln -sf /usr/bin/containerd-shim-runc-v2 /usr/local/bin/containerd-shim-runc-v2 \\
 && mkdir -p /opt/cni && rm -rf /opt/cni/bin && ln -s /usr/lib/cni /opt/cni/bin \\
 && ctr oci spec \\
    | jq '.hooks.createContainer[.hooks.createContainer | length] |= . + {"path": "/kind/bin/mount-product-files.sh"}' \\
    | jq 'del(.process.rlimits)' > /etc/containerd/cri-base.json \\
 && systemctl enable kubelet.service containerd.service undo-mount-hacks.service \\
 && systemctl mask systemd-binfmt.service \\
 && mkdir -p /etc/kubernetes/manifests /etc/cni/net.d \\
 && echo -n "$KUBERNETES_VERSION" > /kind/version
ENV container=docker
STOPSIGNAL SIGRTMIN+3
ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]
EOF
}

# containerd 1.6's ctr has no `info` subcommand (kind's builder waits on it): wait on `ctr version`.
preload_images() {
  docker rm -f "$BUILD_CONTAINER" >/dev/null 2>&1 || true
  trap 'docker rm -f "$BUILD_CONTAINER" >/dev/null 2>&1 || true' EXIT
  docker run -d --privileged --name "$BUILD_CONTAINER" --entrypoint sleep "$STAGE_IMAGE" infinity
  docker exec "$BUILD_CONTAINER" bash -c 'containerd > /var/log/containerd-preload.log 2>&1 & echo $! > /run/containerd-preload.pid'
  docker exec "$BUILD_CONTAINER" bash -c 'for _ in $(seq 1 60); do ctr version >/dev/null 2>&1 && exit 0; sleep 0.5; done
    cat /var/log/containerd-preload.log; exit 1'
  docker exec -i "$BUILD_CONTAINER" ctr --namespace=k8s.io images import --label=io.cri-containerd.pinned=pinned \
    --all-platforms --no-unpack --digests - < "$KIND_WORK/preload-images.tar"
  docker exec "$BUILD_CONTAINER" ctr --namespace=k8s.io images ls -q
  # Stop containerd cleanly (it writes its metadata database on the way out) before committing.
  # The container's PID 1 is `sleep`, which never reaps: the exited containerd stays a zombie, so
  # wait for state Z (or gone), not for `kill -0` to fail.
  docker exec "$BUILD_CONTAINER" bash -c 'pid=$(cat /run/containerd-preload.pid); kill "$pid"
    while [ -e "/proc/$pid" ] && ! grep -q "^State:\s*Z" "/proc/$pid/status"; do sleep 0.2; done
    rm -f /run/containerd-preload.pid /var/log/containerd-preload.log'
  docker commit \
    --change 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' \
    --change "LABEL $SIGNATURE_LABEL=$SIGNATURE" \
    "$BUILD_CONTAINER" "$NODE_IMAGE"
  docker rm -f "$BUILD_CONTAINER" >/dev/null
  trap - EXIT
}

build() {
  write_context
  docker build -t "$STAGE_IMAGE" "$CONTEXT"
  rm -rf "$CONTEXT"
  preload_images
  docker image ls "$NODE_IMAGE"
}

step_main "$@"
