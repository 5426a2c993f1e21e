#!/bin/bash
# Benchmark of `kubectl rtdp validate` (a script, not a test).
#
#   dev/bench-validate.sh [-n OBJECTS] [-b BUILD_DIR] [-s "10000 20000 40000"] [-k]
#
# Generates a realistic set of manifests (per pipeline: a labelled Namespace,
# Deployments and the Services in front of them; about one object in five has a
# finding), once as one file per object in a directory per namespace and once
# as one big multi-document file, and reports for each layout:
#   - objects per second and peak memory (GNU time's maximum resident set size)
#     of `kubectl rtdp validate -R -f DIR` (text) and `-f big.yaml -o json`;
#   - in the same run, side by side, baselines over the same big file:
#       kubectl kustomize    kubectl's own offline YAML pass (kyaml: parse and re-emit)
#       pyyaml-libyaml       PyYAML's CSafeLoader (libyaml, as our loader), when importable
#       rtdp-parse-only      our loader alone (rtdp_manifest_load_path), no policy
#     and the ratio validate / baseline (objects per second);
#   - the scaling of validate over the sizes given with -s (linear: the time
#     per object stays flat).
# -k keeps the generated files (printed path). Needs a built tree (cmake --build).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
objects=20000
build=""
sizes="10000 20000 40000"
keep=0
while getopts "n:b:s:kh" opt; do
	case $opt in
	n) objects=$OPTARG ;;
	b) build=$OPTARG ;;
	s) sizes=$OPTARG ;;
	k) keep=1 ;;
	*) sed -n '2,22p' "$0"; exit 2 ;;
	esac
done
if [ -z "$build" ]; then
	for d in "$here/build" "$here/build-shared" "$here"/build*; do
		if [ -x "$d/bin/kubectl-rtdp" ]; then build=$d; break; fi
	done
fi
build=$(cd "$build" && pwd)
bin=$build/bin/kubectl-rtdp
[ -x "$bin" ] || { echo "error: no kubectl-rtdp under '$build' (use -b BUILD_DIR)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time (GNU time) is needed for the peak memory" >&2; exit 2; }

work=$(mktemp -d /tmp/rtdp-bench.XXXXXX)
if [ "$keep" = 0 ]; then trap 'rm -rf "$work"' EXIT; fi

