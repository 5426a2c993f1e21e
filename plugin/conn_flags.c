#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "conn_flags.h"
#include "rtdp/banned.h"

enum flag_kind { FLAG_STRING, FLAG_GROUP, FLAG_BOOL, FLAG_TIMEOUT };

struct flag_spec {
	const char *name; /* long name without the dashes */
	char shorthand; /* '\0' when there is none */
	enum flag_kind kind;
	size_t offset; /* of the const char * field, for FLAG_STRING */
};

#define STR_FIELD(f) offsetof(struct kube_conn_flags, f)

/* clang-format off */
static const struct flag_spec specs[] = {
	{ "kubeconfig",               0,   FLAG_STRING,  STR_FIELD(kubeconfig) },
	{ "context",                  0,   FLAG_STRING,  STR_FIELD(context) },
	{ "cluster",                  0,   FLAG_STRING,  STR_FIELD(cluster) },
	{ "user",                     0,   FLAG_STRING,  STR_FIELD(user) },
	{ "namespace",                'n', FLAG_STRING,  STR_FIELD(namespace) },
	{ "server",                   's', FLAG_STRING,  STR_FIELD(server) },
	{ "token",                    0,   FLAG_STRING,  STR_FIELD(token) },
	{ "certificate-authority",    0,   FLAG_STRING,  STR_FIELD(certificate_authority) },
	{ "client-certificate",       0,   FLAG_STRING,  STR_FIELD(client_certificate) },
	{ "client-key",               0,   FLAG_STRING,  STR_FIELD(client_key) },
	{ "tls-server-name",          0,   FLAG_STRING,  STR_FIELD(tls_server_name) },
	{ "as",                       0,   FLAG_STRING,  STR_FIELD(as) },
	{ "as-uid",                   0,   FLAG_STRING,  STR_FIELD(as_uid) },
	{ "as-group",                 0,   FLAG_GROUP,   0 },
	{ "insecure-skip-tls-verify", 0,   FLAG_BOOL,    0 },
	{ "request-timeout",          0,   FLAG_TIMEOUT, 0 },
};
/* clang-format on */

static const char usage_text[] =
        "Connection flags (as kubectl's):\n"
        "      --kubeconfig=PATH            the kubeconfig file to use (else $KUBECONFIG, else "
        "~/.kube/config)\n"
        "      --context=NAME               the kubeconfig context to use\n"
        "      --cluster=NAME               the kubeconfig cluster to use\n"
        "      --user=NAME                  the kubeconfig user to use\n"
        "  -n, --namespace=NAME             the namespace for this request (else the context's, "
        "else default)\n"
        "  -s, --server=URL                 the address and port of the Kubernetes API server\n"
        "      --token=TOKEN                bearer token for authentication to the API server\n"
        "      --certificate-authority=PATH a CA certificate file\n"
        "      --client-certificate=PATH    a client certificate file for TLS\n"
        "      --client-key=PATH            a client key file for TLS\n"
        "      --insecure-skip-tls-verify   do not check the server's certificate (insecure)\n"
        "      --tls-server-name=NAME       server name for certificate validation and SNI\n"
        "      --request-timeout=DURATION   time to wait for one server request (e.g. 30s, 2m; 0: "
        "none)\n"
        "      --as=USER                    user to impersonate\n"
        "      --as-group=GROUP             group to impersonate, repeatable\n"
        "      --as-uid=UID                 UID to impersonate\n";

void kube_conn_flags_init(struct kube_conn_flags *f)
{
	memset(f, 0, sizeof(*f));
}

const char *kube_conn_flags_usage(void)
{
	return usage_text;
}

static const struct flag_spec *find_long(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		if (strlen(specs[i].name) == len && memcmp(specs[i].name, name, len) == 0)
			return &specs[i];
	return NULL;
}

static const struct flag_spec *find_short(char c)
{
	size_t i;

	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		if (specs[i].shorthand && specs[i].shorthand == c)
			return &specs[i];
	return NULL;
}

/* Splits arg into its flag spec and inline value (NULL when none). */
static const struct flag_spec *match(const char *arg, const char **value)
{
	const char *eq;

	*value = NULL;
	if (arg[0] != '-' || arg[1] == '\0')
		return NULL;
	if (arg[1] == '-') {
		eq = strchr(arg + 2, '=');
		if (eq)
			*value = eq + 1;
		return find_long(arg + 2, eq ? (size_t)(eq - (arg + 2)) : strlen(arg + 2));
	}
	if (arg[2] == '=')
		*value = arg + 3;
	else if (arg[2] != '\0')
		*value = arg + 2;
	return find_short(arg[1]);
}

