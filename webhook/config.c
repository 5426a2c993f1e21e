#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "rtdp/banned.h"

enum opt_type { OPT_STRING, OPT_UINT, OPT_SIZE, OPT_DURATION, OPT_LEVEL, OPT_BOOL };

struct opt {
	const char *flag; /* without the leading dashes */
	const char *env; /* NULL: flag only */
	enum opt_type type;
	size_t offset; /* into struct webhook_config */
	unsigned min, max; /* OPT_UINT only */
	const char *arg, *help;
};

#define OFF(field) offsetof(struct webhook_config, field)

/* clang-format off */
static const struct opt opts[] = {
	{"port", "RTDP_WEBHOOK_PORT", OPT_UINT, OFF(port), 0, 65535, "N",
	 "HTTPS port (default 8443)"},
	{"bind", "RTDP_WEBHOOK_BIND", OPT_STRING, OFF(bind), 0, 0, "ADDR",
	 "IPv4 or IPv6 address to listen on (default 0.0.0.0)"},
	{"tls-cert-file", "RTDP_WEBHOOK_TLS_CERT_FILE", OPT_STRING, OFF(cert_file), 0, 0, "PATH",
	 "PEM serving certificate (chain), reloaded when it changes (required)"},
	{"tls-private-key-file", "RTDP_WEBHOOK_TLS_PRIVATE_KEY_FILE", OPT_STRING, OFF(key_file), 0, 0,
	 "PATH", "PEM private key of the certificate, reloaded when it changes (required)"},
	{"tls-san", "RTDP_WEBHOOK_TLS_SAN", OPT_STRING, OFF(tls_san), 0, 0, "NAMES",
	 "comma list of DNS names or IPs the certificate must cover, e.g. rtdp-webhook.rtdp-system.svc"},
	{"policy", "RTDP_WEBHOOK_POLICY", OPT_STRING, OFF(policy_file), 0, 0, "PATH",
	 "policy file (as kubectl rtdp validate), reloaded when it changes (default: built-in)"},
	{"max-body-bytes", "RTDP_WEBHOOK_MAX_BODY_BYTES", OPT_SIZE, OFF(max_body_bytes), 0, 0, "SIZE",
	 "largest request body; larger ones get 413 (default 3MiB)"},
	{"max-connections", "RTDP_WEBHOOK_MAX_CONNECTIONS", OPT_UINT, OFF(max_connections), 1, 65536,
	 "N", "open connections at most (default 256)"},
	{"max-connections-per-ip", "RTDP_WEBHOOK_MAX_CONNECTIONS_PER_IP", OPT_UINT,
	 OFF(max_connections_per_ip), 0, 65536, "N",
	 "open connections from one address at most, 0 for no limit (default 128)"},
	{"connection-timeout", "RTDP_WEBHOOK_CONNECTION_TIMEOUT", OPT_DURATION,
	 OFF(connection_timeout_ms), 0, 0, "DURATION",
	 "close a connection idle this long, rounded up to seconds (default 30s)"},
	{"threads", "RTDP_WEBHOOK_THREADS", OPT_UINT, OFF(threads), 1, 64, "N",
	 "server threads (default 2)"},
	{"shutdown-grace", "RTDP_WEBHOOK_SHUTDOWN_GRACE", OPT_DURATION, OFF(shutdown_grace_ms), 0, 0,
	 "DURATION", "after SIGTERM, time allowed for in-flight requests (default 25s)"},
	{"shutdown-delay", "RTDP_WEBHOOK_SHUTDOWN_DELAY", OPT_DURATION, OFF(shutdown_delay_ms), 0, 0,
	 "DURATION", "after SIGTERM, keep serving (not ready) this long before closing (default 0s)"},
	{"reload-interval", "RTDP_WEBHOOK_RELOAD_INTERVAL", OPT_DURATION, OFF(reload_interval_ms), 0,
	 0, "DURATION", "how often the policy and TLS files are checked for changes (default 2s)"},
	{"log-level", "RTDP_WEBHOOK_LOG_LEVEL", OPT_LEVEL, OFF(log_level), 0, 0, "LEVEL",
	 "error, warn, info or debug (default info)"},
	{"version", NULL, OPT_BOOL, OFF(version), 0, 0, NULL, "print the version and exit"},
	{"help", NULL, OPT_BOOL, OFF(help), 0, 0, NULL, "print this help and exit (also -h)"},
};
/* clang-format on */

