# shellcheck shell=bash
# Helpers for rtdp's end-to-end tests. Source it from a test script:
#
#   . "$(dirname "$0")/lib.sh"
#   e2e_env                          # KUBECONFIG, PATH (built kubectl first), ...
#   e2e_ns smoke; ns=$E2E_NS         # a fresh Namespace, deleted when the test exits
#   e2e_kubectl -n "$ns" get pods
#   assert_eq 1 "$(e2e_kubectl ... -o jsonpath=...)" "replicas"
#   retry 30 e2e_kubectl -n "$ns" get rs
#
# ctest sets E2E_CLUSTER_DIR (the shared cluster's state dir, see dev/cluster.sh),
# RTDP_SOURCE_DIR and RTDP_BUILD_DIR. A failed assertion exits 1 after printing
# "FAIL: ..."; e2e_skip exits 77 (ctest shows the test as skipped).
# Only bash is supported (the scripts are run with bash by ctest).

E2E_SKIP=77
# `producer | assert_ok cmd` runs assert_ok in this shell, so E2E_OUT survives.
shopt -s lastpipe
E2E_CLEANUPS=()

e2e_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
e2e_fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
e2e_skip() { printf 'SKIP: %s\n' "$*" >&2; exit "$E2E_SKIP"; }

# e2e_env: exports what the tests need from the running cluster:
# KUBECONFIG, RTDP_APISERVER, RTDP_CLUSTER_CA, RTDP_CLUSTER_ADMIN_CERT/_KEY (paths),
# RTDP_K8S_BIN, RTDP_KWOK(_NODE),
# PATH with the built kubectl (and rtdp's own bin/, for `kubectl rtdp`) first,
# and E2E_KUBECTL (the kubectl e2e_kubectl runs; a test may point it elsewhere).
e2e_env() {
  local dir=${E2E_CLUSTER_DIR:-${RTDP_CLUSTER_DIR:-$HOME/.cache/rtdp/cluster}}
  [ -f "$dir/cluster.env" ] ||
    e2e_fail "no running cluster in '$dir' (no cluster.env): the e2e_cluster_up fixture did not run or failed"
  # shellcheck disable=SC1091
  . "$dir/cluster.env"
  E2E_CLUSTER_DIR=$dir
  local path=$RTDP_K8S_BIN
  if [ -n "${RTDP_BUILD_DIR:-}" ] && [ -d "$RTDP_BUILD_DIR/bin" ]; then path="$RTDP_BUILD_DIR/bin:$path"; fi
  export PATH="$path:$PATH" E2E_CLUSTER_DIR
  export E2E_KUBECTL=${E2E_KUBECTL:-$RTDP_K8S_BIN/kubectl}
}

# e2e_kubectl ARGS...: kubectl against the test cluster, with a request timeout.
e2e_kubectl() { "$E2E_KUBECTL" --request-timeout=20s "$@"; }

