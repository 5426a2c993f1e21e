/*
 * kubectl rtdp apply: server-side apply of a pipeline's manifests, Namespace
 * first, after the offline policy check; optionally waits for the rollout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply_plan.h"
#include "args.h"
#include "cli.h"
#include "commands.h"
#include "rollout.h"
#include "rtdp/policy.h"
#include "session.h"
#include "validate_report.h"
#include "rtdp/banned.h"

#define APPLY_MAX_PATHS 256
#define APPLY_DEFAULT_TIMEOUT_MS (5L * 60 * 1000)

static const char apply_usage[] =
        "Apply a pipeline's manifests with server-side apply (field manager kubectl-rtdp),\n"
        "Namespaces first. The rtdp policy is checked offline first: deny findings stop\n"
        "the apply unless --skip-validate. kustomization.yaml files are skipped.\n"
        "\n"
        "Examples:\n"
        "  kubectl rtdp apply -f real-time-data-processing/ --wait\n"
        "  kubectl rtdp apply -f deploy/ -R --dry-run=server\n"
        "\n"
        "Options:\n"
        "  -f, --filename=[]: file, directory or - to apply; repeatable\n"
        "  -R, --recursive=false: walk directories recursively\n"
        "      --dry-run='none': none, client (print only) or server (dryRun=All)\n"
        "      --field-manager='kubectl-rtdp': the field manager of server-side apply\n"
        "      --force-conflicts=false: take over fields other managers own\n"
        "      --skip-validate=false: do not run the offline policy check first\n"
        "      --policy='': policy file for the offline check\n"
        "      --wait=false: wait for every Deployment to roll out (kubectl rollout status)\n"
        "      --timeout=5m: how long --wait waits (0: forever)\n"
        "%s"
        "\n"
        "Usage:\n"
        "  kubectl rtdp apply -f FILENAME [options]\n";

enum dry_run { DRY_NONE, DRY_CLIENT, DRY_SERVER };

struct apply_opts {
	const char *paths[APPLY_MAX_PATHS];
	int npaths;
	bool recursive, force, skip_validate, wait;
	enum dry_run dry_run;
	const char *field_manager, *policy;
	long timeout_ms;
	struct kube_conn_flags conn;
};

static int parse_dry_run(const char *v, struct apply_opts *o)
{
	if (strcmp(v, "none") == 0)
		o->dry_run = DRY_NONE;
	else if (strcmp(v, "client") == 0)
		o->dry_run = DRY_CLIENT;
	else if (strcmp(v, "server") == 0)
		o->dry_run = DRY_SERVER;
	else {
		fprintf(stderr,
		        "error: Invalid dry-run value (%s). Must be \"none\", \"server\", or "
		        "\"client\".\n",
		        v);
		return -1;
	}
	return 0;
}

/* Returns 1 when argv[*i] was one of apply's own flags, 0 when not, -1 on error. */
static int own_flag(int argc, char **argv, int *i, void *ctx)
{
	struct apply_opts *o = ctx;
	const char *v;
	struct rtdp_error err;
	enum args_match m;

	if ((m = args_value(argc, argv, i, "-f", "--filename", &v)) != ARGS_NO) {
		if (m != ARGS_YES || o->npaths == APPLY_MAX_PATHS)
			return -1;
		o->paths[o->npaths++] = v;
		return 1;
	}
	if ((m = args_value(argc, argv, i, NULL, "--dry-run", &v)) != ARGS_NO)
		return m == ARGS_YES && parse_dry_run(v, o) == 0 ? 1 : -1;
	if ((m = args_value(argc, argv, i, NULL, "--field-manager", &o->field_manager)) !=
	            ARGS_NO ||
	    (m = args_value(argc, argv, i, NULL, "--policy", &o->policy)) != ARGS_NO)
		return m == ARGS_YES ? 1 : -1;
	if ((m = args_value(argc, argv, i, NULL, "--timeout", &v)) != ARGS_NO) {
		rtdp_error_init(&err);
		if (m == ARGS_YES && kube_parse_duration_ms(v, &o->timeout_ms, &err) == RTDP_OK)
			return 1;
		fprintf(stderr, "error: invalid --timeout: %s\n", err.msg);
		return -1;
	}
	if ((m = args_bool(argv, *i, "-R", "--recursive", &o->recursive)) != ARGS_NO ||
	    (m = args_bool(argv, *i, NULL, "--force-conflicts", &o->force)) != ARGS_NO ||
	    (m = args_bool(argv, *i, NULL, "--skip-validate", &o->skip_validate)) != ARGS_NO ||
	    (m = args_bool(argv, *i, NULL, "--wait", &o->wait)) != ARGS_NO)
		return m == ARGS_YES ? 1 : -1;
	return 0;
}

