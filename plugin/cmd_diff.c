/*
 * kubectl rtdp diff: what `kubectl rtdp apply` would change, as kubectl diff
 * shows it: a server-side apply dry run of each object compared with the
 * live object, printed as a unified diff. Exit 0 same, 1 different, >1 error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "commands.h"
#include "conn_flags.h"
#include "diff_files.h"
#include "kube_resource.h"
#include "pipeline_query.h"
#include "rtdp/manifest.h"
#include "session.h"
#include "rtdp/banned.h"

#define DIFF_MAX_PATHS 256
#define DIFF_EXIT_ERROR 2
#define DIFF_MAX_TRIES 4

static const char diff_usage[] =
        "Show what `kubectl rtdp apply` would change: each object is applied server-side as a\n"
        "dry run and compared with the live object (managedFields left out, Secret data\n"
        "masked), as `diff -u -N LIVE MERGED`. KUBECTL_EXTERNAL_DIFF picks another program.\n"
        "\n"
        "Examples:\n"
        "  # Review a GitOps directory before applying it\n"
        "  kubectl rtdp diff -f deploy/ -R\n"
        "\n"
        "Options:\n"
        "  -f, --filename=[]: file, directory or - (stdin); repeatable\n"
        "  -R, --recursive=false: walk the directories given with -f recursively\n"
        "      --field-manager='kubectl-rtdp': the manager of the dry-run apply\n"
        "      --force-conflicts=false: take over fields other managers own, as apply would\n"
        "\n"
        "Exit status: 0 no differences, 1 differences found, >1 error.\n"
        "\n"
        "Usage:\n"
        "  kubectl rtdp diff -f FILENAME [-f FILENAME ...] [-R] [options]\n";

struct diff_opts {
	struct kube_conn_flags conn;
	const char *paths[DIFF_MAX_PATHS];
	int npaths;
	bool recursive;
	const char *field_manager;
	bool force;
};

/* One argument that is not a connection flag; -1 to go on, else an exit code. */
/* diff's own flags: 1 taken, 0 not its own, -1 error (printed). */
static int diff_flag(int argc, char **argv, int *i, void *ctx)
{
	struct diff_opts *o = ctx;
	enum args_match m;
	const char *v;

	if ((m = args_value(argc, argv, i, "-f", "--filename", &v)) != ARGS_NO) {
		if (m != ARGS_YES)
			return -1;
		if (o->npaths == DIFF_MAX_PATHS) {
			fprintf(stderr, "error: more than %d -f flags\n", DIFF_MAX_PATHS);
			return -1;
		}
		o->paths[o->npaths++] = v;
		return 1;
	}
	if ((m = args_bool(argv, *i, "-R", "--recursive", &o->recursive)) != ARGS_NO ||
	    (m = args_bool(argv, *i, NULL, "--force-conflicts", &o->force)) != ARGS_NO ||
	    (m = args_value(argc, argv, i, NULL, "--field-manager", &o->field_manager)) != ARGS_NO)
		return m == ARGS_YES ? 1 : -1;
	return 0;
}

/* Returns -1 to go on, or the exit code (kubectl diff's: usage errors are > 1). */
static int parse_args(int argc, char **argv, struct diff_opts *o)
{
	struct cli c = {"diff", diff_usage, &o->conn, diff_flag, NULL, o};
	int code;

	kube_conn_flags_init(&o->conn);
	o->field_manager = "kubectl-rtdp";
	code = cli_parse(&c, argc, argv, 1);
	if (code == RTDP_EXIT_USAGE)
		return DIFF_EXIT_ERROR;
	if (code < 0 && o->npaths == 0) {
		fprintf(stderr, "error: must specify one of -f and -k\n"
		                "See 'kubectl rtdp diff -h' for help and examples\n");
		return DIFF_EXIT_ERROR;
	}
	return code;
}

static enum rtdp_rc dry_run(struct session *s, const struct diff_opts *o, const char *path,
                            const cJSON *obj, cJSON **out, struct rtdp_error *err)
{
	struct kube_apply_options ao = {o->field_manager, o->force, true, false};
	struct kube_response resp;
	char *body = cJSON_PrintUnformatted(obj);
	enum rtdp_rc rc;

	*out = NULL;
	if (!body)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	rc = kube_apply(s->client, path, body, strlen(body), &ao, &resp, err);
	free(body);
	if (rc == RTDP_OK &&
	    !(*out = cJSON_ParseWithLength(resp.body ? resp.body : "", resp.body_len)))
		rc = rtdp_error_set(err, RTDP_ERR_PARSE, "the dry-run answer is not JSON");
	kube_response_release(&resp);
	return rc;
}

