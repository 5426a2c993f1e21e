#!/usr/bin/env bash
# Completion of `kubectl rtdp` through the real kubectl (>= 1.26 runs
# kubectl_complete-rtdp from PATH): subcommands, flags, -o values, pipeline names.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
e2e_env
command -v kubectl_complete-rtdp >/dev/null || e2e_fail "kubectl_complete-rtdp is not on PATH ($PATH)"
[ -x "$(command -v kubectl_complete-rtdp)" ] || e2e_fail "kubectl_complete-rtdp is not executable"
kubectl() { e2e_kubectl "$@"; }
complete() { "$E2E_KUBECTL" __complete rtdp "$@" 2>/dev/null; }

assert_ok complete ""
for sub in diff status delete render validate version init; do
  assert_contains "$E2E_OUT" "$sub" "subcommand $sub"
done
assert_contains "$E2E_OUT" ":4"
assert_ok complete st
assert_eq status "$(printf '%s\n' "$E2E_OUT" | grep -v '^:')" "completion of st"

assert_ok complete diff --f
assert_contains "$E2E_OUT" "--filename"
assert_contains "$E2E_OUT" "--force-conflicts"
assert_contains "$E2E_OUT" "--field-manager"
assert_ok complete delete --
assert_contains "$E2E_OUT" "--delete-namespace"
assert_contains "$E2E_OUT" "--wait"
assert_contains "$E2E_OUT" "--kubeconfig"
assert_ok complete status -o ""
assert_eq "json text" "$(printf '%s\n' "$E2E_OUT" | grep -v '^:' | sort | tr '\n' ' ' | sed 's/ $//')" "-o values"

# Pipeline names come from the cluster's Deployments labelled rtdp.io/pipeline.
e2e_ns complete; ns=$E2E_NS
e2e_deployment comp-web 1 | sed "s/labels: {app: comp-web}/labels: {app: comp-web, rtdp.io\/pipeline: e2e-comp-pipe}/" |
  assert_ok kubectl -n "$ns" apply -f -
assert_eq e2e-comp-pipe "$(kubectl -n "$ns" get deploy comp-web -o 'jsonpath={.metadata.labels.rtdp\.io/pipeline}')" "label set"
assert_ok complete status e2e-comp
assert_contains "$E2E_OUT" "e2e-comp-pipe"
assert_ok complete delete ""
assert_contains "$E2E_OUT" "e2e-comp-pipe"
e2e_log "ok: subcommands, flags, -o values and pipeline names complete"
