#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "commands.h"
#include "scaffold_flags.h"
#include "rtdp/banned.h"

const char scaffold_flags_usage[] =
        "      --stages='controller': comma-separated stage names; one Deployment, Service and\n"
        "                    PodDisruptionBudget each\n"
        "      --image=[]: IMAGE for every stage, or STAGE=IMAGE; pinned by tag or digest\n"
        "                    (default " SCAFFOLD_DEFAULT_IMAGE ", serving HTTP on the port)\n"
        "      --port=[]: PORT for every stage, or STAGE=PORT (default 8080)\n"
        "      --replicas=[]: N for every stage, or STAGE=N (default 3)\n"
        "  -n, --namespace='': namespace of the pipeline (default: NAME); the other\n"
        "                    connection flags are accepted and ignored (nothing is sent)\n";

static int parse_int(const char *v, int *out)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (!*v || *end || n < 0 || n > 1000000)
		return -1;
	*out = (int)n;
	return 0;
}

static enum scaffold_flag_result set_stages(struct scaffold_spec *s, const char *list)
{
	struct scaffold_stage tmpl = s->stages[0];
	const char *p = list;
	size_t n = 0;

	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (n == SCAFFOLD_MAX_STAGES || len == 0 || len >= SCAFFOLD_NAME_MAX) {
			fprintf(stderr,
			        "error: --stages takes 1 to %d comma-separated names of at most %d "
			        "characters\n",
			        SCAFFOLD_MAX_STAGES, SCAFFOLD_NAME_MAX - 1);
			return SCAFFOLD_FLAG_ERROR;
		}
		s->stages[n] = tmpl;
		memcpy(s->stages[n].name, p, len);
		s->stages[n].name[len] = '\0';
		n++;
		p = comma ? comma + 1 : p + len;
	}
	s->nstages = n;
	return n ? SCAFFOLD_FLAG_YES : SCAFFOLD_FLAG_ERROR;
}

enum stage_field { FIELD_IMAGE, FIELD_PORT, FIELD_REPLICAS };

static int set_field(struct scaffold_stage *st, enum stage_field f, const char *v)
{
	switch (f) {
	case FIELD_IMAGE:
		if (strlen(v) >= SCAFFOLD_IMAGE_MAX)
			return -1;
		snprintf(st->image, sizeof(st->image), "%s", v);
		return 0;
	case FIELD_PORT:
		return parse_int(v, &st->port);
	case FIELD_REPLICAS:
		return parse_int(v, &st->replicas);
	}
	return -1;
}

/* "VALUE" for every stage, or "STAGE=VALUE" for one. Stages must be set first. */
static enum scaffold_flag_result set_per_stage(struct scaffold_spec *s, const char *flag,
                                               enum stage_field f, const char *v)
{
	const char *eq = strchr(v, '=');
	size_t i;

	if (!eq) {
		for (i = 0; i < s->nstages; i++)
			if (set_field(&s->stages[i], f, v) != 0)
				goto bad;
		return SCAFFOLD_FLAG_YES;
	}
	for (i = 0; i < s->nstages; i++) {
		if (strlen(s->stages[i].name) == (size_t)(eq - v) &&
		    strncmp(s->stages[i].name, v, (size_t)(eq - v)) == 0)
			return set_field(&s->stages[i], f, eq + 1) == 0 ? SCAFFOLD_FLAG_YES
			                                                : SCAFFOLD_FLAG_ERROR;
	}
	fprintf(stderr, "error: %s %s: no stage \"%.*s\" (give --stages before per-stage values)\n",
	        flag, v, (int)(eq - v), v);
	return SCAFFOLD_FLAG_ERROR;
bad:
	fprintf(stderr, "error: invalid value \"%s\" for %s\n", v, flag);
	return SCAFFOLD_FLAG_ERROR;
}

enum scaffold_flag_result scaffold_flag(int argc, char **argv, int *i, struct scaffold_spec *s)
{
	static const struct {
		const char *flag;
		enum stage_field field;
	} per_stage[] = {
	        {"--image", FIELD_IMAGE}, {"--port", FIELD_PORT}, {"--replicas", FIELD_REPLICAS}};
	const char *v;
	enum args_match m;
	size_t k;

