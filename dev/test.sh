#!/usr/bin/env bash
# The README's test command. On a fresh Debian 12 machine it installs what is
# missing, builds the Kubernetes control plane (cached), builds rtdp with
# warnings as errors, runs ctest (unit, valgrind, fuzz replay, TLS, e2e), then
# everything but valgrind again in an ASan+UBSan build (the e2e tests drive the
# sanitized binaries through the real kubectl and apiserver), and checks formatting
# against .clang-format.
#
#   dev/test.sh              everything
#   dev/test.sh --no-e2e     skip the real-cluster tests (no Kubernetes build)
set -euo pipefail
cd "$(dirname "$0")/.."
E2E=ON
for arg in "$@"; do
  case "$arg" in
    --no-e2e) E2E=OFF ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "error: unknown argument: $arg" >&2; exit 2 ;;
  esac
done
JOBS=${JOBS:-$(nproc)}
step() { printf '\n==> %s\n' "$*"; }

step "dependencies"
dev/install-deps.sh
if [ "$E2E" = ON ]; then
  step "Kubernetes control plane binaries (cached)"
  dev/build-k8s.sh >/dev/null
fi

step "format check (.clang-format)"
mapfile -t sources < <(git ls-files '*.c' '*.h' 2>/dev/null || find plugin webhook shared tests -name '*.[ch]')
unformatted=()
for f in "${sources[@]}"; do
  [ -f "$f" ] || continue
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
done
if [ ${#unformatted[@]} -gt 0 ]; then
  echo "error: not formatted with clang-format: ${unformatted[*]}" >&2
  echo "fix with: clang-format -i ${unformatted[*]}" >&2
  exit 1
fi
echo "${#sources[@]} C files formatted"

step "function size gate (pmccabe: complexity <= 25, length <= 60 lines)"
mapfile -t product < <(git ls-files 'shared/*.c' 'plugin/*.c' 'webhook/*.c' 2>/dev/null || find shared plugin webhook -name '*.c')
too_big=$(pmccabe "${product[@]}" 2>/dev/null | awk '$1 > 25 || $5 > 60')
if [ -n "$too_big" ]; then
  echo "error: functions over the size gate (complexity, -, statements, line, lines, name):" >&2
  echo "$too_big" >&2
  exit 1
fi
echo "${#product[@]} product sources within the gate"

step "cppcheck (warnings and portability)"
cppcheck --quiet --enable=warning,portability --std=c11 --inline-suppr --error-exitcode=1 \
  --template='{file}:{line}: {id}: {message}' -I shared/include -I plugin -I webhook "${product[@]}"
echo "cppcheck: no findings"

step "build (warnings as errors)"
cmake -S . -B build -DRTDP_WERROR=ON -DRTDP_E2E="$E2E" >/dev/null
cmake --build build -j"$JOBS"

step "ctest"
ctest --test-dir build --output-on-failure -j"$JOBS"

step "build with ASan+UBSan"
cmake -S . -B build-asan -DRTDP_WERROR=ON -DRTDP_SANITIZE=ON -DRTDP_E2E="$E2E" >/dev/null
cmake --build build-asan -j"$JOBS"

step "ctest under ASan+UBSan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$JOBS" -LE valgrind

step "all tests passed"
