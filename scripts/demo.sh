#!/usr/bin/env bash
# The flagship demo: the same crash and kill experiments on a Docker host and on a kind cluster,
# measured side by side. Sets up what it needs (idempotent), then runs rebound.
#   Docker:     web-no-restart (plain docker run) and web (restart: always), published on 127.0.0.1
#   Kubernetes: Deployment web (3 replicas) + NodePort 30080 on 127.0.0.1 + PDB, namespace rebound-demo
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/setup.sh)"
out=${REBOUND_DEMO_OUT:-out/demo}
mkdir -p "$out"

cleanup() { docker rm -f rebound-demo-no-restart rebound-demo-always >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup
docker run -d --name rebound-demo-no-restart -l app=web-no-restart -l rebound.dev/chaos=enabled \
  -p 127.0.0.1:18081:8080 rebound/demo-app:v1 >/dev/null
docker run -d --name rebound-demo-always --restart always -l app=web -l rebound.dev/chaos=enabled \
  -p 127.0.0.1:18082:8080 rebound/demo-app:v1 >/dev/null

kubectl=${REBOUND_KUBECTL_BIN:-kubectl}
"$kubectl" --kubeconfig "$REBOUND_KUBECONFIG" --context "$REBOUND_KUBE_CONTEXT" apply -f experiments/kubernetes/manifests/demo-app.yaml >/dev/null
"$kubectl" --kubeconfig "$REBOUND_KUBECONFIG" --context "$REBOUND_KUBE_CONTEXT" -n rebound-demo rollout status deploy/web --timeout=120s >/dev/null

set +e
node bin/rebound.js run --kubeconfig "$REBOUND_KUBECONFIG" \
  --reporter console --reporter "json=$out/report.json" --reporter "markdown=$out/summary.md" --reporter "junit=$out/junit.xml" \
  experiments/demo/crash-no-restart-policy.yaml \
  experiments/demo/crash.yaml@docker experiments/demo/crash.yaml@kubernetes \
  experiments/demo/kill.yaml@docker experiments/demo/kill.yaml@kubernetes
status=$?
set -e
echo
echo "Reports: $out/ (JSON with full timelines, Markdown summary, JUnit)."
echo "Failed assertions above are the point: Docker leaves a killed or policy-less crashed container down;"
echo "Kubernetes restarts and replaces. rebound exited $status (1 = some assertion failed, as expected here)."