	if ((m = args_value(argc, argv, i, NULL, "--stages", &v)) != ARGS_NO)
		return m == ARGS_YES ? set_stages(s, v) : SCAFFOLD_FLAG_ERROR;
	for (k = 0; k < sizeof(per_stage) / sizeof(per_stage[0]); k++) {
		m = args_value(argc, argv, i, NULL, per_stage[k].flag, &v);
		if (m != ARGS_NO)
			return m == ARGS_YES
			               ? set_per_stage(s, per_stage[k].flag, per_stage[k].field, v)
			               : SCAFFOLD_FLAG_ERROR;
	}
	return SCAFFOLD_FLAG_NO;
}

static int scaffold_finish(struct scaffold_spec *s, const char *name)
{
	struct rtdp_error err;

	if (name && strlen(name) >= sizeof(s->pipeline)) {
		fprintf(stderr, "error: pipeline name \"%s\" is longer than %zu characters\n", name,
		        sizeof(s->pipeline) - 1);
		return -1;
	}
	if (name)
		snprintf(s->pipeline, sizeof(s->pipeline), "%s", name);
	if (!s->namespace[0])
		snprintf(s->namespace, sizeof(s->namespace), "%s", s->pipeline);
	rtdp_error_init(&err);
	if (scaffold_spec_check(s, &err) != RTDP_OK) {
		fprintf(stderr, "error: %s\n", err.msg);
		return -1;
	}
	return 0;
}

struct scaffold_parse {
	const struct scaffold_cli *cli;
	struct scaffold_spec *spec;
	const char *name; /* borrowed from argv */
};

/* The command's own flags first, then the shared ones: 1 taken, 0 neither, -1 error. */
static int either_flag(int argc, char **argv, int *i, void *ctx)
{
	struct scaffold_parse *sp = ctx;
	int r = sp->cli->own_flag(argc, argv, i, sp->cli->ctx);

	if (r != 0)
		return r;
	switch (scaffold_flag(argc, argv, i, sp->spec)) {
	case SCAFFOLD_FLAG_YES:
		return 1;
	case SCAFFOLD_FLAG_ERROR:
		return -1;
	case SCAFFOLD_FLAG_NO:
		break;
	}
	return 0;
}

static int take_name(const char *arg, void *ctx)
{
	struct scaffold_parse *sp = ctx;

	if (sp->name) {
		fprintf(stderr, "error: exactly one NAME is allowed, got \"%s\" and \"%s\"\n",
		        sp->name, arg);
		return -1;
	}
	sp->name = arg;
	return 0;
}

int scaffold_cli_parse(const struct scaffold_cli *cli, int argc, char **argv,
                       struct scaffold_spec *s)
{
	struct scaffold_parse sp = {cli, s, NULL};
	struct kube_conn_flags conn; /* accepted as kubectl's; -n names the namespace */
	char usage[4096];
	struct cli c = {cli->cmd, usage, &conn, either_flag, take_name, &sp};
	int code;

	snprintf(usage, sizeof(usage), "%s%s%s", cli->usage_head, scaffold_flags_usage,
	         cli->usage_tail);
	scaffold_spec_default(s);
	s->namespace[0] = '\0'; /* defaults to the pipeline's name unless -n is given */
	kube_conn_flags_init(&conn);
	code = cli_parse(&c, argc, argv, 1);
	if (code >= 0)
		return code;
	if (conn.namespace && strlen(conn.namespace) >= sizeof(s->namespace)) {
		fprintf(stderr, "error: namespace \"%s\" is too long\n", conn.namespace);
		return RTDP_EXIT_USAGE;
	}
	if (conn.namespace)
		snprintf(s->namespace, sizeof(s->namespace), "%s", conn.namespace);
	return scaffold_finish(s, sp.name) == 0 ? -1 : RTDP_EXIT_USAGE;
}