#define NOPTS (sizeof(opts) / sizeof(opts[0]))

void config_defaults(struct webhook_config *c)
{
	memset(c, 0, sizeof(*c));
	c->bind = "0.0.0.0";
	c->port = 8443;
	c->max_body_bytes = 3u << 20;
	c->max_connections = 256;
	c->max_connections_per_ip = 128;
	c->connection_timeout_ms = 30000;
	c->threads = 2;
	c->shutdown_grace_ms = 25000;
	c->reload_interval_ms = 2000;
	c->log_level = WLOG_INFO;
}

static bool parse_u64(const char *s, uint64_t *out, char **end)
{
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, end, 10);
	if (errno != 0)
		return false;
	*out = v;
	return true;
}

bool config_parse_duration(const char *s, unsigned *ms)
{
	/* clang-format off */
	static const struct { const char *suffix; uint64_t ms; } units[] = {
		{"ms", 1}, {"s", 1000}, {"", 1000}, {"m", 60000}, {"h", 3600000},
	};
	/* clang-format on */
	uint64_t v;
	char *end;
	size_t i;

	if (!parse_u64(s, &v, &end))
		return false;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix) != 0)
			continue;
		if (v > 86400000u / units[i].ms)
			return false;
		*ms = (unsigned)(v * units[i].ms);
		return true;
	}
	return false;
}

bool config_parse_size(const char *s, size_t *out)
{
	/* clang-format off */
	static const struct { const char *suffix; unsigned shift; } units[] = {
		{"", 0}, {"B", 0}, {"K", 10}, {"KB", 10}, {"KiB", 10},
		{"M", 20}, {"MB", 20}, {"MiB", 20}, {"G", 30}, {"GB", 30}, {"GiB", 30},
	};
	/* clang-format on */
	uint64_t v;
	char *end;
	size_t i;

	if (!parse_u64(s, &v, &end))
		return false;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix) != 0)
			continue;
		if (v == 0 || v > (UINT64_C(1) << 32) >> units[i].shift)
			return false; /* 1 byte to 4 GiB */
		*out = (size_t)(v << units[i].shift);
		return true;
	}
	return false;
}

static enum rtdp_rc set_uint(const struct opt *o, void *field, const char *value,
                             struct rtdp_error *err)
{
	uint64_t v;
	char *end;

	if (!parse_u64(value, &v, &end) || *end || v < o->min || v > o->max)
		return rtdp_error_set(err, RTDP_ERR_USAGE,
		                      "invalid value '%s' for --%s: want an integer from %u to %u",
		                      value, o->flag, o->min, o->max);
	*(unsigned *)field = (unsigned)v;
	return RTDP_OK;
}

/* Applies one value (a flag's or a variable's) to c. */
static enum rtdp_rc apply(struct webhook_config *c, const struct opt *o, const char *value,
                          struct rtdp_error *err)
{
	void *field = (char *)c + o->offset;

	switch (o->type) {
	case OPT_STRING:
		*(const char **)field = value;
		return RTDP_OK;
	case OPT_UINT:
		return set_uint(o, field, value, err);
	case OPT_SIZE:
		if (config_parse_size(value, (size_t *)field))
			return RTDP_OK;
		break;
	case OPT_DURATION:
		if (config_parse_duration(value, (unsigned *)field))
			return RTDP_OK;
		break;
	case OPT_LEVEL:
		if (wlog_parse_level(value, (enum wlog_level *)field))
			return RTDP_OK;
		break;
	case OPT_BOOL:
		*(bool *)field = true;
		return RTDP_OK;
	}
	return rtdp_error_set(err, RTDP_ERR_USAGE, "invalid value '%s' for --%s: want %s", value,
	                      o->flag, o->help);
}

