#!/usr/bin/env bash
# The README's main command. On a fresh Debian 12 machine: installs what is
# missing, builds the Kubernetes control plane (cached) and rtdp, brings up
# etcd + kube-apiserver + kube-controller-manager (+ kube-scheduler and kwok) on
# 127.0.0.1, runs rtdp-webhook registered with it over TLS, then takes the sample
# pipeline through kubectl rtdp: init, validate, apply --wait, status, and shows
# the webhook at work. Everything stays up afterwards; it prints how to look
# around and how to tear it down.
#
#   dev/demo.sh           run it
#   dev/demo.sh down      tear it down
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
STATE=${RTDP_DEMO_DIR:-$HOME/.cache/rtdp/demo}
say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

down() {
  if [ -f "$STATE/cluster/kubeconfig" ]; then
    KUBECONFIG="$STATE/cluster/kubeconfig" PATH="$(dev/build-k8s.sh --print):$PATH" \
      dev/webhook-local.sh --dir "$STATE/webhook" down || true
  fi
  dev/cluster.sh --dir "$STATE/cluster" down || true
  rm -rf "$STATE"
}
if [ "${1:-}" = down ]; then down; exit 0; fi
[ $# -eq 0 ] || { sed -n '2,12p' "$0"; exit 2; }

say "Installing what is missing and building (Kubernetes binaries are cached)"
dev/install-deps.sh
K8S_BIN=$(dev/build-k8s.sh | tail -n 1)
cmake -S . -B build-demo -DRTDP_TESTS=OFF >/dev/null
cmake --build build-demo -j"$(nproc)" >/dev/null
export PATH="$ROOT/build-demo/bin:$K8S_BIN:$PATH"

say "Starting a local control plane on 127.0.0.1"
if dev/cluster.sh --dir "$STATE/cluster" status >/dev/null 2>&1; then
  echo "reusing the running demo cluster in $STATE/cluster"
else
  dev/cluster.sh --dir "$STATE/cluster" down >/dev/null 2>&1 || true
  dev/cluster.sh --dir "$STATE/cluster" up
fi
export KUBECONFIG="$STATE/cluster/kubeconfig"
show kubectl get nodes

say "Running rtdp-webhook on 127.0.0.1 and registering it (url + caBundle)"
dev/webhook-local.sh --dir "$STATE/webhook" down >/dev/null 2>&1 || true
RTDP_WEBHOOK_BIN="$ROOT/build-demo/bin/rtdp-webhook" dev/webhook-local.sh --dir "$STATE/webhook" up

say "Scaffolding the sample pipeline (kubectl finds the plugin on PATH)"
rm -rf "$STATE/pipeline"
show kubectl rtdp init --dir "$STATE/pipeline"
show kubectl rtdp validate -f "$STATE/pipeline"

say "Applying it with server-side apply and waiting for the rollout"
show kubectl rtdp apply -f "$STATE/pipeline" --wait --timeout 2m
show kubectl rtdp status real-time-data-processing || true
show kubectl -n real-time-data-processing get deploy,svc,pdb,pods

say "The webhook at work: kubectl scale below the minimum is refused"
show kubectl -n real-time-data-processing scale deploy real-time-data-processing-controller --replicas=1 || true

say "Done. Look around with:"
cat <<MSG
  export KUBECONFIG=$KUBECONFIG
  export PATH=$ROOT/build-demo/bin:$K8S_BIN:\$PATH
  kubectl rtdp status real-time-data-processing
  kubectl rtdp diff -f $STATE/pipeline
  tail -f $STATE/webhook/webhook.log        # the webhook's JSON log lines
Tear it all down with:
  dev/demo.sh down
MSG
