#!/bin/bash
# CLI tests of `kubectl rtdp validate` against the built binary.
#   cli_validate.sh CASE KUBECTL_RTDP SOURCE_DIR
# Each CASE checks exit codes, stdout and stderr; jq parses -o json.
set -u

case_name=$1
bin=$2
src=$3
fx=$src/tests/fixtures
broken=$fx/manifests/engine/broken-pipeline.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# run EXPECTED_EXIT ARGS...: runs the binary, keeps stdout/stderr in $tmp/out, $tmp/err.
run() {
	local want=$1 got
	shift
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" != "$want" ]; then
		fail "kubectl-rtdp $*: exit $got, want $want"
		sed 's/^/  stdout: /' "$tmp/out" | head -20 >&2
		sed 's/^/  stderr: /' "$tmp/err" | head -20 >&2
	fi
}

contains() { # FILE TEXT
	grep -qF -- "$2" "$1" || fail "$(basename "$1") lacks \"$2\": $(head -c 600 "$1")"
}

empty() { # FILE
	[ ! -s "$1" ] || fail "$(basename "$1") is not empty: $(head -c 300 "$1")"
}

jq_true() { # FILTER (on $tmp/out)
	jq -e "$1" "$tmp/out" >/dev/null || fail "jq '$1' is not true"
}

case $case_name in
sample)
	# The example manifests pass with zero findings, flat and recursive, text and json.
	run 0 validate -f "$src/manifests/sample-pipeline"
	[ "$(wc -l <"$tmp/out")" = 1 ] || fail "findings printed for the sample: $(cat "$tmp/out")"
	contains "$tmp/out" "0 denied, 0 warnings, 0 fixable by the webhook"
	empty "$tmp/err"
	run 0 validate -R -f "$src/manifests/sample-pipeline"
	[ "$(wc -l <"$tmp/out")" = 1 ] || fail "findings printed for the sample (-R)"
	run 0 validate -f "$src/manifests/sample-pipeline" -o json
	jq_true '.summary.denied == 0 and .summary.warnings == 0 and .summary.fixable == 0'
	jq_true '.summary.inScope >= 2 and .summary.objects >= 3'
	jq_true '[.results[].findings | length] | add == 0'
	jq_true '[.results[] | select(.inScope) | .patch == []] | all'
	jq_true '[.results[] | .object.kind] | (index("Deployment") != null and index("Service") != null)'
	;;
exit_codes)
	run 0 validate -f "$src/manifests/sample-pipeline"
	run 1 validate -f "$broken"
	run 1 validate -f "$src/manifests/sample-pipeline" -f "$broken"
	run 2 validate -f "$fx/manifests/loader/syntax-error.yaml"
	contains "$tmp/err" "error: '$fx/manifests/loader/syntax-error.yaml': document 1: line "
	empty "$tmp/out"
	run 2 validate -f "$fx/manifests/loader/duplicate-key.yaml"
	contains "$tmp/err" "duplicate-key.yaml': document 2: line 12, column 5: duplicate key 'a'"
	run 2 validate -f "$tmp/missing.yaml"
	contains "$tmp/err" "error: the path \"$tmp/missing.yaml\" does not exist"
	# an input error anywhere is exit 2 even when other files have deny findings
	run 2 validate -f "$broken" -f "$fx/manifests/loader/not-mapping.yaml"
	contains "$tmp/err" "expected a Kubernetes object (a mapping), got a sequence"
	# warnings alone do not fail
	run 0 validate -f "$broken" --policy "$fx/policy/warn-all.yaml"
	contains "$tmp/out" "0 denied"
	# objects out of scope are counted, not checked
	run 0 validate -f "$fx/manifests/loader/dir"
	contains "$tmp/out" "3 objects checked, 0 in scope"
	run 0 validate -f "$fx/manifests/loader/dir" -R
	contains "$tmp/out" "6 objects checked, 0 in scope"
	run 0 validate -f "$fx/manifests/loader/dir" --recursive=false
	contains "$tmp/out" "3 objects checked"
	;;
