/*
 * kubectl rtdp webhook: certificates for rtdp-webhook, and its registration
 * with the apiserver (derived from the policy's scope).
 *
 *   webhook certs --dir DIR --san NAME[,NAME...] [--days N]
 *   webhook install (--url URL | --service NS/NAME[:PORT]) --ca-file FILE [...]
 *   webhook uninstall
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "commands.h"
#include "kube_resource.h"
#include "rtdp/io.h"
#include "rtdp/buf.h"
#include "rtdp/json_print.h"
#include "rtdp/yaml_emit.h"
#include "session.h"
#include "webhook_certs.h"
#include "webhook_config.h"
#include "rtdp/banned.h"

static const char webhook_usage[] =
        "Make certificates for rtdp-webhook and register it with the apiserver.\n"
        "\n"
        "Examples:\n"
        "  # A CA (kept and reused) and a serving certificate for a webhook on this host\n"
        "  kubectl rtdp webhook certs --dir ./certs --san 127.0.0.1\n"
        "\n"
        "  # Register it (the configurations follow the policy's scope)\n"
        "  kubectl rtdp webhook install --url https://127.0.0.1:8443 --ca-file ./certs/ca.crt\n"
        "\n"
        "  # In-cluster, through a Service, as YAML for a GitOps repository\n"
        "  kubectl rtdp webhook install --service rtdp-system/rtdp-webhook:443 --ca-file ca.crt -o "
        "yaml\n"
        "\n"
        "  # The emergency exit: the apiserver never calls webhooks for their own configurations\n"
        "  kubectl rtdp webhook uninstall\n"
        "\n"
        "certs options:\n"
        "      --dir='': where ca.crt, ca.key, tls.crt and tls.key go (keys mode 0600)\n"
        "      --san=[]: DNS names or IPs the serving certificate covers; repeatable or "
        "comma-separated\n"
        "      --days=365: validity of the serving certificate\n"
        "install options:\n"
        "      --url='': the webhook's base URL (https, no path)\n"
        "      --service='': NAMESPACE/NAME[:PORT] of the webhook's Service (port 443 by default)\n"
        "      --ca-file='': the CA certificate the apiserver checks the webhook with\n"
        "      --policy='': policy file whose scope the configurations follow\n"
        "      --failure-policy='Fail': Fail or Ignore\n"
        "      --timeout-seconds=5: 1 to 30\n"
        "      --dry-run='none': none, client or server\n"
        "  -o, --output='': yaml or json: print the configurations instead of applying them\n"
        "%s"
        "\n"
        "Usage:\n"
        "  kubectl rtdp webhook certs|install|uninstall [options]\n";

#define MAX_SAN_TEXT 16

struct webhook_opts {
	struct webhook_certs_opts certs;
	char san_copies[MAX_SAN_TEXT][256];
	size_t ncopies;
	const char *url, *service, *ca_file, *policy, *output, *dry_run;
	struct webhook_endpoint ep;
	struct kube_conn_flags conn;
};

/* Splits a --san value at commas into o->certs.sans. */
static int add_sans(struct webhook_opts *o, const char *v)
{
	while (*v) {
		const char *comma = strchr(v, ',');
		size_t len = comma ? (size_t)(comma - v) : strlen(v);

		if (len == 0 || len >= sizeof(o->san_copies[0]) || o->ncopies == MAX_SAN_TEXT) {
			fprintf(stderr,
			        "error: --san takes at most %d names of at most 255 characters\n",
			        MAX_SAN_TEXT);
			return -1;
		}
		memcpy(o->san_copies[o->ncopies], v, len);
		o->san_copies[o->ncopies][len] = '\0';
		o->certs.sans[o->certs.nsans++] = o->san_copies[o->ncopies++];
		v += len + (comma != NULL);
	}
	return 0;
}

static int int_flag(const char *v, const char *flag, int lo, int hi, int *out)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (!*v || *end || n < lo || n > hi) {
		fprintf(stderr, "error: %s must be a number from %d to %d, not \"%s\"\n", flag, lo,
		        hi, v);
		return -1;
	}
	*out = (int)n;
	return 0;
}

/* 1 taken, 0 not ours, -1 error. */
static int own_flag(int argc, char **argv, int *i, void *ctx)
{
	struct webhook_opts *o = ctx;
	static const char *const strings[] = {"--dir",     "--url",    "--service",
	                                      "--ca-file", "--policy", "--failure-policy",
	                                      "--dry-run"};
	const char **dst[] = {&o->certs.dir, &o->url,    &o->service,
	                      &o->ca_file,   &o->policy, &o->ep.failure_policy,
	                      &o->dry_run};
	const char *v;
	enum args_match m;
	size_t k;

	for (k = 0; k < sizeof(strings) / sizeof(strings[0]); k++)
		if ((m = args_value(argc, argv, i, NULL, strings[k], dst[k])) != ARGS_NO)
			return m == ARGS_YES ? 1 : -1;
	if ((m = args_value(argc, argv, i, "-o", "--output", &o->output)) != ARGS_NO)
		return m == ARGS_YES ? 1 : -1;
	if ((m = args_value(argc, argv, i, NULL, "--san", &v)) != ARGS_NO)
		return m == ARGS_YES && add_sans(o, v) == 0 ? 1 : -1;
	if ((m = args_value(argc, argv, i, NULL, "--days", &v)) != ARGS_NO)
		return m == ARGS_YES && int_flag(v, "--days", 1, 3650, &o->certs.days) == 0 ? 1
		                                                                            : -1;
	if ((m = args_value(argc, argv, i, NULL, "--timeout-seconds", &v)) != ARGS_NO)
		return m == ARGS_YES && int_flag(v, "--timeout-seconds", 1, 30,
		                                 &o->ep.timeout_seconds) == 0
		               ? 1
		               : -1;
	return 0;
}

