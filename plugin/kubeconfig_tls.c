#include <stdio.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "kubeconfig_int.h"
#include "rtdp/banned.h"

/* Never prompt for a pass phrase: an encrypted key is an error, not a question. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

enum rtdp_rc kc_check_ca(const struct kube_blob *ca, const char *what, struct rtdp_error *err)
{
	BIO *bio = BIO_new_mem_buf(ca->data, (int)ca->len);
	X509 *cert = NULL;
	int n = 0;

	if (!bio)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	if (ca->len > KUBE_FILE_MAX) {
		BIO_free(bio);
		return rtdp_error_set(err, RTDP_ERR_LIMIT, "%s is too large", what);
	}
	while ((cert = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL)) != NULL) {
		X509_free(cert);
		n++;
	}
	ERR_clear_error();
	BIO_free(bio);
	if (n == 0)
		return rtdp_error_set(err, RTDP_ERR_TLS, "%s holds no PEM certificate", what);
	return RTDP_OK;
}

enum rtdp_rc kc_check_pair(const struct kube_blob *cert, const struct kube_blob *key,
                           struct rtdp_error *err)
{
	BIO *cbio = BIO_new_mem_buf(cert->data, (int)cert->len);
	BIO *kbio = BIO_new_mem_buf(key->data, (int)key->len);
	X509 *x = cbio ? PEM_read_bio_X509(cbio, NULL, no_passphrase, NULL) : NULL;
	EVP_PKEY *pkey = kbio ? PEM_read_bio_PrivateKey(kbio, NULL, no_passphrase, NULL) : NULL;
	enum rtdp_rc rc = RTDP_OK;

	if (!cbio || !kbio)
		rc = rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	else if (!x)
		rc = rtdp_error_set(err, RTDP_ERR_TLS, "the client certificate is not PEM");
	else if (!pkey)
		rc = rtdp_error_set(err, RTDP_ERR_TLS,
		                    "the client key is not an unencrypted PEM private key");
	else if (X509_check_private_key(x, pkey) != 1)
		rc = rtdp_error_set(err, RTDP_ERR_TLS,
		                    "the client key does not match the client certificate");
	ERR_clear_error();
	EVP_PKEY_free(pkey);
	X509_free(x);
	BIO_free(kbio);
	BIO_free(cbio);
	return rc;
}
