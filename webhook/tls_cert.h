/*
 * The serving certificate as GnuTLS wants it for a handshake: the chain and
 * the private key, loaded from two PEM files and checked with tls_check_pair
 * first. Immutable once loaded: the server publishes it in a snapshot and each
 * connection holds a reference for as long as its TLS session lives.
 */
#ifndef RTDP_WEBHOOK_TLS_CERT_H
#define RTDP_WEBHOOK_TLS_CERT_H

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

#include "rtdp/error.h"
#include "tls_check.h"

#define TLS_CHAIN_MAX 8
#define TLS_FILE_MAX (1u << 20)

struct tls_cert {
	gnutls_pcert_st chain[TLS_CHAIN_MAX]; /* owned; leaf first */
	unsigned chain_len;
	gnutls_privkey_t key; /* owned */
	struct tls_info info;
};

/*
 * Reads, checks (key matches, valid now, SANs cover names: see tls_check.h)
 * and imports the pair into *out (the caller's: tls_cert_free). Errors name
 * the file and the problem.
 */
enum rtdp_rc tls_cert_load(const char *cert_path, const char *key_path, const char *names,
                           struct tls_cert **out, struct rtdp_error *err);

/* Frees a struct tls_cert (void * to serve as a snapshot destructor). NULL is a no-op. */
void tls_cert_free(void *cert);

#endif