/* The object's namespace: its own, else the session's; "" when cluster-scoped. */
static const char *object_ns(const struct session *s, const struct kube_resource *r, cJSON *obj)
{
	cJSON *meta = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	const char *ns = pipeline_str(obj, "metadata.namespace", NULL);

	if (!r->namespaced)
		return "";
	if (!ns || !*ns) {
		ns = session_namespace(s);
		if (cJSON_IsObject(meta)) {
			cJSON_DeleteItemFromObjectCaseSensitive(meta, "namespace");
			cJSON_AddStringToObject(meta, "namespace", ns);
		}
	}
	return ns;
}

/*
 * The live object (NULL when missing) and the dry run's answer, read until
 * both carry the same resourceVersion (a dry run does not change it), so a
 * controller writing the status in between does not show up as a change;
 * after DIFF_MAX_TRIES the last pair is used, as kubectl does.
 */
static enum rtdp_rc fetch_sides(struct session *s, const struct diff_opts *o, const char *path,
                                const cJSON *obj, cJSON **live, cJSON **merged,
                                struct rtdp_error *err)
{
	enum rtdp_rc rc = RTDP_OK;
	int tries;

	*live = *merged = NULL;
	for (tries = 0; tries < DIFF_MAX_TRIES; tries++) {
		cJSON_Delete(*live);
		cJSON_Delete(*merged);
		*live = *merged = NULL;
		rc = pipeline_get_json(s->client, path, live, err);
		if (rc == RTDP_ERR_NOTFOUND) {
			rtdp_error_init(err);
			rc = RTDP_OK;
		}
		if (rc == RTDP_OK)
			rc = dry_run(s, o, path, obj, merged, err);
		if (rc != RTDP_OK || !*live ||
		    strcmp(pipeline_str(*live, "metadata.resourceVersion", ""),
		           pipeline_str(*merged, "metadata.resourceVersion", "")) == 0)
			break;
	}
	return rc;
}

/* Writes one object's two sides. */
static enum rtdp_rc diff_object(struct session *s, const struct diff_opts *o,
                                const struct diff_dirs *d, cJSON *obj, struct rtdp_error *err)
{
	const struct kube_resource *r;
	const char *name = pipeline_str(obj, "metadata.name", NULL), *ns;
	cJSON *live = NULL, *merged = NULL;
	char path[PIPELINE_PATH_MAX];
	enum rtdp_rc rc;

	if (kube_resource_of(obj, &r, err) != RTDP_OK)
		return err->rc;
	if (!name || !*name)
		return rtdp_error_set(err, RTDP_ERR_INVALID, "a %s has no metadata.name", r->kind);
	ns = object_ns(s, r, obj);
	if (kube_object_path(r, ns, name, path, sizeof(path)) < 0)
		return rtdp_error_set(err, RTDP_ERR_LIMIT, "object path too long");
	rc = fetch_sides(s, o, path, obj, &live, &merged, err);
	if (rc == RTDP_OK) {
		diff_prepare(live, merged);
		rc = diff_dirs_write(d, r->api_version, r->kind, ns, name, live, merged, err);
	}
	if (rc != RTDP_OK)
		rtdp_error_prefix(err, "%s \"%s\": ", r->display, name);
	cJSON_Delete(live);
	cJSON_Delete(merged);
	return rc;
}

static bool is_kustomization(const cJSON *obj)
{
	const char *kind = pipeline_str(obj, "kind", "");

	return strcmp(kind, "Kustomization") == 0;
}

static int run(struct session *s, const struct diff_opts *o, const struct rtdp_object_set *set)
{
	struct diff_dirs d;
	struct rtdp_error err;
	int code = DIFF_EXIT_ERROR;
	size_t i;

	rtdp_error_init(&err);
	if (diff_dirs_create(&d, &err) != RTDP_OK)
		goto out;
	for (i = 0; i < set->len; i++)
		if (!is_kustomization(set->items[i].json) &&
		    diff_object(s, o, &d, set->items[i].json, &err) != RTDP_OK)
			goto out;
	code = diff_dirs_run(&d, &err);
	if (code < 0)
		code = DIFF_EXIT_ERROR;
out:
	if (err.rc != RTDP_OK)
		fprintf(stderr, "error: %s\n", err.msg);
	diff_dirs_remove(&d);
	return code;
}

int cmd_diff(int argc, char **argv)
{
	struct rtdp_object_set set;
	struct diff_opts opts;
	struct session s;
	int code;

	memset(&opts, 0, sizeof(opts));
	code = parse_args(argc, argv, &opts);
	if (code >= 0)
		return code;
	rtdp_object_set_init(&set);
	if (cli_load_manifests(opts.paths, opts.npaths, opts.recursive, &set) != 0) {
		rtdp_object_set_release(&set);
		return DIFF_EXIT_ERROR;
	}
	if (session_open(&s, &opts.conn) != 0) {
		rtdp_object_set_release(&set);
		return DIFF_EXIT_ERROR;
	}
	code = run(&s, &opts, &set);
	session_close(&s);
	rtdp_object_set_release(&set);
	return code;
}
