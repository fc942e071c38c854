#!/usr/bin/env bash
# The flagship demo: Docker vs Kubernetes on the seed-claims suite (experiments/compare), measured
# side by side, with an HTML report. Sets up what it needs (idempotent, cached), then runs
# `rebound demo`. Extra arguments go to it, e.g. `bash scripts/demo.sh --iterations 5`.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/setup.sh)"
exec node bin/rebound.js demo --no-setup "$@"
