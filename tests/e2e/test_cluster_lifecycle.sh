#!/usr/bin/env bash
# dev/cluster.sh on a second, separate cluster in its own dir: clear errors for a port
# in use, a binary that exits at start, a live cluster and a stale state dir; and
# `down` leaves no process behind.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
e2e_env
cluster=${RTDP_SOURCE_DIR:?}/dev/cluster.sh
work=$(mktemp -d "${RTDP_BUILD_DIR:-/tmp}/e2e-lifecycle.XXXXXX")
dir=$work/cluster
e2e_on_exit rm -rf "$work"
e2e_on_exit "$cluster" down --dir "$dir"

# procs_of DIR: pids of every process whose command line names DIR. An exited process
# that PID 1 has not reaped yet (a zombie) has an empty command line: it is not
# running and holds no port, so it is not counted.
procs_of() {
  local p
  for p in /proc/[0-9]*; do
    tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -qF -- "$1" && echo "${p#/proc/}"
  done
  return 0
}

e2e_log "a port in use: the shared cluster's apiserver port"
assert_fails "$cluster" up --dir "$dir" --no-kwok --port "${RTDP_APISERVER##*:}"
assert_contains "$E2E_OUT" "error: port ${RTDP_APISERVER##*:} (kube-apiserver, from --port) on 127.0.0.1 is in use"
[ ! -e "$dir" ] || e2e_fail "a refused up left '$dir' behind"

e2e_log "a binary that exits at start"
fake=$work/fakebin; mkdir -p "$fake"
for b in "$RTDP_K8S_BIN"/*; do ln -s "$b" "$fake/"; done
rm "$fake/etcd"; printf '#!/bin/sh\necho "etcd: simulated start-up failure" >&2\nexit 3\n' >"$fake/etcd"
chmod +x "$fake/etcd"
RTDP_K8S_BIN=$fake assert_fails "$cluster" up --dir "$dir" --no-kwok
assert_contains "$E2E_OUT" "error: etcd exited at start (exit code 3)"
assert_contains "$E2E_OUT" "simulated start-up failure"
assert_contains "$E2E_OUT" "down --dir"
assert_ok "$cluster" down --dir "$dir"
[ ! -e "$dir" ] || e2e_fail "down left '$dir' behind"

e2e_log "up a second cluster"
t0=$SECONDS
assert_ok "$cluster" up --dir "$dir" --no-kwok
e2e_log "second cluster up in $((SECONDS - t0))s"
assert_contains "$E2E_OUT" "export KUBECONFIG="
assert_eq 600 "$(stat -c %a "$dir/kubeconfig")" "kubeconfig mode"
for k in "$dir"/pki/*.key; do assert_eq 600 "$(stat -c %a "$k")" "mode of $k"; done
assert_not_contains "$E2E_OUT" "PRIVATE KEY" "up output"
KUBECONFIG=$dir/kubeconfig assert_ok "$RTDP_K8S_BIN/kubectl" get --raw /readyz
mapfile -t pids < <(awk '{print $2}' "$dir/pids")
mapfile -t ports < <(tr ' ' '\n' <"$dir/ports" | cut -d= -f2)
assert_eq 3 "${#pids[@]}" "recorded pids (etcd, apiserver, controller-manager)"
assert_eq "$(printf '%s\n' "${pids[@]}" | sort)" "$(procs_of "$dir" | sort)" "processes of the second cluster"
assert_ok "$cluster" status --dir "$dir"

e2e_log "up refuses a live cluster"
assert_fails "$cluster" up --dir "$dir"
assert_contains "$E2E_OUT" "a cluster is already running in '$dir'"

e2e_log "status notices a dead component"
kill -KILL "${pids[0]}"
dead() { ! kill -0 "${pids[0]}" 2>/dev/null || grep -q '^State:.*Z' "/proc/${pids[0]}/status"; }
wait_for 10 "etcd (pid ${pids[0]}) to die" dead
assert_fails "$cluster" status --dir "$dir"
assert_contains "$E2E_OUT" "NOT RUNNING"

e2e_log "down"
# With etcd gone the apiserver's graceful shutdown hangs: the SIGKILL path runs too.
RTDP_CLUSTER_GRACE=3 assert_ok "$cluster" down --dir "$dir"
printf '%s\n' "$E2E_OUT" >&2
[ ! -e "$dir" ] || e2e_fail "down left '$dir' behind"
left=$(procs_of "$dir")
[ -z "$left" ] || e2e_fail "processes left behind after down: $left"
for p in "${ports[@]}"; do
  [ -z "$(ss -Hltn "( sport = :$p )")" ] || e2e_fail "port $p still listened on after down"
done
for p in "${pids[@]}"; do
  if [ -r "/proc/$p/cmdline" ] && tr '\0' ' ' <"/proc/$p/cmdline" | grep -q "$RTDP_K8S_BIN"; then
    e2e_fail "pid $p still runs a cluster binary after down"
  fi
done
assert_ok "$cluster" down --dir "$dir"
assert_contains "$E2E_OUT" "no cluster in"

e2e_log "a stale state dir (processes gone)"
sleep 0 & gone=$!; wait "$gone"
mkdir -p "$dir"; echo "rtdp-cluster 1" >"$dir/.rtdp-cluster"
echo "etcd $gone $RTDP_K8S_BIN/etcd" >"$dir/pids"
assert_fails "$cluster" up --dir "$dir"
assert_contains "$E2E_OUT" "stale cluster state in '$dir'"
assert_contains "$E2E_OUT" "down --dir"
assert_ok "$cluster" down --dir "$dir"
[ ! -e "$dir" ] || e2e_fail "down did not remove the stale '$dir'"

e2e_log "a dir that is not a cluster's is left alone"
mkdir -p "$dir"; echo keep >"$dir/precious"
assert_fails "$cluster" down --dir "$dir"
assert_contains "$E2E_OUT" "not a cluster state folder"
assert_eq keep "$(cat "$dir/precious")" "unrelated file"
rm -rf "$dir"
e2e_log "ok"