# generate N DIR: DIR/big.yaml (all objects) and DIR/tree/<namespace>/<kind>-<name>.yaml
generate() {
	local n=$1 dir=$2
	mkdir -p "$dir/tree"
	awk -v total="$n" -v dir="$dir" '
	function emit(name, text) {
		if (count > 0) printf "---\n" > big
		printf "%s", text > big
		f = dir "/tree/" ns "/" name ".yaml"
		printf "%s", text > f
		close(f)
		count++
	}
	function labels(indent, name, component, version,   s) {
		s = indent "app.kubernetes.io/name: " name "\n"
		s = s indent "app.kubernetes.io/instance: " ns "\n"
		if (version != "") s = s indent "app.kubernetes.io/version: \"" version "\"\n"
		s = s indent "app.kubernetes.io/component: " component "\n"
		s = s indent "app.kubernetes.io/part-of: " ns "\n"
		s = s indent "app.kubernetes.io/managed-by: rtdp\n"
		s = s indent "rtdp.io/pipeline: " ns "\n"
		return s
	}
	BEGIN {
		big = dir "/big.yaml"
		per = 12  # Deployments per pipeline, each with its Service
		for (p = 0; count < total; p++) {
			ns = sprintf("pipeline-%04d", p)
			system("mkdir -p " dir "/tree/" ns)
			emit("namespace", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " ns "\n  labels:\n    rtdp.io/pipeline: " ns "\n")
			for (d = 0; d < per && count < total; d++) {
				k = p * per + d
				comp = sprintf("stage%02d", d)
				name = ns "-" comp
				version = sprintf("1.%d.%d", d, p % 10)
				image = (k % 7 == 3) ? "ghcr.io/example/" comp ":latest" : "ghcr.io/example/" comp ":" version
				replicas = (k % 13 == 5) ? 1 : 3
				s = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " name "\n  namespace: " ns "\n  labels:\n"
				s = s labels("    ", name, comp, version)
				s = s "spec:\n  replicas: " replicas "\n  selector:\n    matchLabels:\n"
				s = s "      app.kubernetes.io/name: " name "\n      app.kubernetes.io/instance: " ns "\n"
				s = s "  template:\n    metadata:\n      labels:\n" labels("        ", name, comp, version)
				s = s "    spec:\n      containers:\n        - name: " comp "\n          image: " image "\n"
				s = s "          ports:\n            - name: http\n              containerPort: 8080\n              protocol: TCP\n"
				s = s "            - name: metrics\n              containerPort: 9090\n"
				s = s "          readinessProbe:\n            httpGet: {path: /ready, port: http}\n            periodSeconds: 5\n"
				s = s "          env:\n            - {name: STAGE, value: \"" comp "\"}\n            - {name: BATCH, value: \"512\"}\n"
				if (k % 10 != 7)
					s = s "          resources:\n            requests: {cpu: 100m, memory: 128Mi}\n            limits: {cpu: \"1\", memory: 512Mi}\n"
				emit("deployment-" comp, s)
				if (count >= total) break
				target = (k % 11 == 2) ? "grpc" : "http"
				s = "apiVersion: v1\nkind: Service\nmetadata:\n  name: " name "\n  namespace: " ns "\n  labels:\n"
				s = s labels("    ", name, comp, "")
				s = s "spec:\n  type: ClusterIP\n  selector:\n    app.kubernetes.io/name: " name "\n    app.kubernetes.io/instance: " ns "\n"
				s = s "  ports:\n    - {name: http, port: 80, targetPort: " target ", protocol: TCP}\n"
				s = s "    - {name: metrics, port: 9090, targetPort: metrics}\n"
				emit("service-" comp, s)
			}
		}
	}'
	printf 'resources:\n- big.yaml\n' >"$dir/kustomization.yaml"
}

# measure LABEL OBJECTS CMD...: runs CMD under GNU time, prints a row, sets $secs
# (elapsed seconds; the machine may be shared, so the CPU seconds are shown too).
measure() {
	local label=$1 n=$2 rss elapsed user sys
	shift 2
	/usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >"$work/stdout" 2>"$work/stderr" || true
	# GNU time writes "Command exited with non-zero status N" first when N != 0
	read -r elapsed user sys rss < <(tail -1 "$work/time")
	secs=$elapsed
	awk -v l="$label" -v n="$n" -v e="$elapsed" -v c="$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" -v r="$rss" \
		'BEGIN { if (e <= 0) e = 0.01
			 printf "  %-34s %8.2f s (cpu %6.2f s) %10.0f objects/s %8.1f MiB peak RSS\n", l, e, c, n / e, r / 1024 }'
}

ratio() { # LABEL VALIDATE_SECS BASELINE_SECS
	awk -v l="$1" -v v="$2" -v b="$3" 'BEGIN { if (v > 0) printf "  ratio %-28s %8.2fx (objects/s of validate / objects/s of the baseline)\n", l, b / v }'
}

# A pure-parse driver over our loader, built against the tree's librtdp_shared.a.
parse_only=""
lib=$(find "$build" -name librtdp_shared.a -print -quit)
if [ -n "$lib" ]; then
	cat >"$work/parse_only.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include "rtdp/manifest.h"
int main(int argc, char **argv)
{
	struct rtdp_object_set set;
	struct rtdp_limits lim;
	struct rtdp_error err;
	int i, rc = 0;

	rtdp_object_set_init(&set);
	rtdp_limits_default(&lim);
	for (i = 1; i < argc; i++) {
		rtdp_error_init(&err);
		if (rtdp_manifest_load_path(&set, argv[i], 1, &lim, &err) != RTDP_OK) {
			fprintf(stderr, "error: %s\n", err.msg);
			rc = 2;
		}
	}
	printf("%zu objects\n", set.len);
	rtdp_object_set_release(&set);
	return rc;
}
EOF
	if cc -O2 -I"$here/shared/include" "$work/parse_only.c" "$lib" \
		$(pkg-config --cflags --libs libcjson yaml-0.1) -lm -o "$work/parse_only" 2>"$work/cc.log"; then
		parse_only=$work/parse_only
	fi