static int run_certs(struct webhook_opts *o)
{
	struct rtdp_error err;
	int reused = 0;

	if (!o->certs.dir) {
		fprintf(stderr, "error: webhook certs needs --dir\n");
		return RTDP_EXIT_USAGE;
	}
	rtdp_error_init(&err);
	if (webhook_certs_make(&o->certs, &reused, &err) != RTDP_OK) {
		fprintf(stderr, "error: %s\n", err.msg);
		return err.rc == RTDP_ERR_USAGE ? RTDP_EXIT_USAGE : RTDP_EXIT_FAILURE;
	}
	printf("%s CA in %s/ca.crt (key ca.key, 0600)\n", reused ? "kept the" : "made a new",
	       o->certs.dir);
	printf("wrote %s/tls.crt and %s/tls.key (0600), valid %d days\n", o->certs.dir,
	       o->certs.dir, o->certs.days);
	return RTDP_EXIT_OK;
}

/* Fills o->ep from --url/--service, --ca-file. Returns 0, or -1 with the error printed. */
static int endpoint(struct webhook_opts *o, char **ca_pem)
{
	static char svc_ns[254], svc_name[254];
	struct rtdp_error err;
	const char *slash, *colon;
	size_t len = 0;

	rtdp_error_init(&err);
	if (!o->ca_file || (!o->url == !o->service)) {
		fprintf(stderr,
		        "error: webhook install needs --ca-file and one of --url or --service\n");
		return -1;
	}
	if (rtdp_read_file(o->ca_file, 1 << 20, ca_pem, &len, &err) != RTDP_OK) {
		fprintf(stderr, "error: %s\n", err.msg);
		return -1;
	}
	o->ep.ca_bundle_pem = *ca_pem;
	o->ep.url = o->url;
	if (o->service) {
		slash = strchr(o->service, '/');
		colon = slash ? strchr(slash, ':') : NULL;
		if (!slash || slash == o->service ||
		    (size_t)(slash - o->service) >= sizeof(svc_ns)) {
			fprintf(stderr,
			        "error: --service wants NAMESPACE/NAME[:PORT], not \"%s\"\n",
			        o->service);
			return -1;
		}
		snprintf(svc_ns, sizeof(svc_ns), "%.*s", (int)(slash - o->service), o->service);
		snprintf(svc_name, sizeof(svc_name), "%.*s", colon ? (int)(colon - slash - 1) : 253,
		         slash + 1);
		o->ep.service_namespace = svc_ns;
		o->ep.service_name = svc_name;
		o->ep.service_port = 443;
		if (colon &&
		    int_flag(colon + 1, "--service port", 1, 65535, &o->ep.service_port) != 0)
			return -1;
	}
	return 0;
}

static int print_configs(const cJSON *list, const char *format)
{
	struct rtdp_buf out;
	const cJSON *item;
	enum rtdp_rc rc = RTDP_OK;

	rtdp_buf_init(&out, 1 << 20);
	if (strcmp(format, "json") == 0) {
		rc = rtdp_json_print(list, &out);
	} else {
		cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(list, "items"))
		{
			if (rc == RTDP_OK)
				rc = rtdp_buf_adds(&out, "---\n");
			if (rc == RTDP_OK)
				rc = rtdp_yaml_emit(item, &out);
		}
	}
	if (rc == RTDP_OK)
		fwrite(out.data, 1, out.len, stdout);
	rtdp_buf_release(&out);
	return rc == RTDP_OK ? RTDP_EXIT_OK : RTDP_EXIT_FAILURE;
}

