#!/usr/bin/env bash
# The in-cluster manifests of rtdp-webhook (manifests/webhook) and its
# Service-based registration are accepted by the real apiserver (server dry run),
# and the policy they ship loads.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
e2e_env
[ -n "${RTDP_PLUGIN:-}" ] || { echo "skip: kubectl-rtdp not built"; exit 77; }
work=$(mktemp -d)
e2e_on_exit rm -rf "$work"

created=0
if ! e2e_kubectl get namespace rtdp-system >/dev/null 2>&1; then
  assert_ok e2e_kubectl create namespace rtdp-system
  created=1
fi
[ "$created" = 0 ] || e2e_on_exit "$E2E_KUBECTL" --request-timeout=20s delete namespace rtdp-system --wait=false
assert_ok e2e_kubectl apply --dry-run=server -k "$RTDP_SOURCE_DIR/manifests/webhook"
assert_contains "$E2E_OUT" "deployment.apps/rtdp-webhook created (server dry run)"
assert_contains "$E2E_OUT" "poddisruptionbudget.policy/rtdp-webhook created (server dry run)"

# The shipped policy loads (validate refuses a broken --policy with exit 2).
e2e_kubectl create --dry-run=client -f "$RTDP_SOURCE_DIR/manifests/webhook/policy.yaml" \
  -o jsonpath='{.data.policy\.yaml}' >"$work/policy.yaml"
assert_ok "$RTDP_PLUGIN" validate -f "$RTDP_SOURCE_DIR/manifests/sample-pipeline" --policy "$work/policy.yaml"

# The Service registration, made from the policy's scope, is valid for the apiserver.
assert_ok "$RTDP_PLUGIN" webhook certs --dir "$work/certs" --san rtdp-webhook.rtdp-system.svc
assert_ok "$RTDP_PLUGIN" webhook install --service rtdp-system/rtdp-webhook:443 \
  --ca-file "$work/certs/ca.crt" --policy "$work/policy.yaml" --dry-run=server
assert_contains "$E2E_OUT" "validatingwebhookconfiguration.admissionregistration.k8s.io/rtdp-webhook serverside-applied (server dry run)"
assert_fails e2e_kubectl get validatingwebhookconfiguration rtdp-webhook
e2e_log "ok: in-cluster manifests and the Service registration pass a server dry run"
