#!/usr/bin/env bash
# kubectl rtdp diff through the real kubectl (plugin found on PATH): a server-side
# apply dry run compared with the live objects, kubectl diff's exit codes, and no
# temporary directory left behind.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
e2e_env
command -v kubectl-rtdp >/dev/null || e2e_fail "kubectl-rtdp is not on PATH ($PATH)"
kubectl() { e2e_kubectl "$@"; }
# kubectl takes no flags before a plugin name: the plugin through the real kubectl.
krtdp() { "$E2E_KUBECTL" rtdp "$@"; }

name=$(e2e_ns_name diff)
e2e_on_exit "$E2E_KUBECTL" --request-timeout=20s delete namespace "$name" --wait=false
work=$(mktemp -d)
e2e_on_exit rm -rf "$work"
export TMPDIR=$work/tmp
mkdir -p "$TMPDIR"

assert_ok krtdp render "$name" --replicas 2
printf '%s\n' "$E2E_OUT" >"$work/pipeline.yaml"
assert_ok kubectl apply --server-side --field-manager=kubectl-rtdp -f "$work/pipeline.yaml"
assert_contains "$E2E_OUT" "deployment.apps/$name-controller serverside-applied"

# Nothing changed: exit 0, no output.
run_capture krtdp diff -f "$work/pipeline.yaml"
assert_eq 0 "$E2E_RC" "diff of the applied files: exit code (output: $E2E_OUT)"
assert_eq "" "$E2E_OUT" "diff of the applied files: output"

# replicas 2 -> 3 in the file: exit 1, the diff shows the replicas line.
sed 's/^  replicas: 2$/  replicas: 3/' "$work/pipeline.yaml" >"$work/changed.yaml"
run_capture krtdp diff -f "$work/changed.yaml"
assert_eq 1 "$E2E_RC" "diff after a change: exit code (output: $E2E_OUT)"
assert_contains "$E2E_OUT" "-  replicas: 2"
assert_contains "$E2E_OUT" "+  replicas: 3"
assert_contains "$E2E_OUT" "apps.v1.Deployment.$name.$name-controller"
assert_not_contains "$E2E_OUT" "managedFields"
assert_eq 2 "$(kubectl -n "$name" get deployment "$name-controller" -o 'jsonpath={.spec.replicas}')" \
  "the dry run changed nothing"

# A new object: the whole object is added; from stdin.
cat >"$work/cm.yaml" <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: extra
  namespace: $name
data:
  k: v
YAML
run_capture krtdp diff -f - <"$work/cm.yaml"
assert_eq 1 "$E2E_RC" "diff of a new object: exit code (output: $E2E_OUT)"
assert_contains "$E2E_OUT" "+kind: ConfigMap"
assert_contains "$E2E_OUT" "v1.ConfigMap.$name.extra"

# A Secret's data is masked.
kubectl -n "$name" create secret generic s1 --from-literal=pw=old-secret-value >/dev/null
cat >"$work/secret.yaml" <<YAML
apiVersion: v1
kind: Secret
metadata:
  name: s1
  namespace: $name
stringData:
  pw: new-secret-value
YAML
run_capture krtdp diff -f "$work/secret.yaml"
assert_eq 1 "$E2E_RC" "diff of a Secret: exit code (output: $E2E_OUT)"
assert_contains "$E2E_OUT" "*** (before)"
assert_contains "$E2E_OUT" "*** (after)"
assert_not_contains "$E2E_OUT" "secret-value"
assert_not_contains "$E2E_OUT" "$(printf new-secret-value | base64)"

# KUBECTL_EXTERNAL_DIFF replaces diff -u -N (split on spaces, run without a shell).
run_capture env KUBECTL_EXTERNAL_DIFF="diff -q -N" "$E2E_KUBECTL" rtdp diff -f "$work/changed.yaml"
assert_eq 1 "$E2E_RC" "external diff: exit code (output: $E2E_OUT)"
assert_contains "$E2E_OUT" "apps.v1.Deployment.$name.$name-controller"
assert_contains "$E2E_OUT" "differ"

# Errors exit > 1: an unreachable kubeconfig, a missing file.
run_capture krtdp diff -f "$work/pipeline.yaml" --kubeconfig "$work/nope"
[ "$E2E_RC" -gt 1 ] || e2e_fail "diff with a bad kubeconfig: expected exit > 1, got $E2E_RC: $E2E_OUT"
assert_contains "$E2E_OUT" "error: "
run_capture krtdp diff -f "$work/missing.yaml"
[ "$E2E_RC" -gt 1 ] || e2e_fail "diff of a missing file: expected exit > 1, got $E2E_RC"

# The temporary directories are gone.
assert_eq "" "$(ls -A "$TMPDIR")" "temporary files left behind"
assert_ok krtdp diff -h
assert_contains "$E2E_OUT" "kubectl rtdp diff -f"
e2e_log "ok: diff exit 0 on no change, 1 with the replicas line, Secret masked, >1 on errors"
