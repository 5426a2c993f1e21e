#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "commands.h"
#include "kube_resource.h"
#include "rtdp/banned.h"

void cli_usage(const struct cli *c)
{
	fputs(c->usage, stdout);
	if (c->conn)
		printf("\nConnection options (as kubectl's):\n%s", kube_conn_flags_usage());
}

/* 1 taken, 0 not a connection flag, -1 error (printed). */
static int conn_flag(const struct cli *c, int argc, char **argv, int *i)
{
	struct rtdp_error err;
	bool taken = false;

	if (!c->conn)
		return 0;
	rtdp_error_init(&err);
	if (kube_conn_flags_parse(c->conn, i, argc, argv, &taken, &err) != RTDP_OK) {
		fprintf(stderr, "error: %s\n", err.msg);
		return -1;
	}
	return taken;
}

static int positional(const struct cli *c, const char *arg)
{
	if (c->arg)
		return c->arg(arg, c->ctx);
	fprintf(stderr,
	        "error: unexpected argument \"%s\"\nSee 'kubectl rtdp %s -h' for help and "
	        "examples\n",
	        arg, c->cmd);
	return -1;
}

int cli_parse(const struct cli *c, int argc, char **argv, int first)
{
	int i, r;

	for (i = first; i < argc; i++) {
		if (args_is_help(argv[i])) {
			cli_usage(c);
			return RTDP_EXIT_OK;
		}
		r = conn_flag(c, argc, argv, &i);
		if (r == 0)
			r = c->flag ? c->flag(argc, argv, &i, c->ctx) : 0;
		if (r == 0 && argv[i][0] == '-' && argv[i][1])
			return args_unknown(c->cmd, argv[i]);
		if (r == 0)
			r = positional(c, argv[i]) == 0 ? 1 : -1;
		if (r < 0)
			return RTDP_EXIT_USAGE;
	}
	return -1;
}

int cli_load_manifests(const char *const *paths, int npaths, bool recursive,
                       struct rtdp_object_set *set)
{
	struct rtdp_limits lim;
	struct rtdp_error err;
	int i, failed = 0;

	rtdp_limits_default(&lim);
	for (i = 0; i < npaths; i++) {
		rtdp_error_init(&err);
		if (rtdp_manifest_load_path(set, paths[i], recursive, &lim, &err) != RTDP_OK) {
			fprintf(stderr, "error: %s\n", err.msg);
			failed = 1;
		}
	}
	return failed ? -1 : 0;
}

int cli_set_namespace(cJSON *obj, const char *ns)
{
	cJSON *meta = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	cJSON *v;

	if (!cJSON_IsObject(meta) || !(v = cJSON_CreateString(ns)))
		return -1;
	if (cJSON_GetObjectItemCaseSensitive(meta, "namespace"))
		return cJSON_ReplaceItemInObjectCaseSensitive(meta, "namespace", v) ? 0 : -1;
	return cJSON_AddItemToObject(meta, "namespace", v) ? 0 : -1;
}

int cli_default_namespace(struct rtdp_object_set *set, const char *ns)
{
	size_t i;

	for (i = 0; i < set->len; i++) {
		cJSON *obj = set->items[i].json;
		const cJSON *av = cJSON_GetObjectItemCaseSensitive(obj, "apiVersion");
		const cJSON *kind = cJSON_GetObjectItemCaseSensitive(obj, "kind");
		const cJSON *meta = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
		const cJSON *have = cJSON_GetObjectItemCaseSensitive(meta, "namespace");
		const struct kube_resource *r;

		if (!cJSON_IsString(av) || !cJSON_IsString(kind) ||
		    (cJSON_IsString(have) && have->valuestring[0]))
			continue;
		r = kube_resource_find(av->valuestring, kind->valuestring);
		if (r && r->namespaced && cli_set_namespace(obj, ns) != 0)
			return -1;
	}
	return 0;
}
