#!/usr/bin/env bash
# Build kube-apiserver, kube-controller-manager, kube-scheduler, kubectl (one Kubernetes
# release), etcd and (optionally) kwok from the Go module proxy into a versioned cache
# outside the repo. Reuses the cached binaries when they report the pinned version.
#
#   dev/build-k8s.sh            build what is missing, print the bin directory last
#   dev/build-k8s.sh --print    only print the bin directory
#
# Environment: RTDP_CACHE (default ~/.cache/rtdp), K8S_VERSION, ETCD_VERSION,
# KWOK_VERSION (empty to skip kwok).
set -euo pipefail

K8S_VERSION=${K8S_VERSION:-v1.37.2}
ETCD_VERSION=${ETCD_VERSION:-v3.7.3}
KWOK_VERSION=${KWOK_VERSION-v0.8.0}
CACHE=${RTDP_CACHE:-$HOME/.cache/rtdp}
BIN="$CACHE/k8s-$K8S_VERSION-etcd-$ETCD_VERSION/bin"
export GOFLAGS=-mod=mod
export GOMODCACHE=${GOMODCACHE:-$CACHE/gomod}
export GOCACHE=${GOCACHE:-$CACHE/gobuild}
export CGO_ENABLED=0
export GOTOOLCHAIN=local

if [ "${1:-}" = "--print" ]; then echo "$BIN"; exit 0; fi
command -v go >/dev/null || { echo "build-k8s: 'go' not found (install Go 1.26)" >&2; exit 1; }
mkdir -p "$BIN" "$CACHE/src"
log() { printf 'build-k8s: %s\n' "$*" >&2; }

k8s_ldflags() {
  local v=$1 major minor date
  major=$(echo "$v" | sed -E 's/^v([0-9]+)\..*/\1/')
  minor=$(echo "$v" | sed -E 's/^v[0-9]+\.([0-9]+)\..*/\1/')
  date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  local flags="-s -w" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitCommit=0000000000000000000000000000000000000000"
    flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date"
  done
  echo "$flags"
}

K8S_CMDS=(kube-apiserver kube-controller-manager kube-scheduler kubectl)

# k8s_bin_ok CMD: the cached CMD exists and reports the pinned version.
k8s_bin_ok() {
  [ -x "$BIN/$1" ] || return 1
  if [ "$1" = kubectl ]; then
    "$BIN/kubectl" version --client 2>/dev/null | grep -qx "Client Version: $K8S_VERSION"
  else
    "$BIN/$1" --version 2>/dev/null | grep -qx "Kubernetes $K8S_VERSION"
  fi
}

have_k8s() {
  local cmd
  for cmd in "${K8S_CMDS[@]}"; do k8s_bin_ok "$cmd" || return 1; done
}

build_k8s() {
  local mod="$CACHE/src/k8s-$K8S_VERSION" staging_ver gomod
  staging_ver="v0.${K8S_VERSION#v1.}"
  rm -rf "$mod"; mkdir -p "$mod"; cd "$mod"
  go mod init rtdp.local/k8s-tools >/dev/null 2>&1
  gomod=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  [ -n "$gomod" ] || { log "cannot download k8s.io/kubernetes@$K8S_VERSION"; return 1; }
  log "kubernetes go.mod wants: $(grep -m1 '^go ' "$gomod")"
  local count=0 m v
  for m in $(sed -n 's#^[[:space:]]*\(k8s.io/[^ ]*\) => ./staging/.*#\1#p' "$gomod"); do
    v=$staging_ver
    if ! go mod download "$m@$v" >/dev/null 2>&1; then
      v=$(go mod download -json "$m@kubernetes-${K8S_VERSION#v}" 2>/dev/null |
        grep -v '"Error"' | sed -n 's/.*"Version": "\(v.*\)".*/\1/p' || true)
    fi
    if [ -z "$v" ]; then
      # Not served (sample-cli-plugin is not): none of the binaries imports it, but
      # the module graph names it, so stand in an empty module for it.
      log "$m is not served; replacing it with an empty local module"
      mkdir -p "stub/$m"; printf 'module %s\n\ngo 1.24\n' "$m" > "stub/$m/go.mod"
      go mod edit "-replace=$m=./stub/$m"
    else
      go mod edit "-replace=$m=$m@$v"
    fi
    count=$((count + 1))
  done
  log "replaced $count staging modules"
  go mod edit "-require=k8s.io/kubernetes@$K8S_VERSION"
  go get "k8s.io/kubernetes/cmd/kube-apiserver@$K8S_VERSION" >/dev/null
  cat > tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
  go mod tidy >/dev/null
  local ld; ld=$(k8s_ldflags "$K8S_VERSION")
  for cmd in "${K8S_CMDS[@]}"; do
    if k8s_bin_ok "$cmd"; then continue; fi
    log "building $cmd $K8S_VERSION"
    go build -trimpath -ldflags "$ld" -o "$BIN/$cmd.tmp" "k8s.io/kubernetes/cmd/$cmd"
    mv "$BIN/$cmd.tmp" "$BIN/$cmd"
  done
}

