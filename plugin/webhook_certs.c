#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "webhook_certs.h"
#include "rtdp/banned.h"

#define CA_DAYS 3650

static enum rtdp_rc ssl_fail(struct rtdp_error *err, const char *what)
{
	char detail[256] = "unknown error";
	unsigned long e = ERR_get_error();

	if (e)
		ERR_error_string_n(e, detail, sizeof(detail));
	ERR_clear_error();
	return rtdp_error_set(err, RTDP_ERR_TLS, "%s: %s", what, detail);
}

static EVP_PKEY *new_key(void)
{
	return EVP_EC_gen("P-256");
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return 0;
	ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/* An unsigned certificate for key named cn, issued by issuer (by itself when NULL). */
static X509 *new_cert(EVP_PKEY *key, const char *cn, X509 *issuer, int days)
{
	X509 *cert = X509_new();
	ASN1_INTEGER *serial = cert ? X509_get_serialNumber(cert) : NULL;
	unsigned char rnd[16];
	BIGNUM *bn = NULL;
	int ok;

	if (!cert || RAND_bytes(rnd, sizeof(rnd)) != 1)
		goto fail;
	rnd[0] &= 0x7f; /* a positive serial */
	bn = BN_bin2bn(rnd, sizeof(rnd), NULL);
	ok = bn && BN_to_ASN1_INTEGER(bn, serial) && X509_set_version(cert, 2) &&
	     X509_gmtime_adj(X509_getm_notBefore(cert), -300) &&
	     X509_gmtime_adj(X509_getm_notAfter(cert), (long)days * 86400) &&
	     X509_set_pubkey(cert, key) &&
	     X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
	                                (const unsigned char *)cn, -1, -1, 0) &&
	     X509_set_issuer_name(cert, X509_get_subject_name(issuer ? issuer : cert));
	BN_free(bn);
	if (!ok)
		goto fail;
	return cert;
fail:
	X509_free(cert);
	return NULL;
}

static int is_ip(const char *s)
{
	unsigned char addr[16];

	return inet_pton(AF_INET, s, addr) == 1 || inet_pton(AF_INET6, s, addr) == 1;
}

/* "DNS:a,IP:127.0.0.1" from the SAN list into buf. */
static void san_value(const struct webhook_certs_opts *o, char *buf, size_t n)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < o->nsans && used < n; i++) {
		used += (size_t)snprintf(buf + used, n - used, "%s%s:%s", i ? "," : "",
		                         is_ip(o->sans[i]) ? "IP" : "DNS", o->sans[i]);
	}
}

/* Writes a PEM file through a same-directory temporary and a rename; keys get mode 0600. */
static enum rtdp_rc write_pem(const char *dir, const char *name, X509 *cert, EVP_PKEY *key,
                              struct rtdp_error *err)
{
	char path[4096], tmp[4200];
	FILE *f;
	int fd, ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, key ? 0600 : 0644);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		return rtdp_error_set(err, RTDP_ERR_IO, "cannot create '%s': %s", tmp,
		                      strerror(errno));
	}
	ok = key ? PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL)
	         : PEM_write_X509(f, cert);
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return rtdp_error_set(err, RTDP_ERR_IO, "cannot write '%s'", path);
	}
	return RTDP_OK;
}

/* Loads dir/ca.crt and dir/ca.key when both exist and match; 0 when absent. */
static int load_ca(const char *dir, X509 **ca, EVP_PKEY **ca_key)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/ca.crt", dir);
	if ((f = fopen(path, "r"))) {
		*ca = PEM_read_X509(f, NULL, NULL, NULL);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/ca.key", dir);
	if ((f = fopen(path, "r"))) {
		*ca_key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
		fclose(f);
	}
	ERR_clear_error();
	if (*ca && *ca_key && X509_check_private_key(*ca, *ca_key) == 1)
		return 1;
	X509_free(*ca);
	EVP_PKEY_free(*ca_key);
	*ca = NULL;
	*ca_key = NULL;
	return 0;
}

static enum rtdp_rc make_ca(const char *dir, X509 **ca, EVP_PKEY **ca_key, struct rtdp_error *err)
{
	enum rtdp_rc rc;

	*ca_key = new_key();
	*ca = *ca_key ? new_cert(*ca_key, "rtdp-webhook-ca", NULL, CA_DAYS) : NULL;
	if (!*ca || !add_ext(*ca, *ca, NID_basic_constraints, "critical,CA:TRUE") ||
	    !add_ext(*ca, *ca, NID_key_usage, "critical,keyCertSign,cRLSign") ||
	    !add_ext(*ca, *ca, NID_subject_key_identifier, "hash") ||
	    !X509_sign(*ca, *ca_key, EVP_sha256()))
		return ssl_fail(err, "cannot make the CA");
	rc = write_pem(dir, "ca.key", NULL, *ca_key, err);
	return rc == RTDP_OK ? write_pem(dir, "ca.crt", *ca, NULL, err) : rc;
}

static enum rtdp_rc make_serving(const struct webhook_certs_opts *o, X509 *ca, EVP_PKEY *ca_key,
                                 struct rtdp_error *err)
{
	EVP_PKEY *key = new_key();
	X509 *cert = key ? new_cert(key, o->sans[0], ca, o->days) : NULL;
	char sans[2048];
	enum rtdp_rc rc;

	san_value(o, sans, sizeof(sans));
	if (!cert || !add_ext(cert, ca, NID_subject_alt_name, sans) ||
	    !add_ext(cert, ca, NID_basic_constraints, "critical,CA:FALSE") ||
	    !add_ext(cert, ca, NID_key_usage, "critical,digitalSignature,keyEncipherment") ||
	    !add_ext(cert, ca, NID_ext_key_usage, "serverAuth") ||
	    !X509_sign(cert, ca_key, EVP_sha256())) {
		rc = ssl_fail(err, "cannot make the serving certificate");
	} else {
		rc = write_pem(o->dir, "tls.key", NULL, key, err);
		if (rc == RTDP_OK)
			rc = write_pem(o->dir, "tls.crt", cert, NULL, err);
	}
	X509_free(cert);
	EVP_PKEY_free(key);
	return rc;
}

enum rtdp_rc webhook_certs_make(const struct webhook_certs_opts *o, int *ca_reused,
                                struct rtdp_error *err)
{
	X509 *ca = NULL;
	EVP_PKEY *ca_key = NULL;
	enum rtdp_rc rc = RTDP_OK;

	if (o->nsans == 0)
		return rtdp_error_set(err, RTDP_ERR_USAGE,
		                      "the serving certificate needs at least one --san");
	if (mkdir(o->dir, 0700) != 0 && errno != EEXIST)
		return rtdp_error_set(err, RTDP_ERR_IO, "cannot create '%s': %s", o->dir,
		                      strerror(errno));
	*ca_reused = load_ca(o->dir, &ca, &ca_key);
	if (!*ca_reused)
		rc = make_ca(o->dir, &ca, &ca_key, err);
	if (rc == RTDP_OK)
		rc = make_serving(o, ca, ca_key, err);
	X509_free(ca);
	EVP_PKEY_free(ca_key);
	return rc;
}
