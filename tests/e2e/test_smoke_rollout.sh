#!/usr/bin/env bash
# With kwok (fake Node) and kube-scheduler, Pods are scheduled and become
# Running/Ready, so a rollout completes for real.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
e2e_env
[ "${RTDP_KWOK:-0}" = 1 ] || e2e_skip "the cluster runs without kwok (no fake Node): Pods stay Pending"
e2e_ns rollout; ns=$E2E_NS

assert_eq True "$(e2e_kubectl get node "$RTDP_KWOK_NODE" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')" "node Ready"
e2e_deployment web 3 | assert_ok e2e_kubectl -n "$ns" apply -f -
assert_ok e2e_kubectl -n "$ns" rollout status deployment/web --timeout=120s
assert_contains "$E2E_OUT" 'successfully rolled out'
assert_eq "3" "$(e2e_kubectl -n "$ns" get deployment web -o 'jsonpath={.status.readyReplicas}')" "ready replicas"
assert_eq "Running Running Running" "$(e2e_kubectl -n "$ns" get pods -l app=web -o 'jsonpath={.items[*].status.phase}')" "pod phases"
assert_eq "$RTDP_KWOK_NODE" "$(e2e_kubectl -n "$ns" get pods -l app=web -o 'jsonpath={.items[0].spec.nodeName}')" "pod node"

# An update rolls out too: old Pods are deleted, new ones become Ready.
assert_ok e2e_kubectl -n "$ns" set image deployment/web main=registry.k8s.io/pause:3.9
assert_ok e2e_kubectl -n "$ns" rollout status deployment/web --timeout=120s
assert_eq "3" "$(e2e_kubectl -n "$ns" get deployment web -o 'jsonpath={.status.updatedReplicas}')" "updated replicas"
gone_old() { [ "$(e2e_kubectl -n "$ns" get pods -l app=web -o name | wc -l)" -eq 3 ]; }
wait_for 60 "the old Pods to go away" gone_old
e2e_log "ok: rollout of 3 replicas completed, and its update"