static int apply_configs(struct webhook_opts *o, const cJSON *list)
{
	struct kube_apply_options ao = {"kubectl-rtdp", true,
	                                o->dry_run && strcmp(o->dry_run, "server") == 0, true};
	struct session s;
	const cJSON *item;
	int failed = 0;

	if (session_open(&s, &o->conn) != 0)
		return RTDP_EXIT_FAILURE;
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(list, "items"))
	{
		const struct kube_resource *r = NULL;
		struct kube_response resp;
		struct rtdp_error err;
		char path[512], *body = cJSON_PrintUnformatted(item);

		rtdp_error_init(&err);
		kube_response_init(&resp);
		if (!body || kube_resource_of(item, &r, &err) != RTDP_OK ||
		    kube_object_path(r, NULL, WEBHOOK_CONFIG_NAME, path, sizeof(path)) != 0 ||
		    kube_apply(s.client, path, body, strlen(body), &ao, &resp, &err) != RTDP_OK) {
			fprintf(stderr, "error: %s\n", err.msg[0] ? err.msg : "out of memory");
			failed = 1;
		} else {
			printf("%s/%s serverside-applied%s\n", r->display, WEBHOOK_CONFIG_NAME,
			       ao.dry_run ? " (server dry run)" : "");
		}
		kube_response_release(&resp);
		free(body);
	}
	session_close(&s);
	return failed ? RTDP_EXIT_FAILURE : RTDP_EXIT_OK;
}

static int run_install(struct webhook_opts *o)
{
	struct rtdp_policy *policy = NULL;
	struct rtdp_error err;
	cJSON *list = NULL;
	char *ca_pem = NULL;
	int code = RTDP_EXIT_USAGE;

	rtdp_error_init(&err);
	if (o->dry_run && strcmp(o->dry_run, "none") != 0 && strcmp(o->dry_run, "client") != 0 &&
	    strcmp(o->dry_run, "server") != 0) {
		fprintf(stderr,
		        "error: Invalid dry-run value (%s). Must be \"none\", \"server\", or "
		        "\"client\".\n",
		        o->dry_run);
		goto out;
	}
	if (o->output && strcmp(o->output, "yaml") != 0 && strcmp(o->output, "json") != 0) {
		fprintf(stderr, "error: -o must be yaml or json\n");
		goto out;
	}
	if (endpoint(o, &ca_pem) != 0)
		goto out;
	if ((o->policy ? rtdp_policy_load_file(o->policy, &policy, &err)
	               : rtdp_policy_default(&policy, &err)) != RTDP_OK ||
	    webhook_config_build(policy, &o->ep, &list, &err) != RTDP_OK) {
		fprintf(stderr, "error: %s\n", err.msg);
		goto out;
	}
	if (o->output || (o->dry_run && strcmp(o->dry_run, "client") == 0))
		code = print_configs(list, o->output ? o->output : "yaml");
	else
		code = apply_configs(o, list);
out:
	cJSON_Delete(list);
	rtdp_policy_free(policy);
	free(ca_pem);
	return code;
}

static int run_uninstall(struct webhook_opts *o)
{
	static const char *const kinds[] = {"MutatingWebhookConfiguration",
	                                    "ValidatingWebhookConfiguration"};
	struct session s;
	size_t k;
	int failed = 0;

	if (session_open(&s, &o->conn) != 0)
		return RTDP_EXIT_FAILURE;
	for (k = 0; k < 2; k++) {
		const struct kube_resource *r =
		        kube_resource_find("admissionregistration.k8s.io/v1", kinds[k]);
		struct kube_response resp;
		struct rtdp_error err;
		char path[512];
		enum rtdp_rc rc;

		rtdp_error_init(&err);
		kube_object_path(r, NULL, WEBHOOK_CONFIG_NAME, path, sizeof(path));
		rc = kube_delete(s.client, path, NULL, false, &resp, &err);
		if (rc == RTDP_OK)
			printf("%s \"%s\" deleted\n", r->display, WEBHOOK_CONFIG_NAME);
		else if (rc == RTDP_ERR_NOTFOUND)
			printf("%s \"%s\" not found\n", r->display, WEBHOOK_CONFIG_NAME);
		else
			failed = fprintf(stderr, "error: %s\n", err.msg) > 0;
		kube_response_release(&resp);
	}
	session_close(&s);
	return failed ? RTDP_EXIT_FAILURE : RTDP_EXIT_OK;
}

int cmd_webhook(int argc, char **argv)
{
	struct webhook_opts o;
	struct cli c = {"webhook", webhook_usage, &o.conn, own_flag, NULL, &o};
	int code;

	memset(&o, 0, sizeof(o));
	kube_conn_flags_init(&o.conn);
	o.certs.days = 365;
	o.ep.failure_policy = "Fail";
	o.ep.timeout_seconds = 5;
	if (argc < 2 || args_is_help(argv[1])) {
		cli_usage(&c);
		return argc < 2 ? RTDP_EXIT_USAGE : RTDP_EXIT_OK;
	}
	code = cli_parse(&c, argc, argv, 2);
	if (code >= 0)
		return code;
	if (strcmp(argv[1], "certs") == 0)
		return run_certs(&o);
	if (strcmp(argv[1], "install") == 0)
		return run_install(&o);
	if (strcmp(argv[1], "uninstall") == 0)
		return run_uninstall(&o);
	fprintf(stderr,
	        "error: unknown command \"%s\" for \"kubectl rtdp webhook\": use certs, install or "
	        "uninstall\n",
	        argv[1]);
	return RTDP_EXIT_USAGE;
}
