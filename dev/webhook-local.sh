#!/usr/bin/env bash
# Runs rtdp-webhook on 127.0.0.1 and registers it with the cluster in KUBECONFIG
# through url + caBundle, as the end-to-end tests and the demo need it.
#
#   dev/webhook-local.sh [--dir DIR] up      certificates, server, registration; waits
#                                            until the apiserver calls it
#   dev/webhook-local.sh [--dir DIR] down    unregisters, stops the server, removes DIR
#
# Environment: RTDP_WEBHOOK_BIN (default build/bin/rtdp-webhook), RTDP_PLUGIN
# (default kubectl-rtdp next to it), RTDP_POLICY (policy file, default built-in),
# KUBECTL (default kubectl). Certificates and the registration come from
# `kubectl rtdp webhook certs|install|uninstall` (keys mode 0600, never printed).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${RTDP_WEBHOOK_DIR:-$HOME/.cache/rtdp/webhook}
BIN=${RTDP_WEBHOOK_BIN:-$ROOT/build/bin/rtdp-webhook}
PLUGIN=${RTDP_PLUGIN:-$(dirname "$BIN")/kubectl-rtdp}
KUBECTL=${KUBECTL:-kubectl}
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
note() { printf 'webhook: %s\n' "$*" >&2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

make_certs() {
  "$PLUGIN" webhook certs --dir "$DIR/pki" --san 127.0.0.1,localhost >/dev/null
}

# The configurations follow the policy's scope (kubectl rtdp webhook install).
register() {
  "$PLUGIN" webhook install --url "https://127.0.0.1:$1" --ca-file "$DIR/pki/ca.crt" \
    ${RTDP_POLICY:+--policy "$RTDP_POLICY"} >/dev/null
}

# The apiserver picks configurations up through an informer: poll until a
# server dry-run of an out-of-shape Deployment in a labelled namespace is changed.
wait_intercepting() {
  local ns=rtdp-webhook-probe i out
  "$KUBECTL" create namespace "$ns" --dry-run=client -o yaml |
    "$KUBECTL" label --local -f - rtdp.io/pipeline=probe -o yaml |
    "$KUBECTL" apply -f - >/dev/null
  for i in $(seq 1 60); do
    out=$("$KUBECTL" -n "$ns" create deployment probe --image=probe:1.0 --replicas=1 \
        --dry-run=server -o jsonpath='{.spec.replicas}' 2>&1 || true)
    if grep -qE '^3$|denied the request' <<<"$out"; then
      "$KUBECTL" delete namespace "$ns" --wait=false >/dev/null 2>&1 || true
      note "the apiserver calls the webhook (after ${i} tries)"
      return 0
    fi
    sleep 0.5
  done
  die "the apiserver did not call the webhook within 30 s; see $DIR/webhook.log"
}

up() {
  [ -x "$BIN" ] || die "$BIN not found: build first (cmake --build build)"
  [ -x "$PLUGIN" ] || die "$PLUGIN not found: build first (cmake --build build)"
  if [ -f "$DIR/pid" ] && kill -0 "$(cat "$DIR/pid")" 2>/dev/null; then
    die "a webhook is already running from $DIR (pid $(cat "$DIR/pid")): run '$0 --dir $DIR down' first"
  fi
  mkdir -p "$DIR"; touch "$DIR/.rtdp-webhook"
  make_certs
  local port; port=$(free_port)
  "$BIN" --bind 127.0.0.1 --port "$port" --tls-cert-file "$DIR/pki/tls.crt" \
    --tls-private-key-file "$DIR/pki/tls.key" --tls-san 127.0.0.1 \
    ${RTDP_POLICY:+--policy "$RTDP_POLICY"} --shutdown-grace 5s >"$DIR/webhook.log" 2>&1 &
  echo $! >"$DIR/pid"; echo "$port" >"$DIR/port"
  local i
  for i in $(seq 1 50); do
    curl -fsS --cacert "$DIR/pki/ca.crt" "https://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    kill -0 "$(cat "$DIR/pid")" 2>/dev/null || { tail -n 20 "$DIR/webhook.log" >&2; die "rtdp-webhook exited at start"; }
    sleep 0.2
  done
  note "rtdp-webhook (pid $(cat "$DIR/pid")) ready on https://127.0.0.1:$port"
  register "$port"
  wait_intercepting
}

down() {
  [ -d "$DIR" ] || { note "nothing to stop in $DIR"; return 0; }
  [ -f "$DIR/.rtdp-webhook" ] || die "$DIR is not a webhook state dir; not touching it"
  "$PLUGIN" webhook uninstall >/dev/null 2>&1 || true
  if [ -f "$DIR/pid" ]; then
    local pid; pid=$(cat "$DIR/pid")
    if kill -0 "$pid" 2>/dev/null && grep -q rtdp-webhook "/proc/$pid/cmdline" 2>/dev/null; then
      kill -TERM "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$DIR"
  note "stopped and unregistered"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --dir) DIR=$2; shift 2 ;;
    --dir=*) DIR=${1#--dir=}; shift ;;
    up) up; exit 0 ;;
    down) down; exit 0 ;;
    *) sed -n '2,12p' "$0" >&2; exit 2 ;;
  esac
done
sed -n '2,12p' "$0" >&2; exit 2
