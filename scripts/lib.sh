# Shared helpers for rebound's setup scripts. Sourced, not run.
# Everything slow to build is cached outside the repo, under a key of its versions.
REBOUND_CACHE=${REBOUND_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rebound}
REBOUND_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export REBOUND_CACHE REBOUND_ROOT
mkdir -p "$REBOUND_CACHE"

say() { printf '\033[1m[rebound setup]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[rebound setup] error:\033[0m %s\n' "$*" >&2; exit 3; }

# apt-get update once per boot of this cache, then install what is missing.
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "need root to apt-get install ${missing[*]} (or install them yourself)"
  say "apt-get install ${missing[*]}"
  if [ ! -f /var/lib/apt/periodic/rebound-updated ] || [ -n "$(find /var/lib/apt/periodic/rebound-updated -mmin +720 2>/dev/null)" ]; then
    apt-get update -q >/dev/null && mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/rebound-updated
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}
