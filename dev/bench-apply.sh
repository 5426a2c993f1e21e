#!/usr/bin/env bash
# Benchmark (not a test): wall time of `kubectl rtdp apply -f DIR` against
# `kubectl apply --server-side -k DIR` on the same scaffolded directory and the
# same local cluster, in the same run, alternating the two so that machine noise
# hits both alike. Reports the medians and their ratio.
#
#   dev/bench-apply.sh [ROUNDS] [STAGES]     defaults: 20 rounds, 5 stages
# Needs: build/bin/kubectl-rtdp (cmake --build build) and dev/build-k8s.sh's binaries.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-20}
STAGES=${2:-5}
WORK=$(mktemp -d)
CLUSTER="$WORK/cluster"
K8S_BIN=$("$ROOT/dev/build-k8s.sh" --print)
export PATH="$ROOT/build/bin:$K8S_BIN:$PATH"
trap '"$ROOT/dev/cluster.sh" --dir "$CLUSTER" down >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

"$ROOT/dev/cluster.sh" --dir "$CLUSTER" up --no-kwok >/dev/null 2>&1
export KUBECONFIG="$CLUSTER/kubeconfig"
stages=$(seq -s, -f 'stage%g' 1 "$STAGES")
kubectl rtdp init bench --stages "$stages" --dir "$WORK/pipeline" >/dev/null
objects=$(grep -c '^- ' "$WORK/pipeline/kustomization.yaml")

now_ns() { date +%s%N; }
time_ms() { local t0 t1; t0=$(now_ns); "$@" >/dev/null; t1=$(now_ns); echo $(( (t1 - t0) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# Warm both paths once (first apply creates; later ones are no-op re-applies).
kubectl rtdp apply -f "$WORK/pipeline" >/dev/null
kubectl apply --server-side --field-manager=kubectl-rtdp -k "$WORK/pipeline" >/dev/null
: >"$WORK/rtdp.ms"; : >"$WORK/kubectl.ms"
for i in $(seq 1 "$ROUNDS"); do
  if [ $((i % 2)) -eq 0 ]; then
    time_ms kubectl rtdp apply -f "$WORK/pipeline" >>"$WORK/rtdp.ms"
    time_ms kubectl apply --server-side --field-manager=kubectl-rtdp -k "$WORK/pipeline" >>"$WORK/kubectl.ms"
  else
    time_ms kubectl apply --server-side --field-manager=kubectl-rtdp -k "$WORK/pipeline" >>"$WORK/kubectl.ms"
    time_ms kubectl rtdp apply -f "$WORK/pipeline" >>"$WORK/rtdp.ms"
  fi
done
r=$(median <"$WORK/rtdp.ms"); k=$(median <"$WORK/kubectl.ms")
printf 'objects per apply:                      %d (%d stages)\n' "$objects" "$STAGES"
printf 'kubectl rtdp apply -f (median of %d):    %s ms\n' "$ROUNDS" "$r"
printf 'kubectl apply --server-side -k (median): %s ms\n' "$k"
awk -v r="$r" -v k="$k" 'BEGIN { printf "ratio rtdp/kubectl:                     %.2f (below 1: rtdp is faster)\n", r / k }'
