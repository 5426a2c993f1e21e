#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tls_cert.h"
#include "rtdp/io.h"
#include "rtdp/banned.h"

void tls_cert_free(void *cert)
{
	struct tls_cert *c = cert;
	unsigned i;

	if (!c)
		return;
	for (i = 0; i < c->chain_len; i++)
		gnutls_pcert_deinit(&c->chain[i]);
	if (c->key)
		gnutls_privkey_deinit(c->key);
	free(c);
}

static enum rtdp_rc import(struct tls_cert *c, char *cert_pem, size_t cert_len, char *key_pem,
                           size_t key_len, struct rtdp_error *err)
{
	gnutls_datum_t cd = {(unsigned char *)cert_pem, (unsigned)cert_len};
	gnutls_datum_t kd = {(unsigned char *)key_pem, (unsigned)key_len};
	unsigned n = TLS_CHAIN_MAX;
	int ret;

	ret = gnutls_pcert_list_import_x509_raw(c->chain, &n, &cd, GNUTLS_X509_FMT_PEM, 0);
	if (ret < 0)
		return rtdp_error_set(err, RTDP_ERR_TLS, "cannot import the certificate: %s",
		                      gnutls_strerror(ret));
	c->chain_len = n;
	ret = gnutls_privkey_init(&c->key);
	if (ret >= 0)
		ret = gnutls_privkey_import_x509_raw(c->key, &kd, GNUTLS_X509_FMT_PEM, NULL, 0);
	if (ret < 0)
		return rtdp_error_set(err, RTDP_ERR_TLS, "cannot import the private key: %s",
		                      gnutls_strerror(ret));
	return RTDP_OK;
}

enum rtdp_rc tls_cert_load(const char *cert_path, const char *key_path, const char *names,
                           struct tls_cert **out, struct rtdp_error *err)
{
	char *cert_pem = NULL, *key_pem = NULL;
	size_t cert_len = 0, key_len = 0;
	struct tls_cert *c = calloc(1, sizeof(*c));
	enum rtdp_rc rc;

	*out = NULL;
	if (!c)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "cannot load TLS files: out of memory");
	rc = rtdp_read_file(cert_path, TLS_FILE_MAX, &cert_pem, &cert_len, err);
	if (rc == RTDP_OK)
		rc = rtdp_read_file(key_path, TLS_FILE_MAX, &key_pem, &key_len, err);
	if (rc == RTDP_OK)
		rc = tls_check_pair(cert_pem, cert_len, key_pem, key_len, names, time(NULL),
		                    &c->info, err);
	if (rc == RTDP_OK)
		rc = import(c, cert_pem, cert_len, key_pem, key_len, err);
	if (rc != RTDP_OK && rc != RTDP_ERR_IO)
		rtdp_error_prefix(err, "'%s' and '%s': ", cert_path, key_path);
	if (rc == RTDP_OK) {
		*out = c;
		c = NULL;
	}
	tls_cert_free(c);
	if (key_pem)
		explicit_bzero(key_pem, key_len);
	free(key_pem);
	free(cert_pem);
	return rc;
}
