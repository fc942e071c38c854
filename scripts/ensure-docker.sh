#!/usr/bin/env bash
# Makes a Docker engine answer on this machine: installs Debian's docker.io when no engine answers,
# registers the capability wrapper when the host cannot grant every capability to privileged
# containers, and starts dockerd detached (hosts without systemd). Idempotent.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

if docker info >/dev/null 2>&1; then exit 0; fi
apt_install docker.io jq iptables runc containerd

# Capabilities Docker asks for a privileged container but the bounding set here lacks (CapBnd).
missing_caps() {
  local bnd; bnd=$((16#$(awk '/^CapBnd/{print $2}' /proc/self/status)))
  local last; last=$(cat /proc/sys/kernel/cap_last_cap)
  local names=(CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP LINUX_IMMUTABLE
    NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE
    SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL
    SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF CHECKPOINT_RESTORE)
  local out=()
  for i in $(seq 0 "$last"); do
    [ $(( (bnd >> i) & 1 )) = 1 ] || out+=("\"CAP_${names[$i]:-$i}\"")
  done
  (IFS=,; echo "[${out[*]}]")
}

mkdir -p /etc/docker
missing=$(missing_caps)
if [ "$missing" != "[]" ]; then
  say "this host's capability bounding set lacks $missing: privileged containers get them removed by scripts/docker/runc-drop-missing-caps"
  install -m 0755 "$REBOUND_ROOT/scripts/docker/runc-drop-missing-caps" /usr/local/sbin/runc-drop-missing-caps
  echo "$missing" > /etc/docker/rebound-missing-caps.json
  if [ ! -f /etc/docker/daemon.json ] || ! grep -q runc-drop-missing-caps /etc/docker/daemon.json; then
    [ -f /etc/docker/daemon.json ] && cp /etc/docker/daemon.json /etc/docker/daemon.json.before-rebound
    jq -n '{"storage-driver":"overlay2","runtimes":{"rebound-caps":{"path":"/usr/local/sbin/runc-drop-missing-caps"}},"default-runtime":"rebound-caps"}' \
      > /etc/docker/daemon.json
  fi
fi

if ! pgrep -x dockerd >/dev/null; then
  say "starting dockerd (log: /var/log/dockerd.log)"
  # setsid: a dockerd started from a shell must outlive it; there is no systemd here to own it.
  setsid nohup /usr/sbin/dockerd >/var/log/dockerd.log 2>&1 </dev/null &
fi
for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && exit 0; sleep 1; done
tail -20 /var/log/dockerd.log >&2 || true
die "dockerd did not answer within 60 s (log above: /var/log/dockerd.log)"
