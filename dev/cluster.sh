#!/usr/bin/env bash
# A throwaway Kubernetes control plane on 127.0.0.1 for rtdp's end-to-end tests:
# etcd, kube-apiserver (RBAC, service accounts) and kube-controller-manager, plus
# kube-scheduler and kwok with one fake Node when kwok is available, so that Pods
# get scheduled and become Running/Ready. Binaries come from dev/build-k8s.sh.
#
#   dev/cluster.sh [--dir DIR] up [--port N] [--kwok|--no-kwok]
#   dev/cluster.sh [--dir DIR] down
#   dev/cluster.sh [--dir DIR] status
#   dev/cluster.sh [--dir DIR] env        (eval "$(dev/cluster.sh env)")
#
# Environment: RTDP_CLUSTER_DIR (state dir, default ~/.cache/rtdp/cluster),
# RTDP_K8S_BIN (binaries, default `dev/build-k8s.sh --print`), RTDP_KWOK (1/0,
# default 1 when kwok and kube-scheduler are built), RTDP_CLUSTER_TIMEOUT (seconds
# per component to become ready, default 90), RTDP_CLUSTER_GRACE (seconds between
# SIGTERM and SIGKILL on down, default 10).
#
# Exit codes: 0 ok, 1 failure (for status: not running), 2 usage.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${RTDP_CLUSTER_DIR:-$HOME/.cache/rtdp/cluster}
BIN=${RTDP_K8S_BIN:-}
KWOK=${RTDP_KWOK:-auto}
TIMEOUT=${RTDP_CLUSTER_TIMEOUT:-90}
GRACE=${RTDP_CLUSTER_GRACE:-10}
API_PORT=""
MARKER=".rtdp-cluster"
KWOK_NODE="kwok-node-0"
STARTED=()     # pids started by this invocation (for cleanup when up fails)

die() { printf 'error: %s\n' "$*" >&2; exit 1; }
note() { printf 'cluster: %s\n' "$*" >&2; }
usage() {
  [ -z "${1:-}" ] || printf 'error: %s\n' "$1" >&2
  echo "usage:" >&2
  sed -n '7,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

# --- processes -------------------------------------------------------------

# pid_is NAME PID PATH: true when PID is still the binary PATH that up started for
# this cluster (argv[0] is PATH and the command line names a file in the state dir).
pid_is() {
  local pid=$2 path=$3 args=()
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  mapfile -d '' -t args <"/proc/$pid/cmdline" 2>/dev/null || return 1
  [ "${#args[@]}" -gt 0 ] && [ "${args[0]}" = "$path" ] || return 1
  [[ "${args[*]}" == *"$DIR/"* ]]
}

# Reads "$DIR/pids" (lines "NAME PID PATH") into the parallel arrays P_NAME P_PID P_PATH.
read_pids() {
  P_NAME=(); P_PID=(); P_PATH=()
  [ -f "$DIR/pids" ] || return 0
  local name pid path
  while read -r name pid path; do
    [ -n "${name:-}" ] || continue
    P_NAME+=("$name"); P_PID+=("$pid"); P_PATH+=("$path")
  done <"$DIR/pids"
}

# start NAME BINARY ARGS...: runs BINARY in its own session (so it outlives this
# script and the ctest that ran it), output in logs/NAME.log, pid in pids.
start() {
  local name=$1 bin=$2; shift 2
  setsid "$bin" "$@" >"$DIR/logs/$name.log" 2>&1 </dev/null &
  local pid=$!
  STARTED+=("$pid")
  printf '%s %s %s\n' "$name" "$pid" "$bin" >>"$DIR/pids"
  LAST_PID=$pid
}

# stop_one NAME PID PATH: SIGTERM, then SIGKILL after GRACE seconds.
stop_one() {
  local name=$1 pid=$2 path=$3 i
  if ! pid_is "$name" "$pid" "$path"; then return 0; fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < GRACE * 10; i++)); do
    pid_is "$name" "$pid" "$path" || { note "stopped $name (pid $pid)"; return 0; }
    sleep 0.1
  done
  note "$name (pid $pid) ignored SIGTERM for ${GRACE}s: sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    pid_is "$name" "$pid" "$path" || return 0
    sleep 0.1
  done
  printf 'error: %s (pid %s) is still running after SIGKILL\n' "$name" "$pid" >&2
  return 1
}

