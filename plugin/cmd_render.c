/* kubectl rtdp render: print a pipeline's objects as YAML or JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "rtdp/buf.h"
#include "rtdp/json_print.h"
#include "rtdp/yaml_emit.h"
#include "scaffold_flags.h"
#include "rtdp/banned.h"

static const char render_usage_head[] =
        "Print the objects of a real-time pipeline, as `init` writes them, to standard output.\n"
        "\n"
        "Examples:\n"
        "  # The seed pipeline, ready for kubectl apply -f -\n"
        "  kubectl rtdp render\n"
        "\n"
        "  # Three stages as a JSON List\n"
        "  kubectl rtdp render clicks --stages ingest,enrich,sink --image repo/clicks:1.4.0 -o "
        "json\n"
        "\n"
        "Options:\n";
static const char render_usage_tail[] = "  -o, --output='yaml': yaml or json (a v1 List)\n"
                                        "\n"
                                        "Usage:\n"
                                        "  kubectl rtdp render [NAME] [--stages LIST] [--image "
                                        "...] [--port ...] [--replicas ...] [-o yaml|json]\n";

/* Renders the set into out as a YAML stream or a JSON List. */
static enum rtdp_rc render_set(const struct scaffold_set *set, bool json, struct rtdp_buf *out)
{
	cJSON *list, *items;
	size_t i;
	enum rtdp_rc rc = RTDP_OK;

	if (!json) {
		for (i = 0; rc == RTDP_OK && i < set->len; i++) {
			rc = rtdp_buf_adds(out, "---\n");
			if (rc == RTDP_OK)
				rc = rtdp_yaml_emit(set->items[i].object, out);
		}
		return rc;
	}
	list = cJSON_CreateObject();
	if (!list || !cJSON_AddStringToObject(list, "apiVersion", "v1") ||
	    !cJSON_AddStringToObject(list, "kind", "List") ||
	    !(items = cJSON_AddArrayToObject(list, "items"))) {
		cJSON_Delete(list);
		return RTDP_ERR_NOMEM;
	}
	for (i = 0; i < set->len; i++)
		cJSON_AddItemToArray(items, cJSON_Duplicate(set->items[i].object, 1));
	rc = rtdp_json_print(list, out);
	cJSON_Delete(list);
	return rc;
}

static int render(const struct scaffold_spec *spec, bool json)
{
	struct scaffold_set set;
	struct rtdp_buf out;
	struct rtdp_error err;
	int code = RTDP_EXIT_OK;

	rtdp_error_init(&err);
	rtdp_buf_init(&out, 16u << 20);
	if (scaffold_build(spec, &set, &err) != RTDP_OK ||
	    render_set(&set, json, &out) != RTDP_OK) {
		fprintf(stderr, "error: %s\n", err.msg[0] ? err.msg : "out of memory");
		code = RTDP_EXIT_FAILURE;
	} else {
		fwrite(out.data, 1, out.len, stdout);
	}
	scaffold_set_release(&set);
	rtdp_buf_release(&out);
	return code;
}

static int render_flag(int argc, char **argv, int *i, void *ctx)
{
	bool *json = ctx;
	const char *v;
	enum args_match m = args_value(argc, argv, i, "-o", "--output", &v);

	if (m != ARGS_YES)
		return m == ARGS_NO ? 0 : -1;
	if (strcmp(v, "yaml") != 0 && strcmp(v, "json") != 0) {
		fprintf(stderr,
		        "error: unable to match a printer suitable for the output format \"%s\", "
		        "allowed formats are: json,yaml\n",
		        v);
		return -1;
	}
	*json = strcmp(v, "json") == 0;
	return 1;
}

int cmd_render(int argc, char **argv)
{
	bool json = false;
	struct scaffold_cli cli = {"render", render_usage_head, render_usage_tail, render_flag,
	                           &json};
	struct scaffold_spec spec;
	int code;

	memset(&spec, 0, sizeof(spec));
	code = scaffold_cli_parse(&cli, argc, argv, &spec);

	return code >= 0 ? code : render(&spec, json);
}
