#!/usr/bin/env bash
# Server-side apply by a second field manager on a field owned by the first one is a
# 409 conflict (kubectl exit 1 with the message; FieldManagerConflict over REST);
# --force-conflicts takes the field over.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
e2e_env
e2e_ns ssa; ns=$E2E_NS

e2e_deployment web 2 | assert_ok e2e_kubectl -n "$ns" apply --server-side --field-manager=e2e-first -f -
assert_contains "$E2E_OUT" "deployment.apps/web serverside-applied"

e2e_deployment web 3 | assert_fails e2e_kubectl -n "$ns" apply --server-side --field-manager=e2e-second -f -
assert_eq 1 "$E2E_RC" "kubectl exit code on conflict"
assert_contains "$E2E_OUT" "Apply failed with 1 conflict"
assert_contains "$E2E_OUT" 'conflict with "e2e-first"'
assert_contains "$E2E_OUT" ".spec.replicas"
assert_eq 2 "$(e2e_kubectl -n "$ns" get deployment web -o 'jsonpath={.spec.replicas}')" "replicas unchanged"

# The same over REST, as the plugin does it: HTTP 409 with the cause.
body='{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":4}}'
url="/apis/apps/v1/namespaces/$ns/deployments/web?fieldManager=e2e-third"
out=$(e2e_curl "$url" -X PATCH -H 'Content-Type: application/apply-patch+yaml' \
  --data-binary "$body" -w '\nHTTP %{http_code}')
assert_contains "$out" "HTTP 409"
assert_contains "$out" '"reason": "FieldManagerConflict"'
assert_contains "$out" '"field": ".spec.replicas"'

e2e_deployment web 3 | assert_ok e2e_kubectl -n "$ns" apply --server-side --field-manager=e2e-second --force-conflicts -f -
assert_eq 3 "$(e2e_kubectl -n "$ns" get deployment web -o 'jsonpath={.spec.replicas}')" "replicas after force"
owners=$(e2e_kubectl -n "$ns" get deployment web --show-managed-fields -o json |
  jq -r '.metadata.managedFields[] | select(.fieldsV1["f:spec"]["f:replicas"]) | .manager')
assert_eq e2e-second "$owners" "owner of .spec.replicas"
e2e_log "ok: 409 conflict between field managers, then forced"
