#!/bin/bash
# Builds the libFuzzer harnesses with clang and runs each for N seconds, one
# after the other (they share the machine), starting from its saved corpus.
#
#   dev/fuzz.sh [-t SECONDS] [-b BUILD_DIR] [-j JOBS] [-m] [HARNESS...]
#
#   -t  seconds per harness (default 120)
#   -b  build directory (default build-fuzz)
#   -j  parallel build jobs (default 2)
#   -m  merge the new inputs that add coverage back into tests/fuzz/corpus/<name>
#       (libFuzzer -merge=1: only inputs that add coverage are kept)
#   HARNESS: manifest policy kubeconfig review api_response (default: every harness built)
#
# New inputs go to BUILD_DIR/fuzz/new-<name> (the saved corpus stays as it is
# unless -m); crashes go to BUILD_DIR/fuzz/crash-<name>/. Keep a crasher as a
# regression input once it is fixed: copy it into tests/fuzz/corpus/<name>/, and
# ctest's fuzz_replay_<name> replays it in every build. Exit status 1 when a
# harness crashed, leaked, or timed out.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
seconds=120
build=$here/build-fuzz
jobs=2
merge=0
while getopts "t:b:j:mh" opt; do
	case $opt in
	t) seconds=$OPTARG ;;
	b) build=$OPTARG ;;
	j) jobs=$OPTARG ;;
	m) merge=1 ;;
	*) sed -n '2,20p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

command -v clang >/dev/null || { echo "error: clang is needed (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
cmake -S "$here" -B "$build" -DCMAKE_C_COMPILER=clang -DRTDP_FUZZ=ON -DRTDP_E2E=OFF \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
	for n in manifest policy kubeconfig review api_response; do
		[ -f "$here/tests/fuzz/fuzz_$n.c" ] && harnesses+=("$n")
	done
fi
targets=()
for n in "${harnesses[@]}"; do targets+=("fuzz_$n"); done
cmake --build "$build" -j"$jobs" --target "${targets[@]}"

# A dictionary of the words our parsers care about helps libFuzzer past them.
dict=$build/fuzz/rtdp.dict
cat >"$dict" <<'EOF'
"apiVersion"
"kind"
"metadata"
"spec"
"labels"
"namespace"
"name"
"apps/v1"
"v1"
"autoscaling/v1"
"Deployment"
"Service"
"Scale"
"Namespace"
"List"
"items"
"replicas"
"selector"
"matchLabels"
"template"
"containers"
"image"
"ports"
"containerPort"
"targetPort"
"port"
"protocol"
"resources"
"requests"
"limits"
"readinessProbe"
"type"
"rtdp.io/pipeline"
"app.kubernetes.io/name"
"rtdp.io/v1alpha1"
"Policy"
"scope"
"pipelineLabel"
"exemptNamespaces"
"raiseScale"
"minimum"
"maximum"
"rules"
"action"
"mutate"
"deny"
"warn"
"off"
"namespaces"
"disallowedTags"
"---"
"..."
"<<"
"&a"
"*a"
"!!int"
"!!str"
"- "
": "
"{"
"}"
"["
"]"
"~"
".inf"
"0x"
"0o"
"latest"
"@sha256:"
"100m"
"512Mi"
EOF

status=0
for n in "${harnesses[@]}"; do
	corpus=$here/tests/fuzz/corpus/$n
	new=$build/fuzz/new-$n
	crashes=$build/fuzz/crash-$n
	mkdir -p "$new" "$crashes" "$corpus"
	echo "== fuzz_$n: ${seconds}s, corpus $corpus"
	if ! "$build/fuzz/fuzz_$n" "$new" "$corpus" -dict="$dict" -max_total_time="$seconds" \
		-rss_limit_mb=2048 -timeout=10 -max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$crashes/" 2>"$build/fuzz/$n.log"; then
		status=1
		echo "fuzz_$n FAILED: see $build/fuzz/$n.log and $crashes/" >&2
	fi
	grep -E '^(#[0-9]+ +DONE|stat::|Done)' "$build/fuzz/$n.log" || true
	tail -n 200 "$build/fuzz/$n.log" | grep -E 'cov: [0-9]+' | tail -1 || true
	if [ "$merge" = 1 ]; then
		"$build/fuzz/fuzz_$n" -merge=1 "$corpus" "$new" -rss_limit_mb=2048 -timeout=10 \
			-max_len=65536 2>>"$build/fuzz/$n.log" >/dev/null
		echo "   corpus now $(find "$corpus" -type f | wc -l) inputs"
	fi
done
exit $status
