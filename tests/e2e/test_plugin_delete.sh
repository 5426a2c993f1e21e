#!/usr/bin/env bash
# kubectl rtdp delete through the real kubectl: by the pipeline label only, kubectl's
# lines, --dry-run=server, --wait and its timeout, and --delete-namespace only for a
# Namespace that carries the label.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
e2e_env
command -v kubectl-rtdp >/dev/null || e2e_fail "kubectl-rtdp is not on PATH ($PATH)"
kubectl() { e2e_kubectl "$@"; }
# kubectl takes no flags before a plugin name: the plugin through the real kubectl.
krtdp() { "$E2E_KUBECTL" rtdp "$@"; }

name=$(e2e_ns_name delete)
other=$(e2e_ns_name delete-other)
e2e_on_exit "$E2E_KUBECTL" --request-timeout=20s delete namespace "$name" "$other" --wait=false --ignore-not-found
work=$(mktemp -d)
e2e_on_exit rm -rf "$work"

assert_ok krtdp render "$name" --replicas 1
printf '%s\n' "$E2E_OUT" >"$work/pipeline.yaml"
assert_ok kubectl apply --server-side --field-manager=kubectl-rtdp -f "$work/pipeline.yaml"
# Not part of the pipeline: must survive.
e2e_deployment bystander 1 | assert_ok kubectl -n "$name" apply -f -
ours() { kubectl -n "$name" get deploy,svc,pdb -l "rtdp.io/pipeline=$name" -o name; }
assert_eq 3 "$(ours | wc -l)" "objects of the pipeline"

# --dry-run=server: kubectl's lines, nothing deleted.
assert_ok krtdp delete "$name" --dry-run=server
assert_contains "$E2E_OUT" "deployment.apps \"$name-controller\" deleted (server dry run)"
assert_contains "$E2E_OUT" "service \"$name-controller\" deleted (server dry run)"
assert_contains "$E2E_OUT" "poddisruptionbudget.policy \"$name-controller\" deleted (server dry run)"
assert_eq 3 "$(ours | wc -l)" "objects after a dry run"

# --delete-namespace refuses a Namespace without the pipeline label (before deleting anything).
kubectl create namespace "$other" >/dev/null
assert_fails krtdp delete "$name" -n "$other" --delete-namespace
assert_contains "$E2E_OUT" "refusing"
assert_eq Active "$(kubectl get namespace "$other" -o 'jsonpath={.status.phase}')" "unlabelled namespace kept"

# --wait times out while a finalizer holds the Service.
kubectl -n "$name" patch service "$name-controller" --type=merge \
  -p '{"metadata":{"finalizers":["rtdp.io/e2e-hold"]}}' >/dev/null
start=$(date +%s)
assert_fails krtdp delete "$name" --wait --timeout 3s
assert_eq 1 "$E2E_RC" "delete --wait on timeout: exit code"
assert_contains "$E2E_OUT" "timed out waiting for the condition"
assert_contains "$E2E_OUT" "deployment.apps \"$name-controller\" deleted"
[ $(($(date +%s) - start)) -lt 20 ] || e2e_fail "--timeout 3s took $(($(date +%s) - start))s"
kubectl -n "$name" patch service "$name-controller" --type=json \
  -p '[{"op":"remove","path":"/metadata/finalizers"}]' >/dev/null

# Everything is gone now; the bystander stays; a second delete finds nothing.
gone() { [ "$(ours | wc -l)" -eq 0 ]; }
wait_for 30 "the pipeline's objects to go" gone
assert_eq bystander "$(kubectl -n "$name" get deploy -o 'jsonpath={.items[*].metadata.name}')" "bystander kept"
assert_ok krtdp delete "$name"
assert_eq "No resources found in $name namespace." "$E2E_OUT" "second delete"

# A fresh apply, then delete --wait with the Namespace: returns once all are gone.
assert_ok kubectl apply --server-side --field-manager=kubectl-rtdp -f "$work/pipeline.yaml"
start=$(date +%s)
assert_ok krtdp delete "$name" --delete-namespace --wait --timeout 2m
e2e_log "delete --delete-namespace --wait took $(($(date +%s) - start))s"
assert_contains "$E2E_OUT" "deployment.apps \"$name-controller\" deleted"
assert_contains "$E2E_OUT" "service \"$name-controller\" deleted"
assert_contains "$E2E_OUT" "poddisruptionbudget.policy \"$name-controller\" deleted"
assert_contains "$E2E_OUT" "namespace \"$name\" deleted"
assert_fails kubectl get namespace "$name"
assert_contains "$E2E_OUT" "NotFound"
assert_ok krtdp delete -h
assert_contains "$E2E_OUT" "kubectl rtdp delete NAME"
e2e_log "ok: delete by label, dry run, refusal, --wait timeout and success"