fi
has_pyyaml=0
if python3 -c 'import yaml; yaml.CSafeLoader' 2>/dev/null; then has_pyyaml=1; fi

echo "rtdp validate benchmark: $bin"
echo "machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo

run_size() {
	local n=$1 dir=$work/set-$1 files
	generate "$n" "$dir"
	files=$(find "$dir/tree" -name '*.yaml' | wc -l)
	echo "$n objects: $files files in $(find "$dir/tree" -mindepth 1 -type d | wc -l) directories," \
		"and one $(du -m "$dir/big.yaml" | cut -f1) MiB multi-document file"
	echo "  command: $bin validate -R -f $dir/tree"
	measure "validate -R -f tree/ (text)" "$n" "$bin" validate -R -f "$dir/tree"
	local v_tree=$secs
	tail -1 "$work/stdout" | sed 's/^/    /'
	measure "validate -f big.yaml (text)" "$n" "$bin" validate -f "$dir/big.yaml"
	local v_big=$secs
	measure "validate -f big.yaml -o json" "$n" "$bin" validate -f "$dir/big.yaml" -o json
	if [ -n "$parse_only" ]; then
		measure "rtdp-parse-only tree/" "$n" "$parse_only" "$dir/tree"
		ratio "vs rtdp-parse-only (tree)" "$v_tree" "$secs"
		measure "rtdp-parse-only big.yaml" "$n" "$parse_only" "$dir/big.yaml"
		ratio "vs rtdp-parse-only (big)" "$v_big" "$secs"
	fi
	if [ "$has_pyyaml" = 1 ]; then
		measure "pyyaml-libyaml (big.yaml)" "$n" python3 -c \
			'import sys, yaml; print(sum(1 for d in yaml.load_all(open(sys.argv[1]), Loader=yaml.CSafeLoader) if d))' \
			"$dir/big.yaml"
		ratio "vs pyyaml-libyaml" "$v_big" "$secs"
	fi
	if command -v kubectl >/dev/null; then
		# kustomize grows faster than linearly (0.35 s for 250 objects, 5.2 s for 1000 on
		# the reference machine), so it runs on the first 1000 objects, and so does validate
		local sub=$dir/first-1000 v_sub
		mkdir -p "$sub"
		awk 'BEGIN { c = 0 } /^---$/ { if (++c >= 1000) exit } { print }' "$dir/big.yaml" >"$sub/big.yaml"
		printf 'resources:\n- big.yaml\n' >"$sub/kustomization.yaml"
		measure "validate (first 1000 objects)" 1000 "$bin" validate -f "$sub/big.yaml"
		v_sub=$secs
		measure "kubectl kustomize (first 1000)" 1000 kubectl kustomize "$sub"
		ratio "vs kubectl kustomize (1000)" "$v_sub" "$secs"
	fi
	echo
	scaling_secs[$n]=$v_big
	[ "$keep" = 1 ] || rm -rf "$dir"
}

declare -A scaling_secs
run_size "$objects"
if [ -n "$sizes" ]; then
	echo "scaling (validate -f big.yaml, text):"
	for n in $sizes; do
		if [ -z "${scaling_secs[$n]:-}" ]; then
			dir=$work/scale-$n
			generate "$n" "$dir"
			measure "$n objects" "$n" "$bin" validate -f "$dir/big.yaml"
			scaling_secs[$n]=$secs
			rm -rf "$dir"
		else
			awk -v n="$n" -v e="${scaling_secs[$n]}" 'BEGIN { printf "  %-34s %8.2f s %12.0f objects/s (above)\n", n " objects", e, n / e }'
		fi
	done
	for n in $sizes; do
		awk -v n="$n" -v e="${scaling_secs[$n]}" 'BEGIN { printf "  %6d objects: %7.1f us per object\n", n, e * 1e6 / n }'
	done
fi
[ "$keep" = 0 ] || echo "files kept in $work"