/* Go's strconv.ParseBool. */
static int parse_bool(const char *s)
{
	static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
	static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(s, yes[i]) == 0)
			return 1;
		if (strcmp(s, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* Milliseconds in one unit of a Go duration, or 0 for an unknown unit. */
static double unit_ms(const char *u, size_t len)
{
	/* clang-format off */
	static const struct { const char *name; double ms; } units[] = {
		{ "ns", 1e-6 }, { "us", 1e-3 }, { "\xc2\xb5s", 1e-3 }, { "ms", 1.0 },
		{ "s", 1e3 }, { "m", 6e4 }, { "h", 3.6e6 },
	};
	/* clang-format on */
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i].name) == len && memcmp(units[i].name, u, len) == 0)
			return units[i].ms;
	return 0;
}

/* Sums "1h30m" style terms into *total; -1 on a syntax error. */
static int sum_terms(const char *s, double *total)
{
	char *end;
	double n, per;
	size_t ulen;

	*total = 0;
	while (*s) {
		if (!((*s >= '0' && *s <= '9') || *s == '.'))
			return -1;
		errno = 0;
		n = strtod(s, &end);
		if (end == s || errno)
			return -1;
		s = end;
		ulen = strcspn(s, "0123456789.");
		per = unit_ms(s, ulen);
		if (per == 0)
			return -1;
		*total += n * per;
		s += ulen;
	}
	return 0;
}

enum rtdp_rc kube_parse_duration_ms(const char *s, long *ms, struct rtdp_error *err)
{
	double total;
	const char *p = s;

	while (*p >= '0' && *p <= '9')
		p++;
	if (*s && !*p && p - s <= 9) {
		*ms = strtol(s, NULL, 10) * 1000L;
		return RTDP_OK;
	}
	if (*s == '\0' || sum_terms(s, &total) != 0 || !isfinite(total) || total > 1e12)
		return rtdp_error_set(err, RTDP_ERR_USAGE,
		                      "invalid timeout value \"%s\": use a number of seconds or a "
		                      "number with a unit (e.g. 1s, 2m, 3h)",
		                      s);
	*ms = (long)ceil(total);
	return RTDP_OK;
}

static enum rtdp_rc store(struct kube_conn_flags *f, const struct flag_spec *spec,
                          const char *value, struct rtdp_error *err)
{
	switch (spec->kind) {
	case FLAG_STRING:
		*(const char **)(void *)((char *)f + spec->offset) = *value ? value : NULL;
		return RTDP_OK;
	case FLAG_GROUP:
		if (f->n_as_groups >= KUBE_MAX_AS_GROUPS)
			return rtdp_error_set(err, RTDP_ERR_USAGE,
			                      "too many --as-group flags (the limit is %d)",
			                      KUBE_MAX_AS_GROUPS);
		f->as_groups[f->n_as_groups++] = value;
		return RTDP_OK;
	case FLAG_BOOL:
		break;
	case FLAG_TIMEOUT:
		f->request_timeout_set = true;
		if (kube_parse_duration_ms(value, &f->request_timeout_ms, err) != RTDP_OK)
			return rtdp_error_prefix(err, "--request-timeout: ");
		return RTDP_OK;
	}
	switch (parse_bool(value)) {
	case 1:
		f->insecure_skip_tls_verify = true;
		break;
	case 0:
		f->insecure_skip_tls_verify = false;
		break;
	default:
		return rtdp_error_set(
		        err, RTDP_ERR_USAGE,
		        "invalid argument \"%s\" for \"--%s\" flag: expected true or false", value,
		        spec->name);
	}
	f->insecure_set = true;
	return RTDP_OK;
}

enum rtdp_rc kube_conn_flags_parse(struct kube_conn_flags *f, int *argi, int argc, char **argv,
                                   bool *taken, struct rtdp_error *err)
{
	const char *value;
	const struct flag_spec *spec;

	*taken = false;
	if (*argi < 0 || *argi >= argc || !argv[*argi])
		return RTDP_OK;
	spec = match(argv[*argi], &value);
	if (!spec)
		return RTDP_OK;
	if (!value && spec->kind == FLAG_BOOL)
		value = "true";
	if (!value) {
		if (*argi + 1 >= argc)
			return rtdp_error_set(err, RTDP_ERR_USAGE, "flag needs an argument: --%s",
			                      spec->name);
		value = argv[++*argi];
	}
	*taken = true;
	return store(f, spec, value, err);
}
