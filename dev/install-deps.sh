#!/usr/bin/env bash
# Installs the Debian packages rtdp builds and tests with. Idempotent: installs
# only what is missing (apt-get update first, as a fresh machine needs).
set -euo pipefail
PKGS=(
  build-essential cmake pkg-config git ca-certificates curl openssl
  libcurl4-openssl-dev libcjson-dev libssl-dev libmicrohttpd-dev libgnutls28-dev
  libyaml-dev libcmocka-dev
  clang libclang-rt-14-dev clang-format valgrind cppcheck pmccabe
  jq procps iproute2 time python3
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PKGS[@]} packages present"
  exit 0
fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
