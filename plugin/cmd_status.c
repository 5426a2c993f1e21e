/*
 * kubectl rtdp status: a pipeline's stages (Deployments), Services and their
 * ready endpoints, found by the label rtdp.io/pipeline=NAME. Exit 0 when every
 * stage is fully available, 1 otherwise (or on error).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "commands.h"
#include "conn_flags.h"
#include "kube_resource.h"
#include "pipeline_query.h"
#include "rtdp/json_print.h"
#include "session.h"
#include "status_report.h"
#include "rtdp/banned.h"

static const char status_usage[] =
        "Show a pipeline's stages (Deployments: desired, up-to-date, ready and available\n"
        "replicas), its Services with their ready endpoints, and the Deployments' conditions.\n"
        "\n"
        "Examples:\n"
        "  # The pipeline clicks, in namespace clicks\n"
        "  kubectl rtdp status clicks\n"
        "\n"
        "  # As a PipelineStatus document (apiVersion rtdp.io/v1alpha1)\n"
        "  kubectl rtdp status clicks -n prod -o json\n"
        "\n"
        "Options:\n"
        "  -n, --namespace='': namespace of the pipeline (default: NAME)\n"
        "  -o, --output='text': text or json\n"
        "\n"
        "Exit status: 0 every stage available, 1 not (or none found, or an error).\n"
        "\n"
        "Usage:\n"
        "  kubectl rtdp status NAME [-n NS] [-o text|json]\n";

/* EndpointSlices are read only here, so they are not in kube_resource's table. */
static const struct kube_resource endpointslices = {"discovery.k8s.io/v1",
                                                    "EndpointSlice",
                                                    "endpointslices",
                                                    "endpointslice.discovery.k8s.io",
                                                    true,
                                                    9};

struct status_opts {
	struct kube_conn_flags conn;
	const char *name;
	bool json;
};

static int status_flag(int argc, char **argv, int *i, void *ctx)
{
	struct status_opts *o = ctx;
	enum args_match m;
	const char *v;

	if ((m = args_value(argc, argv, i, "-o", "--output", &v)) == ARGS_NO)
		return 0;
	if (m == ARGS_MISSING)
		return -1;
	if (strcmp(v, "json") != 0 && strcmp(v, "text") != 0) {
		fprintf(stderr,
		        "error: unable to match a printer suitable for the output format "
		        "\"%s\", allowed formats are: json,text\n",
		        v);
		return -1;
	}
	o->json = strcmp(v, "json") == 0;
	return 1;
}

static int status_name(const char *arg, void *ctx)
{
	return pipeline_take_name(&((struct status_opts *)ctx)->name, "status", arg);
}

static int parse_args(int argc, char **argv, struct status_opts *o)
{
	struct cli c = {"status", status_usage, &o->conn, status_flag, status_name, o};
	int code;

	kube_conn_flags_init(&o->conn);
	code = cli_parse(&c, argc, argv, 1);
	if (code < 0 && pipeline_check_name(o->name, "status") != 0)
		return RTDP_EXIT_USAGE;
	return code;
}

/* Adds one listed object to the status document. */
typedef enum rtdp_rc (*add_fn)(struct session *s, const char *ns, const cJSON *item, cJSON *doc,
                               struct rtdp_error *err);

static enum rtdp_rc add_stage(struct session *s, const char *ns, const cJSON *item, cJSON *doc,
                              struct rtdp_error *err)
{
	(void)s;
	(void)ns;
	return status_add_stage(doc, item, err);
}

static enum rtdp_rc add_service(struct session *s, const char *ns, const cJSON *svc, cJSON *doc,
                                struct rtdp_error *err)
{
	const char *svc_name = pipeline_str(svc, "metadata.name", "");
	cJSON *slices = NULL;
	enum rtdp_rc rc;

	if (!pipeline_name_ok(svc_name))
		return status_add_service(doc, svc, NULL, err);
	if (pipeline_list(s->client, &endpointslices, ns, "kubernetes.io/service-name", svc_name,
	                  &slices, err) != RTDP_OK)
		return err->rc;
	rc = status_add_service(doc, svc, slices, err);
	cJSON_Delete(slices);
	return rc;
}

/* Lists r's objects of pipeline name in ns and adds each with add. */
static enum rtdp_rc add_each(struct session *s, const struct kube_resource *r, const char *name,
                             const char *ns, add_fn add, cJSON *doc, struct rtdp_error *err)
{
	const cJSON *item;
	cJSON *list;
	enum rtdp_rc rc = RTDP_OK;

	if (pipeline_list(s->client, r, ns, PIPELINE_LABEL, name, &list, err) != RTDP_OK)
		return err->rc;
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(list, "items"))
	{
		rc = add(s, ns, item, doc, err);
		if (rc != RTDP_OK)
			break;
	}
	cJSON_Delete(list);
	return rc;
}

static int print_doc(const struct status_opts *o, cJSON *doc, const char *ns)
{
	bool ready = status_finish(doc);
	struct rtdp_buf text;

	if (o->json) {
		rtdp_buf_init(&text, 64u << 20);
		if (rtdp_json_print(doc, &text) != RTDP_OK) {
			rtdp_buf_release(&text);
			fprintf(stderr, "error: out of memory\n");
			return RTDP_EXIT_FAILURE;
		}
		fwrite(text.data, 1, text.len, stdout);
		rtdp_buf_release(&text);
	} else if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
	                   cJSON_GetObjectItemCaseSensitive(doc, "status"), "stages")) > 0) {
		status_print_text(stdout, doc);
	}
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
	            cJSON_GetObjectItemCaseSensitive(doc, "status"), "stages")) == 0)
		fprintf(stderr,
		        "error: no Deployments with label %s=%s found in namespace %s: is the "
		        "pipeline applied?\n",
		        PIPELINE_LABEL, o->name, ns);
	return ready ? RTDP_EXIT_OK : RTDP_EXIT_FAILURE;
}

int cmd_status(int argc, char **argv)
{
	struct status_opts opts;
	struct rtdp_error err;
	struct session s;
	cJSON *doc = NULL;
	const char *ns;
	int code;

	memset(&opts, 0, sizeof(opts));
	code = parse_args(argc, argv, &opts);
	if (code >= 0)
		return code;
	if (session_open(&s, &opts.conn) != 0)
		return RTDP_EXIT_FAILURE;
	ns = opts.conn.namespace ? opts.conn.namespace : opts.name;
	rtdp_error_init(&err);
	if (status_doc_new(opts.name, ns, &doc, &err) != RTDP_OK ||
	    add_each(&s, kube_resource_find("apps/v1", "Deployment"), opts.name, ns, add_stage, doc,
	             &err) != RTDP_OK ||
	    add_each(&s, kube_resource_find("v1", "Service"), opts.name, ns, add_service, doc,
	             &err) != RTDP_OK) {
		fprintf(stderr, "error: %s\n", err.msg);
		code = RTDP_EXIT_FAILURE;
	} else {
		code = print_doc(&opts, doc, ns);
	}
	cJSON_Delete(doc);
	session_close(&s);
	return code;
}
