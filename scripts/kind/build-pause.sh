#!/usr/bin/env bash
# Builds the pause binary (every pod's sandbox) from Kubernetes' own source, build/pause/linux/pause.c
# in the k8s.io/kubernetes module, with Debian's gcc: static, so it runs FROM scratch.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SIGNATURE=$(signature "$PAUSE_VERSION" "$KUBERNETES_VERSION" "$0")
is_current() { stamp_is pause "$SIGNATURE" && [ -x "$KIND_BIN/pause" ]; }
build() {
  local source_dir; source_dir=$(go_module_dir "k8s.io/kubernetes@$KUBERNETES_VERSION")
  gcc -Os -Wall -Werror -static -DVERSION="v$PAUSE_VERSION-rebound" -o "$KIND_BIN/pause" "$source_dir/build/pause/linux/pause.c"
  strip "$KIND_BIN/pause"
  "$KIND_BIN/pause" -v
  stamp_set pause "$SIGNATURE"
}
step_main "$@"
