#!/usr/bin/env bash
# kubectl (the built 1.37 one, or the machine's own) creates a Namespace and a
# Deployment on the real apiserver, and reads them back.
#   test_smoke_kubectl.sh built|system
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
e2e_env

case "${1:-built}" in
  built) E2E_KUBECTL=$RTDP_K8S_BIN/kubectl ;;
  system)
    E2E_KUBECTL=${E2E_SYSTEM_KUBECTL:-/usr/bin/kubectl}
    [ -x "$E2E_KUBECTL" ] || e2e_skip "no system kubectl at '$E2E_KUBECTL'"
    ;;
  *) e2e_fail "usage: $0 built|system" ;;
esac
e2e_log "kubectl: $E2E_KUBECTL ($("$E2E_KUBECTL" version --client 2>/dev/null | head -n1))"

assert_ok e2e_kubectl version -o json
assert_contains "$E2E_OUT" '"gitVersion": "v1.37.2"' "server version"

e2e_ns "kubectl-$1"; ns=$E2E_NS
assert_eq Active "$(e2e_kubectl get namespace "$ns" -o 'jsonpath={.status.phase}')" "namespace phase"

assert_ok e2e_kubectl -n "$ns" create deployment web --image=registry.k8s.io/pause:3.10 --replicas=2
assert_contains "$E2E_OUT" "deployment.apps/web created"
e2e_deployment api 1 | assert_ok e2e_kubectl -n "$ns" apply -f -
assert_contains "$E2E_OUT" "deployment.apps/api created"

assert_eq 2 "$(e2e_kubectl -n "$ns" get deployment web -o 'jsonpath={.spec.replicas}')" "web replicas"
assert_eq "api web" "$(e2e_kubectl -n "$ns" get deployments -o 'jsonpath={.items[*].metadata.name}')" "deployments"
e2e_log "ok: namespace $ns and 2 deployments via $1 kubectl"