# e2e_on_exit CMD...: runs CMD when the test exits (last registered runs first).
e2e_on_exit() {
  E2E_CLEANUPS+=("$(printf '%q ' "$@")")
  trap e2e_run_cleanups EXIT
}
e2e_run_cleanups() {
  local rc=$? i
  for ((i = ${#E2E_CLEANUPS[@]} - 1; i >= 0; i--)); do
    eval "${E2E_CLEANUPS[i]}" >/dev/null 2>&1 || true
  done
  return $rc
}

# e2e_ns_name PREFIX: a unique, valid Namespace name (not created).
e2e_ns_name() {
  local prefix=${1:-e2e}
  prefix=$(printf '%s' "$prefix" | tr 'A-Z_' 'a-z-' | tr -cd 'a-z0-9-' | cut -c1-40)
  printf 'e2e-%s-%s%04x\n' "$prefix" "$(date +%s | tail -c 6)" "$((RANDOM ^ $$ & 0xffff))"
}

# e2e_ns PREFIX: creates a unique Namespace, deleted (not waited for) when the test
# exits, and sets E2E_NS to its name. Call it directly, not in $(...): a subshell
# would lose the cleanup.
e2e_ns() {
  [ "$BASH_SUBSHELL" -eq 0 ] || e2e_fail "e2e_ns called in a subshell: call it directly, then read \$E2E_NS"
  E2E_NS=$(e2e_ns_name "$@")
  e2e_kubectl create namespace "$E2E_NS" >/dev/null || e2e_fail "cannot create namespace '$E2E_NS'"
  e2e_on_exit "$E2E_KUBECTL" --request-timeout=20s delete namespace "$E2E_NS" --wait=false
}

# e2e_curl PATH [CURL ARGS...]: an authenticated (admin) request to the apiserver,
# e.g. e2e_curl /version, or e2e_curl "/api/v1/namespaces" -X POST -d @ns.json.
# Prints the body; `-w '%{http_code}'` etc. work as usual.
e2e_curl() {
  local path=$1; shift
  curl -sS --max-time 20 --cacert "$RTDP_CLUSTER_CA" --cert "$RTDP_CLUSTER_ADMIN_CERT" \
    --key "$RTDP_CLUSTER_ADMIN_KEY" "$@" "$RTDP_APISERVER$path"
}

# retry N CMD...: runs CMD up to N times, E2E_RETRY_DELAY (1) seconds apart, until it
# succeeds; its last output is printed. Returns CMD's last status.
retry() {
  local n=$1 i=1 rc=0 out; shift
  while :; do
    rc=0; out=$("$@" 2>&1) || rc=$?
    if [ $rc -eq 0 ] || [ "$i" -ge "$n" ]; then break; fi
    i=$((i + 1)); sleep "${E2E_RETRY_DELAY:-1}"
  done
  [ -z "$out" ] || printf '%s\n' "$out"
  return $rc
}

# wait_for SECONDS DESCRIPTION CMD...: retries CMD once a second; fails the test on timeout.
wait_for() {
  local secs=$1 what=$2; shift 2
  E2E_RETRY_DELAY=1 retry "$secs" "$@" >/dev/null ||
    e2e_fail "timed out after ${secs}s waiting for $what (last: $(E2E_RETRY_DELAY=0 retry 1 "$@" 2>&1 | tail -n 3))"
}

assert_eq() {
  [ "$1" = "$2" ] || e2e_fail "${3:-values differ}: expected '$1', got '$2'"
}
assert_ne() {
  [ "$1" != "$2" ] || e2e_fail "${3:-values equal}: did not expect '$1'"
}
assert_contains() {
  case "$1" in *"$2"*) ;; *) e2e_fail "${3:-missing text}: '$2' not found in: $1" ;; esac
}
assert_not_contains() {
  case "$1" in *"$2"*) e2e_fail "${3:-unexpected text}: '$2' found in: $1" ;; *) ;; esac
}

# run_capture CMD...: runs CMD, sets E2E_OUT (stdout+stderr) and E2E_RC; never fails.
run_capture() {
  E2E_RC=0
  E2E_OUT=$("$@" 2>&1) || E2E_RC=$?
}

# assert_fails CMD...: CMD must exit non-zero; E2E_OUT/E2E_RC are kept for more checks.
assert_fails() {
  run_capture "$@"
  [ "$E2E_RC" -ne 0 ] || e2e_fail "expected failure, but succeeded: $*: $E2E_OUT"
}
# assert_ok CMD...: CMD must succeed; E2E_OUT holds its output.
assert_ok() {
  run_capture "$@"
  [ "$E2E_RC" -eq 0 ] || e2e_fail "command failed ($E2E_RC): $*: $E2E_OUT"
}

# e2e_deployment NAME [REPLICAS] [IMAGE]: a minimal Deployment manifest on stdout.
e2e_deployment() {
  cat <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: $1
  labels: {app: $1}
spec:
  replicas: ${2:-1}
  selector:
    matchLabels: {app: $1}
  template:
    metadata:
      labels: {app: $1}
    spec:
      containers:
      - name: main
        image: ${3:-registry.k8s.io/pause:3.10}
EOF
}