/* Returns -1 to go on, or the exit code to return now. */
static int parse_args(int argc, char **argv, struct apply_opts *o)
{
	struct cli c = {"apply", apply_usage, &o->conn, own_flag, NULL, o};
	int code = cli_parse(&c, argc, argv, 1);

	if (code < 0 && o->npaths == 0) {
		fprintf(stderr, "error: must specify -f\nSee 'kubectl rtdp apply -h' for help and "
		                "examples\n");
		return RTDP_EXIT_USAGE;
	}
	return code;
}

/* The offline policy check; 0 when nothing is denied. */
static int check_policy(const struct apply_opts *o, const struct rtdp_object_set *set)
{
	struct rtdp_policy *policy = NULL;
	struct rtdp_verdict *verdicts = calloc(set->len ? set->len : 1, sizeof(*verdicts));
	const cJSON **objects = calloc(set->len ? set->len : 1, sizeof(*objects));
	struct validate_summary sum;
	struct rtdp_error err;
	size_t i;
	int rc = -1;

	rtdp_error_init(&err);
	for (i = 0; objects && i < set->len; i++)
		objects[i] = set->items[i].json;
	if (!verdicts || !objects ||
	    (o->policy ? rtdp_policy_load_file(o->policy, &policy, &err)
	               : rtdp_policy_default(&policy, &err)) != RTDP_OK ||
	    rtdp_policy_eval_set(policy, objects, set->len, verdicts, &err) != RTDP_OK) {
		fprintf(stderr, "error: %s\n", err.msg[0] ? err.msg : "out of memory");
		goto out;
	}
	validate_summarize(set, verdicts, &sum);
	rc = sum.denied ? -1 : 0;
	if (sum.denied || sum.warned)
		validate_print_text(stderr, set, verdicts, &sum);
	if (sum.denied)
		fprintf(stderr,
		        "error: the rtdp policy denies %zu finding%s: fix them (see above), or "
		        "pass --skip-validate\n",
		        sum.denied, sum.denied == 1 ? "" : "s");
out:
	for (i = 0; verdicts && i < set->len; i++)
		rtdp_verdict_release(&verdicts[i]);
	free(verdicts);
	free(objects);
	rtdp_policy_free(policy);
	return rc;
}

/* kubectl's conflict report, one line per field. */
static void report_conflict(const struct apply_item *it, const struct kube_response *resp)
{
	size_t i;

	fprintf(stderr, "error: %s: Apply failed with %zu conflict%s:\n", it->ref,
	        resp->st ? resp->st->ncauses : 0, resp->st && resp->st->ncauses == 1 ? "" : "s");
	for (i = 0; resp->st && i < resp->st->ncauses; i++)
		fprintf(stderr, "  %s: %s\n",
		        resp->st->causes[i].field ? resp->st->causes[i].field : "?",
		        resp->st->causes[i].message ? resp->st->causes[i].message : "conflict");
	fprintf(stderr, "Please review the fields above--they currently have other managers.\n"
	                "* To take them over, re-run with --force-conflicts.\n"
	                "* To leave them to their manager, remove them from your manifest.\n");
}