static const struct opt *find_flag(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NOPTS; i++) {
		if (strlen(opts[i].flag) == len && strncmp(opts[i].flag, name, len) == 0)
			return &opts[i];
	}
	return NULL;
}

static enum rtdp_rc apply_env(struct webhook_config *c, struct rtdp_error *err)
{
	size_t i;

	for (i = 0; i < NOPTS; i++) {
		const char *value = opts[i].env ? getenv(opts[i].env) : NULL;

		if (!value || !*value)
			continue;
		if (apply(c, &opts[i], value, err) != RTDP_OK)
			return rtdp_error_prefix(err, "environment %s: ", opts[i].env);
	}
	return RTDP_OK;
}

/* One flag at argv[*i]: "--name=value", "--name value" or a bare boolean. */
static enum rtdp_rc apply_flag(struct webhook_config *c, int argc, const char *const *argv, int *i,
                               struct rtdp_error *err)
{
	const char *arg = argv[*i];
	const char *name = arg + 2, *eq;
	const struct opt *o;

	if (strcmp(arg, "-h") == 0)
		name = "help";
	else if (strncmp(arg, "--", 2) != 0)
		return rtdp_error_set(err, RTDP_ERR_USAGE, "unexpected argument '%s'", arg);
	eq = strchr(name, '=');
	o = find_flag(name, eq ? (size_t)(eq - name) : strlen(name));
	if (!o)
		return rtdp_error_set(err, RTDP_ERR_USAGE, "unknown flag '%s'", arg);
	if (o->type == OPT_BOOL) {
		if (eq)
			return rtdp_error_set(err, RTDP_ERR_USAGE, "--%s takes no value", o->flag);
		return apply(c, o, "", err);
	}
	if (eq)
		return apply(c, o, eq + 1, err);
	if (*i + 1 >= argc)
		return rtdp_error_set(err, RTDP_ERR_USAGE, "--%s needs a value (%s)", o->flag,
		                      o->arg);
	return apply(c, o, argv[++*i], err);
}

enum rtdp_rc config_parse(struct webhook_config *c, int argc, const char *const *argv,
                          struct rtdp_error *err)
{
	int i;

	if (apply_env(c, err) != RTDP_OK)
		return err->rc;
	for (i = 1; i < argc; i++) {
		if (apply_flag(c, argc, argv, &i, err) != RTDP_OK)
			return err->rc;
	}
	if (c->version || c->help)
		return RTDP_OK;
	if (!c->cert_file || !*c->cert_file || !c->key_file || !*c->key_file)
		return rtdp_error_set(err, RTDP_ERR_USAGE,
		                      "--tls-cert-file and --tls-private-key-file are required");
	if (c->policy_file && !*c->policy_file)
		c->policy_file = NULL;
	return RTDP_OK;
}

void config_usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: rtdp-webhook --tls-cert-file PATH --tls-private-key-file PATH "
	             "[flags]\n\nServes POST /mutate and POST /validate (AdmissionReview v1), "
	             "GET /healthz, /readyz and /metrics over HTTPS.\n\nflags (environment):\n");
	for (i = 0; i < NOPTS; i++) {
		char left[96];

		snprintf(left, sizeof(left), "--%s%s%s", opts[i].flag, opts[i].arg ? " " : "",
		         opts[i].arg ? opts[i].arg : "");
		fprintf(out, "  %-32s %s\n", left, opts[i].help);
		if (opts[i].env)
			fprintf(out, "  %-32s   (%s)\n", "", opts[i].env);
	}
	fprintf(out, "\nDURATION: 250ms, 30s, 2m or seconds. SIZE: bytes, or with KiB/MiB.\n"
	             "Emergency exit: deleting the webhook configurations always works, as the "
	             "apiserver never calls webhooks for them.\n");
}
