#!/usr/bin/env bash
# Makes Debian's Chromium available at /usr/bin/chromium for the HTML report's browser test
# (test/integration/html-report.test.ts drives it through playwright-core). Never downloads a
# browser build: playwright's own downloads are not used. Idempotent.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

if [ -x /usr/bin/chromium ]; then exit 0; fi
# fonts-liberation: without any font the report's text renders as boxes in screenshots.
apt_install chromium fonts-liberation
[ -x /usr/bin/chromium ] || die "apt-get installed chromium but /usr/bin/chromium is missing"
say "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo 'installed')"
