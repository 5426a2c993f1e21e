/*
 * rtdp-webhook's configuration: flags, each with an RTDP_WEBHOOK_* environment
 * twin. Defaults, then the environment, then the flags (the last one wins).
 */
#ifndef RTDP_WEBHOOK_CONFIG_H
#define RTDP_WEBHOOK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "rtdp/error.h"
#include "wlog.h"

struct webhook_config {
	const char *bind; /* borrowed (argv, environ or static); an IPv4 or IPv6 address */
	unsigned port; /* 0 picks a free port (tests) */
	const char *cert_file; /* borrowed; required */
	const char *key_file; /* borrowed; required */
	const char *
	        tls_san; /* borrowed; comma list of names the certificate must cover; may be NULL */
	const char *policy_file; /* borrowed; NULL means the built-in policy */
	size_t max_body_bytes;
	unsigned max_connections;
	unsigned max_connections_per_ip;
	unsigned connection_timeout_ms;
	unsigned threads;
	unsigned shutdown_grace_ms;
	unsigned shutdown_delay_ms; /* not ready, still serving, before the listener closes */
	unsigned reload_interval_ms;
	enum wlog_level log_level;
	bool version;
	bool help;
};

/* The defaults (port 8443, 3 MiB bodies, ...). Cannot fail. */
void config_defaults(struct webhook_config *c);

/*
 * Applies the environment (through getenv) and then argv[1..argc-1] to c.
 * RTDP_ERR_USAGE names the flag or variable and the problem. Missing TLS files
 * are an error unless --version or --help was given.
 */
enum rtdp_rc config_parse(struct webhook_config *c, int argc, const char *const *argv,
                          struct rtdp_error *err);

/* The -h text: every flag, its variable and its default. */
void config_usage(FILE *out);

/*
 * Parses "250ms", "30s", "2m" or a plain number of seconds into milliseconds
 * (at most one day). Exposed for tests.
 */
bool config_parse_duration(const char *s, unsigned *ms);
/* Parses "3145728", "64KiB", "3MiB" (also K, M, KB, MB as powers of 1024). */
bool config_parse_size(const char *s, size_t *out);

#endif
