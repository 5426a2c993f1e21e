/*
 * kubectl rtdp validate: the rtdp policy applied offline to manifests, as a
 * GitOps repository's CI runs it. The same engine runs in rtdp-webhook.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "commands.h"
#include "rtdp/manifest.h"
#include "rtdp/policy.h"
#include "validate_report.h"
#include "rtdp/banned.h"

#define VALIDATE_MAX_PATHS 256

static const char validate_usage[] =
        "Check Kubernetes manifests against the rtdp policy, offline, with the same rules\n"
        "the rtdp-webhook enforces. Every violation is reported with its fix; fixes the\n"
        "webhook applies by itself are marked.\n"
        "\n"
        "Examples:\n"
        "  # Check a GitOps directory, recursively\n"
        "  kubectl rtdp validate -f deploy/ -R\n"
        "\n"
        "  # Check what a tool renders, with a custom policy, for another tool\n"
        "  helm template my-chart | kubectl rtdp validate -f - --policy policy.yaml -o json\n"
        "\n"
        "Options:\n"
        "  -f, --filename=[]: file, directory or - (stdin) to check; repeatable\n"
        "  -R, --recursive=false: walk the directories given with -f recursively\n"
        "      --policy='': policy file (YAML, kind: Policy); built-in defaults when empty\n"
        "  -o, --output='text': text or json\n"
        "  -n, --namespace='': the namespace of objects that name none (default: \"default\")\n"
        "\n"
        "validate never contacts a cluster: kubectl's connection flags are accepted and,\n"
        "but for -n, ignored.\n"
        "\n"
        "Exit status: 0 no deny findings, 1 deny findings, 2 usage or input error.\n"
        "\n"
        "Usage:\n"
        "  kubectl rtdp validate -f FILENAME [-f FILENAME ...] [-R] [--policy FILE] [-o "
        "text|json]\n";

struct validate_opts {
	const char *paths[VALIDATE_MAX_PATHS];
	int npaths;
	bool recursive;
	const char *policy;
	bool json;
	struct kube_conn_flags conn; /* accepted as kubectl's; only -n is used */
};

static int parse_output(const char *v, struct validate_opts *o)
{
	if (strcmp(v, "json") == 0 || strcmp(v, "text") == 0) {
		o->json = strcmp(v, "json") == 0;
		return 0;
	}
	fprintf(stderr,
	        "error: unable to match a printer suitable for the output format \"%s\", allowed "
	        "formats are: json,text\n",
	        v);
	return -1;
}

/* validate's flags: 1 taken, 0 not its own, -1 error (printed). */
static int validate_flag(int argc, char **argv, int *i, void *ctx)
{
	struct validate_opts *o = ctx;
	const char *v;
	enum args_match m;

	if ((m = args_value(argc, argv, i, "-f", "--filename", &v)) != ARGS_NO) {
		if (m != ARGS_YES)
			return -1;
		if (o->npaths == VALIDATE_MAX_PATHS) {
			fprintf(stderr, "error: more than %d -f flags\n", VALIDATE_MAX_PATHS);
			return -1;
		}
		o->paths[o->npaths++] = v;
		return 1;
	}
	if ((m = args_bool(argv, *i, "-R", "--recursive", &o->recursive)) != ARGS_NO ||
	    (m = args_value(argc, argv, i, NULL, "--policy", &o->policy)) != ARGS_NO)
		return m == ARGS_YES ? 1 : -1;
	if ((m = args_value(argc, argv, i, "-o", "--output", &v)) != ARGS_NO)
		return m == ARGS_YES && parse_output(v, o) == 0 ? 1 : -1;
	return 0;
}

/* Returns -1 to continue, or the exit code to return now. */
static int parse_args(int argc, char **argv, struct validate_opts *o)
{
	struct cli c = {"validate", validate_usage, &o->conn, validate_flag, NULL, o};
	int code;

	kube_conn_flags_init(&o->conn);
	code = cli_parse(&c, argc, argv, 1);
	if (code < 0 && o->npaths == 0) {
		fprintf(stderr, "error: must specify one of -f and -k\n"
		                "See 'kubectl rtdp validate -h' for help and examples\n");
		return RTDP_EXIT_USAGE;
	}
	return code;
}

static int evaluate(const struct validate_opts *o, const struct rtdp_policy *policy,
                    const struct rtdp_object_set *set)
{
	const cJSON **objects = calloc(set->len ? set->len : 1, sizeof(*objects));
	struct rtdp_verdict *verdicts = calloc(set->len ? set->len : 1, sizeof(*verdicts));
	struct validate_summary sum;
	struct rtdp_error err;
	int code = RTDP_EXIT_USAGE;
	size_t i;

	rtdp_error_init(&err);
	if (set->len == 0) { /* a wrong path in CI must not pass as "nothing found" */
		fprintf(stderr, "error: no objects passed to validate\n");
		goto out;
	}
	if (!objects || !verdicts) {
		fprintf(stderr, "error: out of memory\n");
		goto out;
	}
	for (i = 0; i < set->len; i++)
		objects[i] = set->items[i].json;
	if (rtdp_policy_eval_set(policy, objects, set->len, verdicts, &err) != RTDP_OK) {
		fprintf(stderr, "error: %s\n", err.msg);
		goto out;
	}
	validate_summarize(set, verdicts, &sum);
	if (o->json && validate_print_json(stdout, set, verdicts, &sum) != 0) {
		fprintf(stderr, "error: out of memory\n");
		goto out;
	}
	if (!o->json)
		validate_print_text(stdout, set, verdicts, &sum);
	code = sum.denied ? RTDP_EXIT_FAILURE : RTDP_EXIT_OK;
out:
	for (i = 0; verdicts && i < set->len; i++)
		rtdp_verdict_release(&verdicts[i]);
	free(verdicts);
	free(objects);
	return code;
}

static int load_policy(const char *path, struct rtdp_policy **policy)
{
	struct rtdp_error err;

	rtdp_error_init(&err);
	if ((path ? rtdp_policy_load_file(path, policy, &err)
	          : rtdp_policy_default(policy, &err)) == RTDP_OK)
		return 0;
	fprintf(stderr, "error: %s\n", err.msg);
	return -1;
}

int cmd_validate(int argc, char **argv)
{
	struct validate_opts opts;
	struct rtdp_object_set set;
	struct rtdp_policy *policy = NULL;
	int code;

	memset(&opts, 0, sizeof(opts));
	code = parse_args(argc, argv, &opts);
	if (code >= 0)
		return code;
	if (load_policy(opts.policy, &policy) != 0)
		return RTDP_EXIT_USAGE;
	rtdp_object_set_init(&set);
	code = cli_load_manifests(opts.paths, opts.npaths, opts.recursive, &set) == 0 &&
	                       (!opts.conn.namespace ||
	                        cli_default_namespace(&set, opts.conn.namespace) == 0)
	               ? evaluate(&opts, policy, &set)
	               : RTDP_EXIT_USAGE;
	rtdp_object_set_release(&set);
	rtdp_policy_free(policy);
	return code;
}