have_etcd() { [ -x "$BIN/etcd" ] && "$BIN/etcd" --version 2>/dev/null | grep -q "etcd Version: ${ETCD_VERSION#v}"; }

build_etcd() {
  local mod="$CACHE/src/etcd-$ETCD_VERSION"
  rm -rf "$mod"; mkdir -p "$mod"; cd "$mod"
  go mod init rtdp.local/etcd-tools >/dev/null 2>&1
  go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >/dev/null
  printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' > tools.go
  go mod tidy >/dev/null
  log "building etcd $ETCD_VERSION"
  go build -trimpath -ldflags "-s -w" -o "$BIN/etcd.tmp" go.etcd.io/etcd/server/v3
  mv "$BIN/etcd.tmp" "$BIN/etcd"
}

have_kwok() {
  [ -x "$BIN/kwok" ] && [ -f "$BIN/kwok.version" ] && [ "$(cat "$BIN/kwok.version")" = "$KWOK_VERSION" ] &&
    [ -s "$BIN/kwok-stages.yaml" ]
}

# The kwok binary has no built-in Stages (kwokctl writes them into its config): keep
# kwok's own "fast" set (node initialize + heartbeat with lease, pod ready/complete/
# delete) next to the binary, for `kwok --config`.
kwok_stages() {
  local dir f out="$BIN/kwok-stages.yaml.tmp"
  dir=$(go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  [ -n "$dir" ] || { log "cannot find the kwok $KWOK_VERSION module"; return 1; }
  : >"$out"
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
    pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    [ -f "$dir/kustomize/stage/$f" ] || { log "kwok $KWOK_VERSION has no stage $f"; return 1; }
    { echo "---"; cat "$dir/kustomize/stage/$f"; } >>"$out"
  done
  mv "$out" "$BIN/kwok-stages.yaml"
}

build_kwok() {
  log "building kwok $KWOK_VERSION"
  if GOBIN="$BIN" go install "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" >/dev/null && kwok_stages; then
    echo "$KWOK_VERSION" > "$BIN/kwok.version"
    rm -f "$BIN/kwok.failed"
  else
    echo "$KWOK_VERSION" > "$BIN/kwok.failed"
    log "kwok $KWOK_VERSION did not build; Pods will stay Pending (tests drive status instead)"
  fi
}

# A failed kwok build is not retried on every run (it is optional): delete kwok.failed to retry.
kwok_failed_before() {
  [ -f "$BIN/kwok.failed" ] && [ "$(cat "$BIN/kwok.failed")" = "$KWOK_VERSION" ] || return 1
  log "kwok $KWOK_VERSION failed to build before; skipping it (rm $BIN/kwok.failed to retry)"
}

start=$(date +%s)
have_etcd || build_etcd
have_k8s || build_k8s
if [ -n "$KWOK_VERSION" ]; then have_kwok || kwok_failed_before || build_kwok || true; fi
log "ready in $(( $(date +%s) - start ))s: $BIN"
echo "$BIN"