static int apply_one(struct session *s, const struct apply_opts *o, const struct apply_item *it)
{
	struct kube_apply_options ao = {o->field_manager, o->force, o->dry_run == DRY_SERVER, true};
	struct kube_response resp;
	struct rtdp_error err;
	char *body = cJSON_PrintUnformatted(it->source->json);
	enum rtdp_rc rc;

	rtdp_error_init(&err);
	if (!body) {
		fprintf(stderr, "error: %s: out of memory\n", it->ref);
		return -1;
	}
	rc = kube_apply(s->client, it->path, body, strlen(body), &ao, &resp, &err);
	free(body);
	if (rc == RTDP_OK)
		printf("%s serverside-applied%s\n", it->ref,
		       o->dry_run == DRY_SERVER ? " (server dry run)" : "");
	else if (rc == RTDP_ERR_CONFLICT)
		report_conflict(it, &resp);
	else
		fprintf(stderr, "error: %s: %s\n", it->ref, err.msg);
	kube_response_release(&resp);
	return rc == RTDP_OK ? 0 : -1;
}

/* Applies every item; on a partial failure, says exactly what was applied. */
static int apply_all(struct session *s, const struct apply_opts *o, const struct apply_plan *plan,
                     bool *applied)
{
	size_t i, ok = 0;

	for (i = 0; i < plan->len; i++) {
		applied[i] = apply_one(s, o, &plan->items[i]) == 0;
		ok += applied[i];
	}
	if (ok == plan->len)
		return 0;
	fprintf(stderr, "error: applied %zu of %zu objects\n", ok, plan->len);
	for (i = 0; i < plan->len; i++)
		fprintf(stderr, "  %s %s\n",
		        applied[i] ? "applied:    " : "not applied:", plan->items[i].ref);
	return -1;
}

static int wait_all(struct session *s, const struct apply_opts *o, const struct apply_plan *plan)
{
	size_t i;
	int failed = 0;

	for (i = 0; i < plan->len && !failed; i++)
		if (strcmp(plan->items[i].resource->kind, "Deployment") == 0)
			failed = rollout_wait(s->client, plan->items[i].path, plan->items[i].name,
			                      o->timeout_ms) != 0;
	return failed ? -1 : 0;
}

static int run(struct apply_opts *o)
{
	struct session s = {NULL, NULL};
	struct apply_plan plan;
	bool *applied = NULL;
	size_t i;
	int code = RTDP_EXIT_FAILURE;

	if (o->dry_run != DRY_CLIENT && session_open(&s, &o->conn) != 0)
		return RTDP_EXIT_FAILURE;
	if (apply_plan_build(&plan, o->paths, o->npaths, o->recursive,
	                     s.cfg ? session_namespace(&s)
	                           : (o->conn.namespace ? o->conn.namespace : "default"),
	                     o->conn.namespace) != 0)
		goto out;
	if (!o->skip_validate && check_policy(o, &plan.set) != 0)
		goto out;
	if (o->dry_run == DRY_CLIENT) {
		for (i = 0; i < plan.len; i++)
			printf("%s serverside-applied (dry run)\n", plan.items[i].ref);
		code = RTDP_EXIT_OK;
		goto out;
	}
	applied = calloc(plan.len, sizeof(*applied));
	if (!applied || apply_all(&s, o, &plan, applied) != 0)
		goto out;
	if (o->wait && o->dry_run == DRY_NONE && wait_all(&s, o, &plan) != 0)
		goto out;
	code = RTDP_EXIT_OK;
out:
	free(applied);
	apply_plan_release(&plan);
	session_close(&s);
	return code;
}

int cmd_apply(int argc, char **argv)
{
	struct apply_opts o;
	int code;

	memset(&o, 0, sizeof(o));
	kube_conn_flags_init(&o.conn);
	o.field_manager = "kubectl-rtdp";
	o.timeout_ms = APPLY_DEFAULT_TIMEOUT_MS;
	code = parse_args(argc, argv, &o);
	return code >= 0 ? code : run(&o);
}
