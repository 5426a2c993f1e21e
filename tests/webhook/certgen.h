/*
 * Test certificates made at test time with OpenSSL (never committed): a CA and
 * leaves with chosen SANs, validity window and subject, keys written 0600.
 */
#ifndef RTDP_TEST_CERTGEN_H
#define RTDP_TEST_CERTGEN_H

#include <openssl/evp.h>
#include <openssl/x509.h>

struct certgen_ca {
	EVP_PKEY *key; /* owned */
	X509 *cert; /* owned */
};

/* A new self-signed CA; 0 on success. */
int certgen_ca_new(struct certgen_ca *ca);
void certgen_ca_free(struct certgen_ca *ca);
/* Writes the CA certificate (PEM) to path; 0 on success. */
int certgen_ca_write(const struct certgen_ca *ca, const char *path);

struct certgen_leaf {
	const char *cn; /* subject CN */
	const char *sans; /* "DNS:localhost,IP:127.0.0.1", or NULL for none */
	long not_before; /* seconds from now (negative: in the past) */
	long not_after; /* seconds from now */
	long serial;
};

/*
 * A leaf signed by ca (or self-signed when ca is NULL), written to cert_path
 * and key_path (mode 0600). 0 on success.
 */
int certgen_leaf_write(const struct certgen_ca *ca, const struct certgen_leaf *leaf,
                       const char *cert_path, const char *key_path);

/* A fresh EC key alone, written to path (0600). 0 on success. */
int certgen_key_write(const char *path);

#endif
