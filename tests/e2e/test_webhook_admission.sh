#!/usr/bin/env bash
# rtdp-webhook registered with the real kube-apiserver (url + caBundle, real TLS):
# it changes or refuses what the apiserver stores, and agrees with
# `kubectl rtdp validate` on every fixture of tests/fixtures/agreement.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
e2e_env
[ -n "${RTDP_WEBHOOK:-}" ] || { echo "skip: rtdp-webhook not built"; exit 77; }
[ -n "${RTDP_PLUGIN:-}" ] || { echo "skip: kubectl-rtdp not built"; exit 77; }
WH_DIR="$RTDP_BUILD_DIR/e2e-webhook"
export RTDP_WEBHOOK_BIN="$RTDP_WEBHOOK"
"$RTDP_SOURCE_DIR/dev/webhook-local.sh" --dir "$WH_DIR" down >/dev/null 2>&1 || true
e2e_on_exit "$RTDP_SOURCE_DIR/dev/webhook-local.sh" --dir "$WH_DIR" down
"$RTDP_SOURCE_DIR/dev/webhook-local.sh" --dir "$WH_DIR" up

e2e_ns wh; ns=$E2E_NS
assert_ok e2e_kubectl label namespace "$ns" rtdp.io/pipeline=wh
fixtures="$RTDP_SOURCE_DIR/tests/fixtures/agreement"

# 1. A Deployment with 1 replica and missing labels is stored with 3 and the labels.
assert_ok e2e_kubectl -n "$ns" create -f "$fixtures/fixable-only.yaml"
assert_eq 3 "$(e2e_kubectl -n "$ns" get deploy ingest -o jsonpath='{.spec.replicas}')" "stored replicas"
assert_eq ingest "$(e2e_kubectl -n "$ns" get deploy ingest -o jsonpath='{.metadata.labels.app\.kubernetes\.io/name}')" "name label"
assert_eq "$ns" "$(e2e_kubectl -n "$ns" get deploy ingest -o jsonpath='{.metadata.labels.app\.kubernetes\.io/part-of}')" "part-of label (the namespace name: the webhook cannot read namespace labels)"
assert_eq 100m "$(e2e_kubectl -n "$ns" get deploy ingest -o jsonpath='{.spec.template.spec.containers[0].resources.requests.cpu}')" "cpu request"

# 2. kubectl apply --dry-run=server shows the mutation without storing it.
out=$(sed 's/name: ingest$/name: dryrun/' "$fixtures/fixable-only.yaml" | e2e_kubectl -n "$ns" apply --dry-run=server -f - -o jsonpath='{.spec.replicas}')
assert_eq 3 "$out" "dry-run replicas"
assert_fails e2e_kubectl -n "$ns" get deploy dryrun

# 3. kubectl scale below the minimum is refused with our message.
out=$(e2e_kubectl -n "$ns" scale deploy ingest --replicas=1 2>&1 || true)
assert_contains "$out" "denied the request" "scale refused"
assert_contains "$out" "below the minimum of 3" "scale message"
assert_eq 3 "$(e2e_kubectl -n "$ns" get deploy ingest -o jsonpath='{.spec.replicas}')" "replicas after refused scale"
assert_ok e2e_kubectl -n "$ns" scale deploy ingest --replicas=4

# 4. A Service with an unnamed port is refused, and kubectl shows why.
out=$(e2e_kubectl -n "$ns" create -f "$fixtures/service-unnamed-port.yaml" 2>&1 || true)
assert_contains "$out" "has no name" "unnamed service port message"
assert_fails e2e_kubectl -n "$ns" get svc unnamed

# 4b. A Service port without targetPort cannot be refused online: the apiserver
#     defaults targetPort to port before any admission webhook runs (verified here),
#     so only the offline check can see that it was missing.
cat >"$WH_DIR/../notarget.yaml" <<YAML
apiVersion: v1
kind: Service
metadata: {name: notarget, namespace: $ns, labels: {rtdp.io/pipeline: wh}}
spec:
  selector: {app: x}
  ports: [{name: http, port: 8080}]
YAML
run_capture "$RTDP_PLUGIN" validate -f "$WH_DIR/../notarget.yaml"
assert_eq 1 "$E2E_RC" "validate on a Service port without targetPort"
assert_contains "$E2E_OUT" "has no targetPort"
assert_ok e2e_kubectl create -f "$WH_DIR/../notarget.yaml"
assert_eq 8080 "$(e2e_kubectl -n "$ns" get svc notarget -o jsonpath='{.spec.ports[0].targetPort}')" "targetPort defaulted by the apiserver"
rm -f "$WH_DIR/../notarget.yaml"

# 5. Out of scope: an unlabelled namespace, and kube-system, pass untouched.
e2e_ns plain; plain=$E2E_NS
assert_ok e2e_kubectl -n "$plain" create -f "$fixtures/fixable-only.yaml"
assert_eq 1 "$(e2e_kubectl -n "$plain" get deploy ingest -o jsonpath='{.spec.replicas}')" "unlabelled namespace untouched"
sed 's/name: ingest$/name: rtdp-e2e-ks/' "$fixtures/fixable-only.yaml" | assert_ok e2e_kubectl -n kube-system create -f -
assert_eq 1 "$(e2e_kubectl -n kube-system get deploy rtdp-e2e-ks -o jsonpath='{.spec.replicas}')" "kube-system untouched"
assert_ok e2e_kubectl -n kube-system delete deploy rtdp-e2e-ks --wait=false

# 6. Offline and online agree: an unfixable deny offline <=> refused by the apiserver.
for f in "$fixtures"/*.yaml; do
  labelled=$(e2e_kubectl label --local -f "$f" rtdp.io/pipeline=wh -o yaml)
  report=$("$RTDP_PLUGIN" validate -f - -o json <<<"$labelled" || true) # exit 1 on any deny
  offline=$(jq '[.results[].findings[] | select(.action == "deny" and (.fixed | not))] | length' <<<"$report")
  if e2e_kubectl -n "$ns" apply --dry-run=server -f "$f" >/dev/null 2>&1; then online=0; else online=1; fi
  if [ "$offline" -gt 0 ]; then want=1; else want=0; fi
  assert_eq "$want" "$online" "agreement on $(basename "$f") (offline unfixable denies: $offline)"
  e2e_log "agree: $(basename "$f") offline=$offline online_denied=$online"
done
# 7. The emergency exit: with the webhook down, failurePolicy Fail blocks writes in
#    scope, and `kubectl rtdp webhook uninstall` still works and unblocks them.
kill -TERM "$(cat "$WH_DIR/pid")"
sleep 1
out=$(sed 's/name: ingest$/name: blocked/' "$fixtures/fixable-only.yaml" | e2e_kubectl -n "$ns" create -f - 2>&1 || true)
assert_contains "$out" "failed calling webhook" "a write while the webhook is down"
assert_ok "$RTDP_PLUGIN" webhook uninstall
assert_contains "$E2E_OUT" "mutatingwebhookconfiguration.admissionregistration.k8s.io \"rtdp-webhook\" deleted"
unblocked() { sed 's/name: ingest$/name: unblocked/' "$fixtures/fixable-only.yaml" | e2e_kubectl -n "$ns" create -f - >/dev/null 2>&1; }
wait_for 30 "writes to work again after uninstall" unblocked
e2e_log "ok: mutation, dry-run, scale, services, scope, agreement and the emergency exit"
