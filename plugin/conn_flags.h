/*
 * kubectl's connection flags (cli-runtime's ConfigFlags) for every command
 * that talks to a cluster. Each command's own argument loop offers each
 * argument to kube_conn_flags_parse() first:
 *
 *	struct kube_conn_flags cf;
 *	kube_conn_flags_init(&cf);
 *	for (i = 1; i < argc; i++) {
 *		bool taken = false;
 *		if (kube_conn_flags_parse(&cf, &i, argc, argv, &taken, &err) != RTDP_OK)
 *			return usage_error(&err);
 *		if (taken)
 *			continue;
 *		... the command's own flags ...
 *	}
 *
 * Forms accepted: --flag value, --flag=value, and for -n and -s also -n value,
 * -nvalue and -n=value. Boolean --insecure-skip-tls-verify takes an optional
 * =true/=false. Values are borrowed from argv, which must outlive the struct.
 */
#ifndef RTDP_PLUGIN_CONN_FLAGS_H
#define RTDP_PLUGIN_CONN_FLAGS_H

#include <stdbool.h>
#include <stddef.h>

#include "rtdp/error.h"

#define KUBE_MAX_AS_GROUPS 32

struct kube_conn_flags {
	const char *kubeconfig; /* borrowed; NULL when not given */
	const char *context; /* borrowed */
	const char *cluster; /* borrowed */
	const char *user; /* borrowed */
	const char *namespace; /* borrowed */
	const char *server; /* borrowed */
	const char *token; /* borrowed; a secret */
	const char *certificate_authority; /* borrowed; a path */
	const char *client_certificate; /* borrowed; a path */
	const char *client_key; /* borrowed; a path */
	const char *tls_server_name; /* borrowed */
	const char *as; /* borrowed */
	const char *as_uid; /* borrowed */
	const char *as_groups[KUBE_MAX_AS_GROUPS]; /* borrowed */
	size_t n_as_groups;
	bool insecure_skip_tls_verify;
	bool insecure_set; /* --insecure-skip-tls-verify was given (either value) */
	long request_timeout_ms; /* 0: no timeout */
	bool request_timeout_set;
};

/* All flags unset. Cannot fail. */
void kube_conn_flags_init(struct kube_conn_flags *f);

/*
 * Looks at argv[*argi]. When it is a connection flag, records it, sets *taken
 * and leaves *argi on the last argument consumed (the flag, or its separate
 * value), so the caller's loop steps past it with i++. Otherwise *taken is
 * false and nothing changes. A connection flag without its value, a bad
 * boolean, a bad --request-timeout or too many --as-group is RTDP_ERR_USAGE.
 */
enum rtdp_rc kube_conn_flags_parse(struct kube_conn_flags *f, int *argi, int argc, char **argv,
                                   bool *taken, struct rtdp_error *err);

/*
 * Parses a --request-timeout value as kubectl does: a plain number of seconds
 * ("30"), or a Go duration ("1m30s", "500ms", "1.5h"); "0" means no timeout.
 * Sets *ms. RTDP_ERR_USAGE on anything else.
 */
enum rtdp_rc kube_parse_duration_ms(const char *s, long *ms, struct rtdp_error *err);

/* The "Connection flags:" block of a command's -h text. Static; never NULL. */
const char *kube_conn_flags_usage(void);

#endif
