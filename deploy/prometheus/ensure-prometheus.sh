#!/usr/bin/env bash
# Makes `prometheus` and `promtool` available for test/ops: Debian's prometheus package, installed
# through apt when missing (the Prometheus the ops test runs against a live pipeline). The package's
# own service is kept from starting: the test runs its own server on a free port.
#   ensure-prometheus.sh            install when missing; prints the prometheus binary's path
# Exit 0 when both binaries are there afterwards, 3 when they cannot be installed (no apt, no root).
set -euo pipefail

say() { echo "ensure-prometheus: $*" >&2; }
present() { command -v prometheus >/dev/null && command -v promtool >/dev/null; }

if ! present; then
  command -v apt-get >/dev/null || { say "prometheus is missing and apt-get is not available: install Prometheus 2.x yourself"; exit 3; }
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null || { say "prometheus is missing: run 'apt-get install prometheus' as root"; exit 3; }
    sudo=(sudo -n)
  fi
  say "installing Debian's prometheus package (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq >&2 || { say "apt-get update failed"; exit 3; }
  # RUNLEVEL=1 makes invoke-rc.d skip starting the packaged service.
  RUNLEVEL=1 "${sudo[@]}" apt-get install -y -qq --no-install-recommends prometheus >&2 || { say "apt-get install prometheus failed"; exit 3; }
  present || { say "prometheus was installed but prometheus/promtool are not on PATH"; exit 3; }
fi
command -v prometheus
