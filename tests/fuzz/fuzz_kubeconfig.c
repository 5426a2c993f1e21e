/*
 * libFuzzer harness for the kubeconfig loader: any bytes as a --kubeconfig
 * file, resolved with no flags and then with --context/--cluster/--user set
 * to names from the file. The files the kubeconfig names are not read (a
 * fuzzed path could be a FIFO) and exec plugins are parsed, never run. A
 * result is either a config or an error with a message, never a crash or a
 * leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "conn_flags.h"
#include "kubeconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(enum rtdp_rc rc, struct kube_config *cfg, const struct rtdp_error *err)
{
	if (rc == RTDP_OK && (!cfg || !cfg->server || !cfg->namespace))
		abort();
	if (rc != RTDP_OK && (cfg || err->rc != rc || err->msg[0] == '\0'))
		abort();
	kube_config_free(cfg);
}

static void one(const uint8_t *data, size_t size, const struct kube_conn_flags *flags)
{
	struct kube_load_options opts = {"/nonexistent/rtdp-fuzz", true};
	struct kube_config *cfg = NULL;
	struct rtdp_error err;
	enum rtdp_rc rc;

	rtdp_error_init(&err);
	rc = kube_config_parse("fuzz.yaml", (const char *)data, size, flags, &opts, &cfg, &err);
	check(rc, cfg, &err);
}

/* The name of the first entry of list in the input, when it parses as JSON. */
static const char *first_name(const cJSON *root, const char *list)
{
	const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, list), 0);

	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(first, "name"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kube_conn_flags flags;
	cJSON *root;

	unsetenv("KUBERNETES_SERVICE_HOST");
	one(data, size, NULL);
	root = cJSON_ParseWithLength((const char *)data, size);
	if (!root)
		return 0;
	kube_conn_flags_init(&flags);
	flags.context = first_name(root, "contexts");
	flags.cluster = first_name(root, "clusters");
	flags.user = first_name(root, "users");
	flags.namespace = "fuzz";
	one(data, size, &flags);
	cJSON_Delete(root);
	return 0;
}
