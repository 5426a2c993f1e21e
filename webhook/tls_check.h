/*
 * Checks a serving certificate and its key with OpenSSL before they are
 * served: the key matches the certificate, the certificate is valid now, and
 * it carries subjectAltNames (a CN alone is rejected by the apiserver), which
 * cover every name the operator asked for.
 */
#ifndef RTDP_WEBHOOK_TLS_CHECK_H
#define RTDP_WEBHOOK_TLS_CHECK_H

#include <stddef.h>
#include <time.h>

#include "rtdp/error.h"

struct tls_info {
	time_t not_before, not_after;
	char subject[256]; /* one line, RFC 2253 */
	char sans[512]; /* "DNS:a, IP:127.0.0.1", truncated */
};

/*
 * cert_pem (a chain; the first certificate is the leaf) and key_pem are PEM
 * bytes, not NUL-terminated. names is NULL or a comma list of DNS names and IP
 * addresses the leaf must cover. now is the time to check validity at.
 * RTDP_ERR_TLS names the problem ("certificate expired on ...").
 */
enum rtdp_rc tls_check_pair(const char *cert_pem, size_t cert_len, const char *key_pem,
                            size_t key_len, const char *names, time_t now, struct tls_info *info,
                            struct rtdp_error *err);

#endif
