/*
 * kubectl rtdp delete: deletes what apply created, found by the pipeline
 * label (Deployments, Services, PodDisruptionBudgets), and with
 * --delete-namespace the Namespace when it carries the label too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "cli.h"
#include "commands.h"
#include "conn_flags.h"
#include "kube_resource.h"
#include "pipeline_query.h"
#include "session.h"
#include "rtdp/banned.h"

#define DELETE_MAX_OBJECTS 1024

static const char delete_usage[] =
        "Delete a pipeline: its Deployments, Services and PodDisruptionBudgets, found by the\n"
        "label rtdp.io/pipeline=NAME, and with --delete-namespace its Namespace (only when\n"
        "that Namespace carries the label as well).\n"
        "\n"
        "Examples:\n"
        "  # Delete the pipeline clicks (in namespace clicks) and wait until it is gone\n"
        "  kubectl rtdp delete clicks --wait\n"
        "\n"
        "  # What would go, without deleting\n"
        "  kubectl rtdp delete clicks -n prod --dry-run=server\n"
        "\n"
        "Options:\n"
        "  -n, --namespace='': namespace of the pipeline (default: NAME)\n"
        "      --delete-namespace=false: delete the Namespace too (it must carry the label)\n"
        "      --wait=false: wait until every deleted object is gone\n"
        "      --timeout=2m: how long --wait waits\n"
        "      --dry-run='none': none or server\n"
        "\n"
        "Usage:\n"
        "  kubectl rtdp delete NAME [-n NS] [--delete-namespace] [--wait] [--timeout 2m] "
        "[--dry-run=none|server]\n";

struct delete_opts {
	struct kube_conn_flags conn;
	const char *name;
	bool delete_ns;
	bool wait;
	long timeout_ms;
	bool dry_run;
};

/* The objects deleted, for --wait. */
struct deleted {
	char *paths[DELETE_MAX_OBJECTS]; /* owned */
	size_t n;
};

static int parse_dry_run(const char *v, struct delete_opts *o)
{
	if (strcmp(v, "none") == 0 || strcmp(v, "server") == 0) {
		o->dry_run = strcmp(v, "server") == 0;
		return 0;
	}
	fprintf(stderr, "error: Invalid dry-run value (%s). Must be \"none\" or \"server\".\n", v);
	return -1;
}

static int parse_timeout(const char *v, struct delete_opts *o)
{
	struct rtdp_error err;

	rtdp_error_init(&err);
	if (kube_parse_duration_ms(v, &o->timeout_ms, &err) == RTDP_OK)
		return 0;
	fprintf(stderr, "error: invalid --timeout: %s\n", err.msg);
	return -1;
}

/* delete's own flags: 1 taken, 0 not its own, -1 error (printed). */
static int delete_flag(int argc, char **argv, int *i, void *ctx)
{
	struct delete_opts *o = ctx;
	enum args_match m;
	const char *v;

	if ((m = args_bool(argv, *i, NULL, "--delete-namespace", &o->delete_ns)) != ARGS_NO ||
	    (m = args_bool(argv, *i, NULL, "--wait", &o->wait)) != ARGS_NO)
		return m == ARGS_YES ? 1 : -1;
	if ((m = args_value(argc, argv, i, NULL, "--timeout", &v)) != ARGS_NO)
		return m == ARGS_YES && parse_timeout(v, o) == 0 ? 1 : -1;
	if ((m = args_value(argc, argv, i, NULL, "--dry-run", &v)) != ARGS_NO)
		return m == ARGS_YES && parse_dry_run(v, o) == 0 ? 1 : -1;
	return 0;
}

static int delete_name(const char *arg, void *ctx)
{
	return pipeline_take_name(&((struct delete_opts *)ctx)->name, "delete", arg);
}

static int parse_args(int argc, char **argv, struct delete_opts *o)
{
	struct cli c = {"delete", delete_usage, &o->conn, delete_flag, delete_name, o};
	int code;

	kube_conn_flags_init(&o->conn);
	o->timeout_ms = 120000;
	code = cli_parse(&c, argc, argv, 1);
	if (code < 0 && pipeline_check_name(o->name, "delete") != 0)
		return RTDP_EXIT_USAGE;
	return code;
}

static enum rtdp_rc remember(struct deleted *d, const char *path, struct rtdp_error *err)
{
	if (d->n == DELETE_MAX_OBJECTS)
		return rtdp_error_set(err, RTDP_ERR_LIMIT, "more than %d objects",
		                      DELETE_MAX_OBJECTS);
	if (!(d->paths[d->n] = strdup(path)))
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	d->n++;
	return RTDP_OK;
}

/* Deletes one object and prints kubectl's line; a 404 (already gone) is fine. */
static enum rtdp_rc delete_one(struct session *s, const struct delete_opts *o,
                               const struct kube_resource *r, const char *ns, const char *name,
                               struct deleted *d, struct rtdp_error *err)
{
	char path[PIPELINE_PATH_MAX];
	struct kube_response resp;
	enum rtdp_rc rc;

	if (kube_object_path(r, ns, name, path, sizeof(path)) < 0)
		return rtdp_error_set(err, RTDP_ERR_LIMIT, "object path too long");
	rc = kube_delete(s->client, path, "Background", o->dry_run, &resp, err);
	kube_response_release(&resp);
	if (rc == RTDP_ERR_NOTFOUND) {
		rtdp_error_init(err);
		return RTDP_OK;
	}
	if (rc != RTDP_OK)
		return rtdp_error_prefix(err, "deleting %s \"%s\": ", r->display, name);
	printf("%s \"%s\" deleted%s\n", r->display, name, o->dry_run ? " (server dry run)" : "");
	return remember(d, path, err);
}

