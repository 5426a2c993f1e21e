#!/usr/bin/env bash
# The whole life of a pipeline through the real kubectl (plugin discovery on PATH)
# and the real apiserver: init, validate, apply --wait, diff (no change, then one),
# status, re-apply (changes nothing), a conflicting field manager (a clear 409
# report), the --wait timeout path, and delete.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
e2e_env
command -v kubectl-rtdp >/dev/null || e2e_fail "kubectl-rtdp is not on PATH ($PATH)"
krtdp() { "$E2E_KUBECTL" rtdp "$@"; }
kubectl() { e2e_kubectl "$@"; }

name=$(e2e_ns_name seq)
e2e_on_exit "$E2E_KUBECTL" --request-timeout=20s delete namespace "$name" --wait=false
work=$(mktemp -d)
e2e_on_exit rm -rf "$work"
dir="$work/$name"

# init writes a GitOps directory that validate finds nothing in.
assert_ok krtdp init "$name" --stages ingest,sink --dir "$dir"
assert_contains "$E2E_OUT" "wrote $dir/kustomization.yaml"
assert_ok krtdp validate -f "$dir"
assert_contains "$E2E_OUT" "0 denied, 0 warnings"
run_capture krtdp init "$name" --stages ingest,sink --dir "$dir"
assert_eq 1 "$E2E_RC" "init refuses to overwrite"
assert_contains "$E2E_OUT" "refusing to overwrite existing files (use --force)"

# apply --wait: Namespace first, every object, then the rollouts.
assert_ok krtdp apply -f "$dir" --wait --timeout 120s
first=$(printf '%s\n' "$E2E_OUT" | head -n 1)
assert_eq "namespace/$name serverside-applied" "$first" "the Namespace is applied first"
assert_contains "$E2E_OUT" "deployment.apps/$name-ingest serverside-applied"
assert_contains "$E2E_OUT" "poddisruptionbudget.policy/$name-sink serverside-applied"
assert_contains "$E2E_OUT" "deployment \"$name-sink\" successfully rolled out"
assert_eq kubectl-rtdp "$(kubectl -n "$name" get deploy "$name-ingest" -o jsonpath='{.metadata.managedFields[0].manager}')" "field manager"

# status: available.
assert_ok krtdp status "$name"
assert_contains "$E2E_OUT" "$name-ingest"

# diff: nothing, then the one change.
assert_ok krtdp diff -f "$dir"
assert_eq "" "$E2E_OUT" "diff after apply"
sed -i 's/^  replicas: 3$/  replicas: 4/' "$dir/sink-deployment.yaml"
run_capture krtdp diff -f "$dir"
assert_eq 1 "$E2E_RC" "diff exit code with a change"
assert_contains "$E2E_OUT" "+  replicas: 4"
sed -i 's/^  replicas: 4$/  replicas: 3/' "$dir/sink-deployment.yaml"

# Re-applying changes nothing: no resourceVersion moves.
rv() { kubectl -n "$name" get deploy,svc,pdb -o jsonpath='{range .items[*]}{.metadata.resourceVersion} {end}'; }
before=$(rv)
assert_ok krtdp apply -f "$dir"
assert_eq "$before" "$(rv)" "resourceVersions after a re-apply"

# A conflicting field manager: a clear 409 report, field by field, and nothing lost.
cat >"$work/other.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: $name-ingest, namespace: $name}
spec: {replicas: 5}
YAML
assert_ok kubectl apply --server-side --force-conflicts --field-manager=other-team -f "$work/other.yaml"
run_capture krtdp apply -f "$dir"
assert_eq 1 "$E2E_RC" "apply against another manager's field"
assert_contains "$E2E_OUT" "deployment.apps/$name-ingest: Apply failed with 1 conflict"
assert_contains "$E2E_OUT" ".spec.replicas: conflict with \"other-team\""
assert_contains "$E2E_OUT" "--force-conflicts"
assert_contains "$E2E_OUT" "not applied: deployment.apps/$name-ingest"
assert_contains "$E2E_OUT" "applied:     deployment.apps/$name-sink"
assert_ok krtdp apply -f "$dir" --force-conflicts
assert_eq 3 "$(kubectl -n "$name" get deploy "$name-ingest" -o jsonpath='{.spec.replicas}')" "replicas taken back"

# The --wait timeout path: no Pod may start, so the new rollout never completes.
assert_ok kubectl -n "$name" create quota no-pods --hard=pods=0
sed -i 's/--http-port=8080/--http-port=8080,--udp-port=8081/' "$dir/ingest-deployment.yaml"
run_capture krtdp apply -f "$dir" --wait --timeout 3s
assert_eq 1 "$E2E_RC" "apply --wait past its timeout"
assert_contains "$E2E_OUT" "timed out waiting for the condition"
# The old Pods keep serving (maxUnavailable: 0), so the pipeline stays available.
assert_ok krtdp status "$name"
assert_contains "$E2E_OUT" "3/3"

# delete removes what apply created, and the Namespace with it.
assert_ok krtdp delete "$name" --delete-namespace --wait --timeout 120s
assert_contains "$E2E_OUT" "deployment.apps \"$name-ingest\" deleted"
assert_fails kubectl get namespace "$name"
e2e_log "ok: init, validate, apply --wait, status, diff, re-apply, conflict, timeout, delete"
