/*
 * Certificates for rtdp-webhook, made with OpenSSL in memory and written with
 * mode 0600 for keys: a CA (kept and reused, so the caBundle stays valid when
 * the serving certificate is renewed) and a serving certificate whose SANs
 * cover every name and IP the apiserver will dial.
 */
#ifndef RTDP_PLUGIN_WEBHOOK_CERTS_H
#define RTDP_PLUGIN_WEBHOOK_CERTS_H

#include <stddef.h>

#include "rtdp/error.h"

#define WEBHOOK_CERTS_MAX_SANS 16

struct webhook_certs_opts {
	const char *dir; /* borrowed: where ca.crt, ca.key, tls.crt, tls.key go */
	const char *sans[WEBHOOK_CERTS_MAX_SANS]; /* borrowed: DNS names or IP addresses */
	size_t nsans;
	int days; /* validity of the serving certificate */
};

/*
 * Creates dir (0700) if needed; reuses dir/ca.crt + dir/ca.key when both are
 * there, else makes a new CA (10 years); then writes a new serving key and
 * certificate. *ca_reused tells which. Keys never leave memory except into
 * their 0600 files.
 */
enum rtdp_rc webhook_certs_make(const struct webhook_certs_opts *o, int *ca_reused,
                                struct rtdp_error *err);

#endif