/* Deletes every object of kind r labelled for the pipeline; adds to *found. */
static enum rtdp_rc delete_kind(struct session *s, const struct delete_opts *o, const char *ns,
                                const char *api_version, const char *kind, struct deleted *d,
                                size_t *found, struct rtdp_error *err)
{
	const struct kube_resource *r = kube_resource_find(api_version, kind);
	const cJSON *item;
	cJSON *list = NULL;
	enum rtdp_rc rc;

	if (!r)
		return rtdp_error_set(err, RTDP_ERR_INVALID, "unknown kind %s", kind);
	if (pipeline_list(s->client, r, ns, PIPELINE_LABEL, o->name, &list, err) != RTDP_OK)
		return err->rc;
	rc = RTDP_OK;
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(list, "items"))
	{
		const char *name = pipeline_str(item, "metadata.name", NULL);

		if (!name)
			continue;
		(*found)++;
		if ((rc = delete_one(s, o, r, ns, name, d, err)) != RTDP_OK)
			break;
	}
	cJSON_Delete(list);
	return rc;
}

/*
 * With --delete-namespace: checks before anything is deleted that ns carries
 * the pipeline label. Sets *exists (false: nothing to delete).
 */
static enum rtdp_rc check_namespace(struct session *s, const struct delete_opts *o, const char *ns,
                                    bool *exists, struct rtdp_error *err)
{
	const struct kube_resource *r = kube_resource_find("v1", "Namespace");
	char path[PIPELINE_PATH_MAX];
	cJSON *obj = NULL;
	const char *v;
	enum rtdp_rc rc;

	*exists = false;
	kube_object_path(r, NULL, ns, path, sizeof(path));
	rc = pipeline_get_json(s->client, path, &obj, err);
	if (rc == RTDP_ERR_NOTFOUND) {
		rtdp_error_init(err);
		return RTDP_OK;
	}
	if (rc != RTDP_OK)
		return rc;
	*exists = true;
	v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(obj, "metadata"),
	                                         "labels"),
	        PIPELINE_LABEL));
	if (!v || strcmp(v, o->name) != 0)
		rc = rtdp_error_set(
		        err, RTDP_ERR_INVALID,
		        "namespace \"%s\" does not carry the label %s=%s: refusing to delete it "
		        "(delete it with kubectl delete namespace %s if you mean to)",
		        ns, PIPELINE_LABEL, o->name, ns);
	cJSON_Delete(obj);
	return rc;
}

/* True when path answers 404. */
static bool gone(struct session *s, const char *path)
{
	struct kube_response resp;
	struct rtdp_error err;
	enum rtdp_rc rc;

	rtdp_error_init(&err);
	rc = kube_get(s->client, path, &resp, &err);
	kube_response_release(&resp);
	return rc == RTDP_ERR_NOTFOUND;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Polls every deleted object until it answers 404, up to the timeout. */
static enum rtdp_rc wait_gone(struct session *s, const struct delete_opts *o,
                              const struct deleted *d, struct rtdp_error *err)
{
	struct timespec pause = {0, 500 * 1000000L};
	long deadline = now_ms() + o->timeout_ms;
	size_t i = 0;

	while (i < d->n) {
		if (gone(s, d->paths[i])) {
			i++;
			continue;
		}
		if (now_ms() >= deadline)
			return rtdp_error_set(err, RTDP_ERR_TIMEOUT,
			                      "timed out waiting for the condition");
		nanosleep(&pause, NULL);
	}
	return RTDP_OK;
}

static enum rtdp_rc delete_all(struct session *s, const struct delete_opts *o, const char *ns,
                               struct deleted *d, struct rtdp_error *err)
{
	const struct kube_resource *nsr = kube_resource_find("v1", "Namespace");
	bool ns_exists = false;
	size_t found = 0;

	if (o->delete_ns && check_namespace(s, o, ns, &ns_exists, err) != RTDP_OK)
		return err->rc;
	if (delete_kind(s, o, ns, "apps/v1", "Deployment", d, &found, err) != RTDP_OK ||
	    delete_kind(s, o, ns, "v1", "Service", d, &found, err) != RTDP_OK ||
	    delete_kind(s, o, ns, "policy/v1", "PodDisruptionBudget", d, &found, err) != RTDP_OK)
		return err->rc;
	if (ns_exists) {
		found++;
		if (delete_one(s, o, nsr, NULL, ns, d, err) != RTDP_OK)
			return err->rc;
	}
	if (found == 0)
		printf("No resources found in %s namespace.\n", ns);
	if (o->wait && !o->dry_run)
		return wait_gone(s, o, d, err);
	return RTDP_OK;
}

int cmd_delete(int argc, char **argv)
{
	struct delete_opts opts;
	struct deleted d;
	struct session s;
	struct rtdp_error err;
	int code;
	size_t i;

	memset(&opts, 0, sizeof(opts));
	code = parse_args(argc, argv, &opts);
	if (code >= 0)
		return code;
	if (session_open(&s, &opts.conn) != 0)
		return RTDP_EXIT_FAILURE;
	memset(&d, 0, sizeof(d));
	rtdp_error_init(&err);
	code = RTDP_EXIT_OK;
	if (delete_all(&s, &opts, opts.conn.namespace ? opts.conn.namespace : opts.name, &d,
	               &err) != RTDP_OK) {
		fprintf(stderr, "error: %s\n", err.msg);
		code = RTDP_EXIT_FAILURE;
	}
	for (i = 0; i < d.n; i++)
		free(d.paths[i]);
	session_close(&s);
	return code;
}