json)
	run 1 validate -f "$broken" -o json
	empty "$tmp/err"
	jq_true '.apiVersion == "rtdp.io/v1alpha1" and .kind == "ValidationReport"'
	jq_true '.summary.objects == 4 and .summary.inScope == 3 and .summary.denied > 0'
	jq_true '(.results | length) == 4'
	jq_true '[.results[].source.file | endswith("broken-pipeline.yaml")] | all'
	jq_true '[.results[].source.document] == [0, 1, 2, 3]'
	jq_true '[.results[].source.line] == [3, 10, 40, 53]'
	jq_true '.results[0].inScope == false and (.results[0] | has("patch") | not)'
	jq_true '[.results[].findings[] | (.rule | type) == "string" and (.action == "deny" or .action == "warn")
		and (.line | type) == "number" and (.pointer | startswith("/")) and (.fixed | type) == "boolean"
		and (.message | length) > 10 and (.path | length) > 0] | all'
	jq_true '.summary.denied == ([.results[].findings[] | select(.action == "deny")] | length)'
	jq_true '.summary.fixable == ([.results[].findings[] | select(.fixed)] | length)'
	jq_true '[.results[] | select(.inScope) | .patch | type == "array"] | all'
	jq_true '[.results[].patch // [] | .[] | .path | startswith("/spec/selector") | not] | all'
	jq_true '.results[1].object == {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "ingest", "name": "ingest-reader"}'
	jq_true '[.results[1].patch[] | select(.path == "/spec/replicas")][0].value == 3'
	jq_true '[.results[1].findings[] | select(.rule == "replicas-minimum")][0].line == 16'
	# the other spellings of -o json
	run 1 validate -f "$broken" --output=json
	jq_true '.kind == "ValidationReport"'
	run 1 validate -f "$broken" -ojson
	jq_true '.kind == "ValidationReport"'
	run 1 validate --filename="$broken" --output json
	jq_true '.kind == "ValidationReport"'
	;;
text)
	run 1 validate -f "$broken"
	empty "$tmp/err"
	n=$(grep -c "^$broken:[0-9][0-9]*: \(Deployment\|Service\) ingest/[a-z-]*: [a-z-]* (deny): " "$tmp/out")
	[ "$n" -ge 40 ] || fail "only $n finding lines have file:line: Kind ns/name: rule (action):"
	total=$(($(wc -l <"$tmp/out") - 1))
	[ "$n" = "$total" ] || fail "$n of $total finding lines are well-formed"
	contains "$tmp/out" "$broken:16: Deployment ingest/ingest-reader: replicas-minimum (deny): spec.replicas is 1 (unset, so 1)"
	contains "$tmp/out" "[the webhook fixes this]"
	contains "$tmp/out" "$broken:46: Service ingest/ingest-reader: service-type (deny): spec.type is NodePort"
	contains "$tmp/out" "$broken:23: Deployment ingest/ingest-reader: image-pinned (deny):"
	tail -1 "$tmp/out" | grep -q "^4 objects checked, 3 in scope: [0-9]* denied, 0 warnings, [0-9]* fixable by the webhook$" ||
		fail "bad summary line: $(tail -1 "$tmp/out")"
	# the lines in text are the lines in json
	"$bin" validate -f "$broken" -o json | jq -r '.results[] | .source.file as $f | .findings[] | "\($f):\(.line): "' |
		sort -u >"$tmp/json-lines"
	sed -n 's/^\([^:]*:[0-9]*: \).*/\1/p' "$tmp/out" | sort -u >"$tmp/text-lines"
	diff "$tmp/json-lines" "$tmp/text-lines" >&2 || fail "text and json disagree on file:line"
	;;
usage)
	run 2 validate
	contains "$tmp/err" "error: must specify one of -f"
	empty "$tmp/out"
	mkdir -p "$tmp/nothing"
	run 2 validate -f "$tmp/nothing"
	contains "$tmp/err" "error: no objects passed to validate"
	empty "$tmp/out"
	run 2 validate -f "$broken" --bogus
	contains "$tmp/err" "error: unknown flag: --bogus"
	contains "$tmp/err" "See 'kubectl rtdp validate -h'"
	empty "$tmp/out"
	run 2 validate -f "$broken" -o yaml
	contains "$tmp/err" "error: unable to match a printer suitable for the output format \"yaml\""
	empty "$tmp/out"
	run 2 validate -f
	contains "$tmp/err" "error: flag needs an argument: -f"
	run 2 validate -f "$broken" --policy
	contains "$tmp/err" "error: flag needs an argument: --policy"
	run 2 validate "$broken"
	contains "$tmp/err" "error: unexpected argument"
	run 2 validate -f "$broken" --recursive=maybe
	contains "$tmp/err" "error: invalid argument \"maybe\" for \"--recursive\" flag"
	run 2 nosuchcommand
	contains "$tmp/err" "error: unknown command \"nosuchcommand\" for \"kubectl rtdp\""
	# every error line starts with "error: "
	for args in "validate" "validate -f" "validate -x" "validate -f $broken -o yaml"; do
		# shellcheck disable=SC2086
		"$bin" $args >/dev/null 2>"$tmp/err"
		head -1 "$tmp/err" | grep -q '^error: ' || fail "'$args': stderr does not start with error:"
	done
	;;
