#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "certgen.h"

static EVP_PKEY *new_key(void)
{
	return EVP_EC_gen("P-256");
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return -1;
	ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? 0 : -1;
}

static X509 *new_cert(EVP_PKEY *key, const char *cn, long serial, long nb, long na)
{
	X509 *cert = X509_new();
	X509_NAME *name;

	if (!cert)
		return NULL;
	X509_set_version(cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
	X509_gmtime_adj(X509_getm_notBefore(cert), nb);
	X509_gmtime_adj(X509_getm_notAfter(cert), na);
	X509_set_pubkey(cert, key);
	name = X509_get_subject_name(cert);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	return cert;
}

static int write_key(EVP_PKEY *key, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	int ok;

	if (!f) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fchmod(fd, 0600);
	ok = PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
	return (fclose(f) == 0 && ok) ? 0 : -1;
}

static int write_cert(X509 *cert, const char *path)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (!f)
		return -1;
	ok = PEM_write_X509(f, cert);
	return (fclose(f) == 0 && ok) ? 0 : -1;
}

int certgen_ca_new(struct certgen_ca *ca)
{
	ca->key = new_key();
	ca->cert = ca->key ? new_cert(ca->key, "rtdp test CA", 1, -3600, 86400) : NULL;
	if (!ca->cert)
		return -1;
	X509_set_issuer_name(ca->cert, X509_get_subject_name(ca->cert));
	if (add_ext(ca->cert, ca->cert, NID_basic_constraints, "critical,CA:TRUE") ||
	    add_ext(ca->cert, ca->cert, NID_key_usage, "critical,keyCertSign,cRLSign") ||
	    add_ext(ca->cert, ca->cert, NID_subject_key_identifier, "hash"))
		return -1;
	return X509_sign(ca->cert, ca->key, EVP_sha256()) > 0 ? 0 : -1;
}

void certgen_ca_free(struct certgen_ca *ca)
{
	X509_free(ca->cert);
	EVP_PKEY_free(ca->key);
	ca->cert = NULL;
	ca->key = NULL;
}

int certgen_ca_write(const struct certgen_ca *ca, const char *path)
{
	return write_cert(ca->cert, path);
}

int certgen_leaf_write(const struct certgen_ca *ca, const struct certgen_leaf *leaf,
                       const char *cert_path, const char *key_path)
{
	EVP_PKEY *key = new_key();
	X509 *cert = key ? new_cert(key, leaf->cn, leaf->serial, leaf->not_before, leaf->not_after)
	                 : NULL;
	X509 *issuer = ca ? ca->cert : cert;
	int rc = -1;

	if (!cert)
		goto out;
	X509_set_issuer_name(cert, X509_get_subject_name(issuer));
	if (leaf->sans && add_ext(cert, issuer, NID_subject_alt_name, leaf->sans))
		goto out;
	if (add_ext(cert, issuer, NID_basic_constraints, "critical,CA:FALSE") ||
	    add_ext(cert, issuer, NID_ext_key_usage, "serverAuth"))
		goto out;
	if (ca && add_ext(cert, issuer, NID_authority_key_identifier, "keyid:always"))
		goto out;
	if (X509_sign(cert, ca ? ca->key : key, EVP_sha256()) <= 0)
		goto out;
	rc = (write_cert(cert, cert_path) || write_key(key, key_path)) ? -1 : 0;
out:
	X509_free(cert);
	EVP_PKEY_free(key);
	return rc;
}

int certgen_key_write(const char *path)
{
	EVP_PKEY *key = new_key();
	int rc = key ? write_key(key, path) : -1;

	EVP_PKEY_free(key);
	return rc;
}
