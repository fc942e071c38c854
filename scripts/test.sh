#!/usr/bin/env bash
# The whole test suite, from a fresh machine: sets up Node, Docker, the demo image and the offline
# kind cluster (idempotent, cached), then runs unit and integration tests against the real engines.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/setup.sh)"
# In CI nothing that needs Docker or kind may be skipped: the integration tests fail instead.
export REBOUND_REQUIRE_ENGINES=1
npm test
