#!/usr/bin/env bash
# kube-controller-manager is real: a Deployment gets a ReplicaSet, which gets Pods.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
e2e_env
e2e_ns rs; ns=$E2E_NS

e2e_deployment web 2 | assert_ok e2e_kubectl -n "$ns" apply -f -

rs_name() {
  e2e_kubectl -n "$ns" get replicasets -l app=web \
    -o 'jsonpath={.items[?(@.metadata.ownerReferences[0].name=="web")].metadata.name}' | grep .
}
wait_for 60 "the ReplicaSet of deployment 'web'" rs_name
rs=$(rs_name)
e2e_log "ReplicaSet $rs"
assert_eq Deployment "$(e2e_kubectl -n "$ns" get rs "$rs" -o 'jsonpath={.metadata.ownerReferences[0].kind}')" "owner kind"

pod_count() { [ "$(e2e_kubectl -n "$ns" get pods -l app=web -o name | wc -l)" -eq 2 ]; }
wait_for 60 "2 Pods of ReplicaSet '$rs'" pod_count
assert_eq "$rs $rs" "$(e2e_kubectl -n "$ns" get pods -l app=web -o 'jsonpath={.items[*].metadata.ownerReferences[0].name}')" "pod owners"

# A new template makes a second ReplicaSet (the rollout machinery is live).
assert_ok e2e_kubectl -n "$ns" set image deployment/web main=registry.k8s.io/pause:3.9
two_rs() { [ "$(e2e_kubectl -n "$ns" get rs -l app=web -o name | wc -l)" -ge 2 ]; }
wait_for 60 "a second ReplicaSet after the image change" two_rs
e2e_log "ok: Deployment -> ReplicaSet -> Pods, and a new ReplicaSet on update"