help)
	for flag in -h --help; do
		run 0 validate "$flag"
		contains "$tmp/out" "kubectl rtdp validate -f FILENAME"
		contains "$tmp/out" "Usage:"
		contains "$tmp/out" "Exit status: 0 no deny findings, 1 deny findings, 2 usage or input error."
		empty "$tmp/err"
	done
	run 0 validate -f "$broken" -h # help wins over everything else
	contains "$tmp/out" "kubectl rtdp validate -f FILENAME"
	run 0 --help
	contains "$tmp/out" "validate"
	;;
stdin)
	cat "$src"/manifests/sample-pipeline/*.yaml | sed '1!{/^apiVersion:/i ---
}' >"$tmp/all.yaml"
	"$bin" validate -f - <"$tmp/all.yaml" >"$tmp/out" 2>"$tmp/err" || fail "the sample over stdin: exit $?"
	contains "$tmp/out" "0 denied, 0 warnings"
	"$bin" validate -f - <"$broken" >"$tmp/out" 2>"$tmp/err"
	[ $? = 1 ] || fail "broken over stdin must exit 1"
	contains "$tmp/out" "<stdin>:16: Deployment ingest/ingest-reader: replicas-minimum (deny)"
	"$bin" validate -f - -o json <"$broken" >"$tmp/out" 2>"$tmp/err"
	jq_true '[.results[].source.file == "<stdin>"] | all'
	printf 'kind: A\nv: .inf\n' | "$bin" validate -f - >"$tmp/out" 2>"$tmp/err"
	[ $? = 2 ] || fail "bad stdin must exit 2"
	contains "$tmp/err" "error: '<stdin>': document 1: line 2, column 4: '.inf' has no JSON form"
	;;
policy)
	printf 'apiVersion: rtdp.io/v1alpha1\nkind: Policy\nspec:\n  rules:\n    image-pinned: warn\n' >"$tmp/warn.yaml"
	run 1 validate -f "$broken" --policy "$tmp/warn.yaml"
	contains "$tmp/out" "image-pinned (warn)"
	contains "$tmp/out" ", 1 warning, "
	# a policy with another pipeline label: nothing of the broken pipeline is in scope
	run 0 validate -f "$broken" --policy "$fx/policy/full.yaml"
	contains "$tmp/out" "4 objects checked, 0 in scope"
	run 0 validate -f "$broken" --policy="$fx/policy/warn-all.yaml" -o json
	jq_true '.summary.denied == 0 and .summary.warnings > 40'
	run 2 validate -f "$broken" --policy "$fx/policy/malformed.yaml"
	contains "$tmp/err" "error: policy '$fx/policy/malformed.yaml': document 1: line 6, column 4:"
	empty "$tmp/out"
	run 2 validate -f "$broken" --policy "$tmp/none.yaml"
	contains "$tmp/err" "error: policy: cannot open '$tmp/none.yaml': No such file or directory"
	printf 'apiVersion: rtdp.io/v1alpha1\nkind: Policy\nspec:\n  rules:\n    nope: deny\n' >"$tmp/p.yaml"
	run 2 validate -f "$broken" --policy "$tmp/p.yaml"
	contains "$tmp/err" "error: policy '$tmp/p.yaml': spec.rules.nope: unknown rule"
	;;
*)
	echo "unknown case $case_name" >&2
	exit 2
	;;
esac

if [ "$failures" -gt 0 ]; then
	echo "$case_name: $failures failure(s)" >&2
	exit 1
fi
echo "$case_name: ok"
