#!/usr/bin/env bash
# The ctest fixture of the e2e tests: one control plane per ctest run.
#   cluster_fixture.sh up     build the k8s binaries if missing (slow, once per
#                             machine; skipped when RTDP_K8S_BIN is set), clear a
#                             stale state dir, start the cluster
#   cluster_fixture.sh down   keep the logs in <build>/e2e-logs, stop the cluster and
#                             check that none of its processes is left
# Environment (set by tests/e2e/CMakeLists.txt): E2E_CLUSTER_DIR, RTDP_SOURCE_DIR,
# RTDP_BUILD_DIR; RTDP_KWOK=0 runs the cluster without kwok.
set -euo pipefail
src=${RTDP_SOURCE_DIR:?}
dir=${E2E_CLUSTER_DIR:?}
cluster=$src/dev/cluster.sh

up() {
  # Instant when the cached binaries report the pinned versions; a cold build (about
  # 8 minutes on 2 cores) when they are missing.
  if [ -z "${RTDP_K8S_BIN:-}" ]; then
    echo "e2e: dev/build-k8s.sh (builds only what is missing)"
    "$src/dev/build-k8s.sh" >/dev/null
  fi
  # A previous run that was interrupted may have left its cluster (live or stale).
  "$cluster" down --dir "$dir"
  "$cluster" up --dir "$dir"
  "$cluster" status --dir "$dir"
}

down() {
  local logs=${RTDP_BUILD_DIR:-$dir/..}/e2e-logs pid left=()
  if [ -d "$dir/logs" ]; then
    rm -rf "$logs"; cp -r "$dir/logs" "$logs"
    echo "e2e: cluster logs kept in $logs"
  fi
  "$cluster" down --dir "$dir"
  for pid in /proc/[0-9]*; do
    tr '\0' ' ' <"$pid/cmdline" 2>/dev/null | grep -qF -- "$dir/" && left+=("${pid#/proc/}")
  done
  if [ ${#left[@]} -gt 0 ]; then
    echo "error: processes of the e2e cluster still running after down: ${left[*]}" >&2
    exit 1
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
