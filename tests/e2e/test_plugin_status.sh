#!/usr/bin/env bash
# kubectl rtdp status through the real kubectl: the stages table and -o json, exit 1
# while the pipeline is not available, 0 once it is.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
e2e_env
command -v kubectl-rtdp >/dev/null || e2e_fail "kubectl-rtdp is not on PATH ($PATH)"
kubectl() { e2e_kubectl "$@"; }
# kubectl takes no flags before a plugin name: the plugin through the real kubectl.
krtdp() { "$E2E_KUBECTL" rtdp "$@"; }

name=$(e2e_ns_name status)
e2e_on_exit "$E2E_KUBECTL" --request-timeout=20s delete namespace "$name" --wait=false
work=$(mktemp -d)
e2e_on_exit rm -rf "$work"

# No pipeline yet: exit 1 with a clear message.
run_capture krtdp status "$name"
assert_eq 1 "$E2E_RC" "status of a missing pipeline"
assert_contains "$E2E_OUT" "no Deployments with label rtdp.io/pipeline=$name found in namespace $name"

# A quota of 0 Pods keeps the stage unavailable, whether or not kwok runs.
kubectl create namespace "$name" >/dev/null
kubectl -n "$name" create quota no-pods --hard=pods=0 >/dev/null
assert_ok krtdp render "$name" --replicas 2
printf '%s\n' "$E2E_OUT" >"$work/pipeline.yaml"
assert_ok kubectl apply --server-side --field-manager=kubectl-rtdp -f "$work/pipeline.yaml"

run_capture krtdp status "$name"
assert_eq 1 "$E2E_RC" "status while no Pod runs (output: $E2E_OUT)"
assert_contains "$E2E_OUT" "NotReady"
assert_contains "$E2E_OUT" "STAGE"
assert_contains "$E2E_OUT" "AVAILABILITY"
assert_contains "$E2E_OUT" "$name-controller"
assert_contains "$E2E_OUT" "0/2"
assert_contains "$E2E_OUT" "8080/TCP"
run_capture krtdp status "$name" -o json
assert_eq 1 "$E2E_RC" "status -o json while no Pod runs"
printf '%s' "$E2E_OUT" | jq -e --arg n "$name" '.apiVersion == "rtdp.io/v1alpha1" and .kind == "PipelineStatus"
  and .metadata.name == $n and .metadata.namespace == $n and .status.ready == false
  and (.status.stages | length) == 1 and .status.stages[0].desiredReplicas == 2
  and .status.stages[0].availableReplicas == 0 and .status.services[0].type == "ClusterIP"
  and .status.services[0].ports[0].port == 8080' >/dev/null ||
  e2e_fail "status -o json: unexpected document: $E2E_OUT"

# -n names the namespace; a namespace without the pipeline has none.
run_capture krtdp status "$name" -n default
assert_eq 1 "$E2E_RC" "status in another namespace"
assert_contains "$E2E_OUT" "namespace default"

kubectl -n "$name" delete quota no-pods >/dev/null
# Wake the ReplicaSet up now rather than after its error backoff.
kubectl -n "$name" annotate rs -l "app.kubernetes.io/instance=$name" rtdp.io/poke=1 --overwrite >/dev/null || true
if [ "${RTDP_KWOK:-0}" = 1 ]; then
  # kwok makes the Pods Running and Ready.
  wait_for 120 "status to report the pipeline available" krtdp status "$name"
else
  # No Node: report the Deployment available through its status subresource.
  gen=$(kubectl -n "$name" get deploy "$name-controller" -o 'jsonpath={.metadata.generation}')
  patch="{\"status\":{\"observedGeneration\":$gen,\"replicas\":2,\"updatedReplicas\":2,\"readyReplicas\":2,\"availableReplicas\":2}}"
  poke() {
    kubectl -n "$name" patch deploy "$name-controller" --subresource=status --type=merge -p "$patch" >/dev/null &&
      krtdp status "$name" >/dev/null
  }
  wait_for 30 "status to report the patched Deployment available" poke
fi
run_capture krtdp status "$name" -o json
assert_eq 0 "$E2E_RC" "status -o json once available (output: $E2E_OUT)"
printf '%s' "$E2E_OUT" | jq -e '.status.ready == true and .status.stages[0].availability == "2/2"' >/dev/null ||
  e2e_fail "status -o json once available: $E2E_OUT"
if [ "${RTDP_KWOK:-0}" = 1 ]; then
  wait_for 60 "2 ready endpoints" sh -c "kubectl-rtdp status '$name' -o json | jq -e '.status.services[0].endpoints.ready == 2'"
fi

run_capture krtdp status "$name" --kubeconfig "$work/nope"
assert_eq 1 "$E2E_RC" "status with a bad kubeconfig"
assert_contains "$E2E_OUT" "error: "
e2e_log "ok: status table and json, exit 1 while unavailable, 0 once available"
