#!/usr/bin/env bash
# Benchmark (not a test): rtdp-webhook's /validate of a compliant Deployment
# against GET /healthz (TLS, routing and the HTTP reply only) on the same server,
# in the same run, over keep-alive TLS with curl. The ratio says what the
# AdmissionReview handling (parse, policy, reply) costs on top of serving.
#
#   dev/bench-webhook.sh [REQUESTS] [CLIENTS]     defaults: 3000 requests, 4 clients
# Needs build/bin/rtdp-webhook and build/bin/kubectl-rtdp (cmake --build build).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-3000}
CLIENTS=${2:-4}
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
REQ="$ROOT/tests/fixtures/webhook/validate-deployment-create-compliant.request.json"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$ROOT/build/bin/kubectl-rtdp" webhook certs --dir "$WORK/certs" --san 127.0.0.1 >/dev/null
"$ROOT/build/bin/rtdp-webhook" --bind 127.0.0.1 --port "$PORT" --log-level error \
  --tls-cert-file "$WORK/certs/tls.crt" --tls-private-key-file "$WORK/certs/tls.key" \
  --threads "$CLIENTS" 2>"$WORK/log" &
pid=$!
for _ in $(seq 50); do
  curl -fsS --cacert "$WORK/certs/ca.crt" "https://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done

# One curl config per kind of request: N requests on one keep-alive connection.
for i in $(seq "$N"); do
  [ "$i" -eq 1 ] || echo next
  printf 'url = "https://127.0.0.1:%s/validate"\ndata-binary = "@%s"\n' "$PORT" "$REQ"
  printf 'header = "Content-Type: application/json"\noutput = "/dev/null"\ncacert = "%s"\n' "$WORK/certs/ca.crt"
done >"$WORK/validate.cfg"
for i in $(seq "$N"); do
  [ "$i" -eq 1 ] || echo next
  printf 'url = "https://127.0.0.1:%s/healthz"\noutput = "/dev/null"\ncacert = "%s"\n' "$PORT" "$WORK/certs/ca.crt"
done >"$WORK/healthz.cfg"

rate() { # CONFIG: requests per second with $CLIENTS clients in parallel
  local start end j pids=()
  start=$(date +%s%N)
  for j in $(seq "$CLIENTS"); do curl -sS -K "$1" & pids+=($!); done
  wait "${pids[@]}"
  end=$(date +%s%N)
  echo $(( CLIENTS * N * 1000000000 / (end - start) ))
}
rate "$WORK/healthz.cfg" >/dev/null # warm up
h1=$(rate "$WORK/healthz.cfg"); v1=$(rate "$WORK/validate.cfg")
v2=$(rate "$WORK/validate.cfg"); h2=$(rate "$WORK/healthz.cfg")
h=$(( (h1 + h2) / 2 )); v=$(( (v1 + v2) / 2 ))
printf 'requests per run:              %d x %d clients, keep-alive TLS\n' "$N" "$CLIENTS"
printf 'GET /healthz (baseline):       %d req/s\n' "$h"
printf 'POST /validate (Deployment):   %d req/s\n' "$v"
awk -v v="$v" -v h="$h" 'BEGIN { printf "ratio validate/healthz:        %.2f\n", v / h }'
ok=$(curl -s --cacert "$WORK/certs/ca.crt" "https://127.0.0.1:$PORT/metrics" |
  awk '/^rtdp_webhook_requests_total.*decision="allow"/ {s += $2} END {print s + 0}')
printf 'allowed reviews counted:       %d (expected %d)\n' "$ok" $(( 2 * N * CLIENTS ))