stop_all() {
  local i rc=0
  read_pids
  for ((i = ${#P_PID[@]} - 1; i >= 0; i--)); do
    stop_one "${P_NAME[i]}" "${P_PID[i]}" "${P_PATH[i]}" || rc=1
  done
  return $rc
}

# Called on any failure of up: stop what this invocation started, keep the logs.
up_failed() {
  local rc=$?
  trap - EXIT
  [ $rc -ne 0 ] || return 0
  if [ ${#STARTED[@]} -gt 0 ]; then
    GRACE=3 stop_all || true
    wait 2>/dev/null || true
  fi
  printf 'error: cluster did not come up; logs kept in %s/logs; remove the state with: %s down --dir %q\n' \
    "$DIR" "$0" "$DIR" >&2
  exit $rc
}

# exited NAME PID: the component died during start-up: say why, with its log's tail.
exited() {
  local name=$1 pid=$2 log="$DIR/logs/$1.log" code=0
  wait "$pid" 2>/dev/null || code=$?
  printf 'error: %s exited at start (exit code %s); last lines of %s:\n' "$name" "$code" "$log" >&2
  tail -n 25 "$log" | sed 's/^/  | /' >&2
  if grep -q 'address already in use' "$log"; then
    printf 'error: %s: a port it needs on 127.0.0.1 is in use (taken since up picked it): run up again\n' \
      "$name" >&2
  fi
  exit 1
}

# wait_ready NAME PID TIMEOUT WHAT CMD...: polls CMD until it succeeds (WHAT is ready).
wait_ready() {
  local name=$1 pid=$2 limit=$3 what=$4 t0=$SECONDS; shift 4
  while ! "$@" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || exited "$name" "$pid"
    if ((SECONDS - t0 >= limit)); then
      printf 'error: %s (pid %s) not ready after %ss (waiting for: %s); last lines of %s:\n' \
        "$name" "$pid" "$limit" "$what" "$DIR/logs/$name.log" >&2
      tail -n 25 "$DIR/logs/$name.log" | sed 's/^/  | /' >&2
      exit 1
    fi
    sleep 0.5
  done
  note "$what ready (${SECONDS}s)"
}

# --- ports -----------------------------------------------------------------

# free_ports N: prints N distinct free TCP ports on 127.0.0.1 (bound together, then released).
free_ports() {
  if command -v python3 >/dev/null; then
    python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
  else
    local ports=() p
    while [ ${#ports[@]} -lt "$1" ]; do
      p=$((20000 + RANDOM % 12000))
      [[ " ${ports[*]} " == *" $p "* ]] && continue
      port_free "$p" && ports+=("$p")
    done
    echo "${ports[*]}"
  fi
}

# port_free PORT: true when nothing uses TCP PORT (any state, any address).
port_free() {
  [ -z "$(ss -Htan "( sport = :$1 )" 2>/dev/null)" ]
}

# pick_ports: sets P_ETCD P_PEER P_API P_KCM P_SCHED P_KWOK (before any state is written).
pick_ports() {
  local p
  read -r P_ETCD P_PEER P_API P_KCM P_SCHED P_KWOK <<<"$(free_ports 6)"
  [ -n "${P_KWOK:-}" ] || die "cannot find free ports on 127.0.0.1"
  if [ -n "$API_PORT" ]; then
    port_free "$API_PORT" ||
      die "port $API_PORT (kube-apiserver, from --port) on 127.0.0.1 is in use: choose another or leave --port out"
    P_API=$API_PORT
  fi
  for p in "$P_ETCD" "$P_PEER" "$P_KCM" "$P_SCHED" "$P_KWOK"; do
    [ "$p" != "$P_API" ] || die "port $p was picked twice: run up again"
  done
}

write_ports() {
  printf 'etcd=%s etcd_peer=%s apiserver=%s controller_manager=%s scheduler=%s kwok=%s\n' \
    "$P_ETCD" "$P_PEER" "$P_API" "$P_KCM" "$P_SCHED" "$P_KWOK" >"$DIR/ports"
}

# --- certificates and kubeconfig ------------------------------------------

# ossl ARGS...: openssl, quiet; its stderr (never key material) shown on failure.
ossl() {
  local out
  out=$(openssl "$@" 2>&1 >/dev/null) || { printf '%s\n' "$out" >&2; die "openssl $1 failed in $DIR/pki"; }
}

# leaf NAME SUBJECT EXTENSIONS: an EC P-256 key and a certificate signed by the CA.
leaf() {
  local name=$1 subj=$2 ext=$3
  ossl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -keyout "$name.key" -out "$name.csr" -subj "$subj"
  printf '%b' "$ext" >"$name.ext"
  ossl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -days 30 \
    -set_serial "0x$(openssl rand -hex 16)" -extfile "$name.ext" -out "$name.crt"
  rm -f "$name.csr" "$name.ext"
}

make_pki() {
  mkdir -p "$DIR/pki"
  (
    cd "$DIR/pki"
    umask 077
    ossl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
      -keyout ca.key -out ca.crt -days 30 -subj "/CN=rtdp-e2e-ca" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    leaf apiserver "/CN=kube-apiserver" \
      "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\n"
    leaf admin "/O=system:masters/CN=admin" \
      "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n"
    ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out sa.key
    ossl pkey -in sa.key -pubout -out sa.pub
    chmod 0600 ./*.key
  )
}

b64() { base64 -w0 <"$1"; }

write_kubeconfig() {
  (
    umask 077
    cat >"$DIR/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: rtdp-e2e
  cluster:
    server: https://127.0.0.1:$P_API
    certificate-authority-data: $(b64 "$DIR/pki/ca.crt")
users:
- name: admin
  user:
    client-certificate-data: $(b64 "$DIR/pki/admin.crt")
    client-key-data: $(b64 "$DIR/pki/admin.key")
contexts:
- name: rtdp-e2e
  context:
    cluster: rtdp-e2e
    user: admin
current-context: rtdp-e2e
EOF
  )
}

write_env() {
  {
    echo "# written by dev/cluster.sh up; source it (or: eval \"\$(dev/cluster.sh env)\")"
    printf 'export KUBECONFIG=%q\n' "$DIR/kubeconfig"
    printf 'export RTDP_CLUSTER_DIR=%q\n' "$DIR"
    printf 'export RTDP_K8S_BIN=%q\n' "$BIN"
    printf 'export RTDP_APISERVER=%q\n' "https://127.0.0.1:$P_API"
    printf 'export RTDP_CLUSTER_CA=%q\n' "$DIR/pki/ca.crt"
    printf 'export RTDP_CLUSTER_ADMIN_CERT=%q\n' "$DIR/pki/admin.crt"
    printf 'export RTDP_CLUSTER_ADMIN_KEY=%q\n' "$DIR/pki/admin.key"
    printf 'export RTDP_KWOK=%q\n' "$KWOK"
    printf 'export RTDP_KWOK_NODE=%q\n' "$([ "$KWOK" = 1 ] && echo "$KWOK_NODE")"
  } >"$DIR/cluster.env"
}

# --- components ------------------------------------------------------------

curl_api() {
  curl -sf --max-time 3 --cacert "$DIR/pki/ca.crt" --cert "$DIR/pki/admin.crt" \
    --key "$DIR/pki/admin.key" "https://127.0.0.1:$P_API$1"
}
# Health of a component serving a self-signed certificate on an always-allowed path.
curl_health() { curl -skf --max-time 3 "https://127.0.0.1:$1/healthz"; }
kctl() { "$BIN/kubectl" --kubeconfig "$DIR/kubeconfig" --request-timeout=10s "$@"; }

start_etcd() {
  start etcd "$BIN/etcd" --name=rtdp-e2e --data-dir="$DIR/etcd" \
    --listen-client-urls="http://127.0.0.1:$P_ETCD" --advertise-client-urls="http://127.0.0.1:$P_ETCD" \
    --listen-peer-urls="http://127.0.0.1:$P_PEER" --initial-advertise-peer-urls="http://127.0.0.1:$P_PEER" \
    --initial-cluster="rtdp-e2e=http://127.0.0.1:$P_PEER" --unsafe-no-fsync=true
  wait_ready etcd "$LAST_PID" "$TIMEOUT" "etcd /health (pid $LAST_PID)" curl -sf --max-time 2 "http://127.0.0.1:$P_ETCD/health"
}

start_apiserver() {
  # 127.0.0.1 as advertise address needs the "none" endpoint reconciler (see dev/CLUSTER.md).
  start kube-apiserver "$BIN/kube-apiserver" --etcd-servers="http://127.0.0.1:$P_ETCD" \
    --bind-address=127.0.0.1 --secure-port="$P_API" \
    --advertise-address=127.0.0.1 --endpoint-reconciler-type=none \
    --cert-dir="$DIR/apiserver" \
    --tls-cert-file="$DIR/pki/apiserver.crt" --tls-private-key-file="$DIR/pki/apiserver.key" \
    --client-ca-file="$DIR/pki/ca.crt" --authorization-mode=RBAC \
    --service-account-issuer="https://127.0.0.1:$P_API" \
    --service-account-key-file="$DIR/pki/sa.pub" --service-account-signing-key-file="$DIR/pki/sa.key" \
    --service-cluster-ip-range=10.0.0.0/24 --allow-privileged=true
  wait_ready kube-apiserver "$LAST_PID" "$TIMEOUT" "kube-apiserver /readyz (pid $LAST_PID)" curl_api /readyz
}

start_controller_manager() {
  start kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig="$DIR/kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$P_KCM" --cert-dir="$DIR/controller-manager" \
    --leader-elect=false --root-ca-file="$DIR/pki/ca.crt" \
    --service-account-private-key-file="$DIR/pki/sa.key" --use-service-account-credentials
  local pid=$LAST_PID
  wait_ready kube-controller-manager "$pid" "$TIMEOUT" "kube-controller-manager /healthz (pid $pid)" \
    curl_health "$P_KCM"
  # The service-account controller runs: Pods can be admitted from now on.
  wait_ready kube-controller-manager "$pid" "$TIMEOUT" "ServiceAccount default/default" \
    kctl -n default get serviceaccount default
}

start_scheduler() {
  start kube-scheduler "$BIN/kube-scheduler" --kubeconfig="$DIR/kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$P_SCHED" --cert-dir="$DIR/scheduler" --leader-elect=false
  wait_ready kube-scheduler "$LAST_PID" "$TIMEOUT" "kube-scheduler /healthz (pid $LAST_PID)" \
    curl_health "$P_SCHED"
}

node_manifest() {
  cat <<EOF
apiVersion: v1
kind: Node
metadata:
  name: $KWOK_NODE
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/hostname: $KWOK_NODE
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
status:
  allocatable: {cpu: "32", memory: 256Gi, pods: "110"}
  capacity: {cpu: "32", memory: 256Gi, pods: "110"}
EOF
}

node_ready() {
  [ "$(kctl get node "$KWOK_NODE" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')" = True ]
}

start_kwok() {
  start kwok "$BIN/kwok" --kubeconfig="$DIR/kubeconfig" --config="$BIN/kwok-stages.yaml" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --server-address="127.0.0.1:$P_KWOK" --node-ip=127.0.0.1 --cidr=10.0.1.0/24 \
    --node-lease-duration-seconds=40
  local pid=$LAST_PID
  wait_ready kwok "$pid" "$TIMEOUT" "kwok /healthz (pid $pid)" \
    curl -sf --max-time 2 "http://127.0.0.1:$P_KWOK/healthz"
  node_manifest | kctl apply -f - >/dev/null || die "cannot create the fake Node '$KWOK_NODE'"
  wait_ready kwok "$pid" "$TIMEOUT" "fake Node $KWOK_NODE" node_ready
}

# --- subcommands -------------------------------------------------------------

resolve_bin() {
  [ -n "$BIN" ] || BIN=$("$ROOT/dev/build-k8s.sh" --print)
}

# check_state: for up, DIR must be absent, empty, or refused with the reason.
check_state() {
  [ -d "$DIR" ] || return 0
  [ -n "$(ls -A "$DIR")" ] || return 0
  [ -f "$DIR/$MARKER" ] ||
    die "'$DIR' exists and is not a cluster state folder (no $MARKER): choose another --dir"
  read_pids
  local i live=() dead=()
  for i in "${!P_PID[@]}"; do
    if pid_is "${P_NAME[i]}" "${P_PID[i]}" "${P_PATH[i]}"; then
      live+=("${P_NAME[i]}(${P_PID[i]})")
    else
      dead+=("${P_NAME[i]}(${P_PID[i]})")
    fi
  done
  if [ ${#live[@]} -gt 0 ]; then
    die "a cluster is already running in '$DIR' (${live[*]}${dead:+; gone: ${dead[*]}}): use it (export KUBECONFIG=$DIR/kubeconfig) or stop it first: $0 down --dir $(printf %q "$DIR")"
  fi
  die "stale cluster state in '$DIR': its processes are gone (${dead[*]:-none recorded}; machine rebooted, killed, or a failed up): remove it with: $0 down --dir $(printf %q "$DIR")"
}

check_bins() {
  local b
  for b in "$@"; do
    [ -x "$BIN/$b" ] || die "'$b' not found in '$BIN': build the binaries with dev/build-k8s.sh"
  done
}

decide_kwok() {
  case "$KWOK" in
    1|0) ;;
    auto)
      KWOK=0
      if [ -x "$BIN/kwok" ] && [ -x "$BIN/kube-scheduler" ] && [ -s "$BIN/kwok-stages.yaml" ]; then KWOK=1; fi ;;
    *) die "RTDP_KWOK must be 1, 0 or auto, not '$KWOK'" ;;
  esac
  [ "$KWOK" = 0 ] || check_bins kwok kube-scheduler
  [ "$KWOK" = 0 ] || [ -s "$BIN/kwok-stages.yaml" ] ||
    die "'kwok-stages.yaml' not found in '$BIN': run dev/build-k8s.sh (it writes kwok's Stages there)"
}

cmd_up() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) [ $# -ge 2 ] || usage; API_PORT=$2; shift ;;
      --port=*) API_PORT=${1#--port=} ;;
      --kwok) KWOK=1 ;;
      --no-kwok) KWOK=0 ;;
      *) usage "unknown option for up: '$1'" ;;
    esac
    shift
  done
  [ -z "$API_PORT" ] || [[ $API_PORT =~ ^[0-9]+$ ]] || die "--port wants a number, not '$API_PORT'"
  check_state
  check_bins etcd kube-apiserver kube-controller-manager kubectl
  decide_kwok
  command -v openssl >/dev/null || die "openssl not found (dev/install-deps.sh installs it)"
  command -v curl >/dev/null || die "curl not found (dev/install-deps.sh installs it)"

  SECONDS=0
  pick_ports
  mkdir -p "$DIR/logs"
  echo "rtdp-cluster 1" >"$DIR/$MARKER"
  : >"$DIR/pids"
  trap up_failed EXIT
  write_ports
  make_pki
  write_kubeconfig
  start_etcd
  start_apiserver
  start_controller_manager
  if [ "$KWOK" = 1 ]; then
    start_scheduler
    start_kwok
  fi
  write_env
  trap - EXIT
  note "up in ${SECONDS}s: https://127.0.0.1:$P_API (kwok: $([ "$KWOK" = 1 ] && echo "node $KWOK_NODE" || echo off))"
  printf 'export KUBECONFIG=%q\n' "$DIR/kubeconfig"
  # shellcheck disable=SC2016 # printed for the user's shell to expand
  printf '# or: eval "$(%s env --dir %q)"   (also puts the built kubectl first on PATH)\n' "$0" "$DIR"
}

cmd_down() {
  [ $# -eq 0 ] || usage "down takes no arguments"
  if [ ! -d "$DIR" ] || [ -z "$(ls -A "$DIR")" ]; then
    note "no cluster in '$DIR'"
    rmdir "$DIR" 2>/dev/null || true
    return 0
  fi
  [ -f "$DIR/$MARKER" ] ||
    die "'$DIR' is not a cluster state folder (no $MARKER): not touching it"
  case "$DIR" in /|"$HOME"|"$HOME/") die "refusing to remove '$DIR'" ;; esac
  stop_all || die "some processes of the cluster in '$DIR' are still running: not removing its state"
  rm -rf -- "$DIR"
  note "removed '$DIR'"
}

cmd_status() {
  [ $# -eq 0 ] || usage "status takes no arguments"
  [ -f "$DIR/$MARKER" ] || { note "no cluster in '$DIR'"; return 1; }
  read_pids
  local i rc=0
  for i in "${!P_PID[@]}"; do
    if pid_is "${P_NAME[i]}" "${P_PID[i]}" "${P_PATH[i]}"; then
      printf '%-24s pid %-8s running\n' "${P_NAME[i]}" "${P_PID[i]}"
    else
      printf '%-24s pid %-8s NOT RUNNING (log: %s)\n' "${P_NAME[i]}" "${P_PID[i]}" "$DIR/logs/${P_NAME[i]}.log"
      rc=1
    fi
  done
  if [ -f "$DIR/cluster.env" ]; then
    # shellcheck disable=SC1091
    P_API=$(. "$DIR/cluster.env" && echo "${RTDP_APISERVER##*:}")
    if curl_api /readyz >/dev/null 2>&1; then
      printf '%-24s https://127.0.0.1:%s ready\n' apiserver "$P_API"
    else
      printf '%-24s https://127.0.0.1:%s NOT READY\n' apiserver "$P_API"; rc=1
    fi
  else
    printf 'the cluster in %s never finished starting (no cluster.env)\n' "$DIR"; rc=1
  fi
  [ $rc -eq 0 ] || note "not healthy: '$0 down --dir $(printf %q "$DIR")' removes it"
  return $rc
}

cmd_env() {
  [ $# -eq 0 ] || usage "env takes no arguments"
  [ -f "$DIR/cluster.env" ] || die "no running cluster in '$DIR' (start one with: $0 up --dir $(printf %q "$DIR"))"
  grep -v '^#' "$DIR/cluster.env"
  # shellcheck disable=SC1091,SC2016 # $PATH is for the shell that evals this
  printf 'export PATH=%q:"$PATH"\n' "$(. "$DIR/cluster.env" && echo "$RTDP_K8S_BIN")"
}

main() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --dir) [ $# -ge 2 ] || usage; DIR=$2; shift 2 ;;
      --dir=*) DIR=${1#--dir=}; shift ;;
      -h|--help) sed -n '2,24s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
      *) break ;;
    esac
  done
  [ $# -ge 1 ] || usage
  [ -n "$DIR" ] || die "empty --dir"
  DIR=$(realpath -m -- "$DIR")
  local cmd=$1; shift
  # Sub-command flags may also carry --dir after the command name.
  local rest=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --dir) [ $# -ge 2 ] || usage; DIR=$(realpath -m -- "$2"); shift 2 ;;
      --dir=*) DIR=$(realpath -m -- "${1#--dir=}"); shift ;;
      *) rest+=("$1"); shift ;;
    esac
  done
  resolve_bin
  case "$cmd" in
    up) cmd_up "${rest[@]+"${rest[@]}"}" ;;
    down) cmd_down "${rest[@]+"${rest[@]}"}" ;;
    status) cmd_status "${rest[@]+"${rest[@]}"}" ;;
    env) cmd_env "${rest[@]+"${rest[@]}"}" ;;
    *) usage "unknown command '$cmd'" ;;
  esac
}

main "$@"
