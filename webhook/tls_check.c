#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "tls_check.h"
#include "rtdp/banned.h"

static const char *ossl_reason(void)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	return r ? r : "no PEM data";
}

static enum rtdp_rc read_pem(const char *cert_pem, size_t cert_len, const char *key_pem,
                             size_t key_len, X509 **cert, EVP_PKEY **key, struct rtdp_error *err)
{
	BIO *cb = BIO_new_mem_buf(cert_pem, (int)cert_len);
	BIO *kb = BIO_new_mem_buf(key_pem, (int)key_len);
	enum rtdp_rc rc = RTDP_OK;

	ERR_clear_error();
	*cert = cb ? PEM_read_bio_X509(cb, NULL, NULL, NULL) : NULL;
	if (!*cert) {
		rc = rtdp_error_set(err, RTDP_ERR_TLS, "cannot read the certificate: %s",
		                    ossl_reason());
		goto out;
	}
	ERR_clear_error();
	*key = kb ? PEM_read_bio_PrivateKey(kb, NULL, NULL, NULL) : NULL;
	if (!*key)
		rc = rtdp_error_set(err, RTDP_ERR_TLS, "cannot read the private key: %s",
		                    ossl_reason());
out:
	BIO_free(kb);
	BIO_free(cb);
	return rc;
}

static time_t asn1_to_time(const ASN1_TIME *t)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	return timegm(&tm);
}

static void format_utc(time_t t, char *out, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static enum rtdp_rc check_dates(X509 *cert, time_t now, struct tls_info *info,
                                struct rtdp_error *err)
{
	char when[32];

	info->not_before = asn1_to_time(X509_get0_notBefore(cert));
	info->not_after = asn1_to_time(X509_get0_notAfter(cert));
	if (now < info->not_before) {
		format_utc(info->not_before, when, sizeof(when));
		return rtdp_error_set(err, RTDP_ERR_TLS, "certificate is not valid before %s",
		                      when);
	}
	if (now >= info->not_after) {
		format_utc(info->not_after, when, sizeof(when));
		return rtdp_error_set(err, RTDP_ERR_TLS, "certificate expired on %s", when);
	}
	return RTDP_OK;
}

/* Appends one SAN to info->sans; returns 1 for a DNS name or an IP address. */
static int describe_san(const GENERAL_NAME *gn, struct tls_info *info)
{
	size_t used = strlen(info->sans);
	char ip[64] = "";
	const char *sep = used ? ", " : "";

	if (gn->type == GEN_DNS) {
		snprintf(info->sans + used, sizeof(info->sans) - used, "%sDNS:%.*s", sep,
		         ASN1_STRING_length(gn->d.dNSName),
		         (const char *)ASN1_STRING_get0_data(gn->d.dNSName));
		return 1;
	}
	if (gn->type != GEN_IPADD)
		return 0;
	if (ASN1_STRING_length(gn->d.iPAddress) == 4) {
		const unsigned char *a = ASN1_STRING_get0_data(gn->d.iPAddress);

		snprintf(ip, sizeof(ip), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	} else {
		snprintf(ip, sizeof(ip), "(IPv6)");
	}
	snprintf(info->sans + used, sizeof(info->sans) - used, "%sIP:%s", sep, ip);
	return 1;
}

static enum rtdp_rc check_sans(X509 *cert, struct tls_info *info, struct rtdp_error *err)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	int i, usable = 0;

	info->sans[0] = '\0';
	for (i = 0; names && i < sk_GENERAL_NAME_num(names); i++)
		usable += describe_san(sk_GENERAL_NAME_value(names, i), info);
	GENERAL_NAMES_free(names);
	if (usable == 0)
		return rtdp_error_set(err, RTDP_ERR_TLS,
		                      "certificate '%s' has no DNS or IP subjectAltName: the "
		                      "apiserver ignores the CN; reissue it with the Service name "
		                      "<svc>.<ns>.svc as a SAN",
		                      info->subject);
	return RTDP_OK;
}

/* Each name of the comma list must match the leaf (wildcards as X509_check_host allows). */
static enum rtdp_rc check_names(X509 *cert, const char *names, const struct tls_info *info,
                                struct rtdp_error *err)
{
	const char *p = names;

	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char name[256];
		int ok;

		if (len > 0 && len < sizeof(name)) {
			memcpy(name, p, len);
			name[len] = '\0';
			ok = X509_check_ip_asc(cert, name, 0) == 1 ||
			     X509_check_host(cert, name, len, 0, NULL) == 1;
			if (!ok)
				return rtdp_error_set(
				        err, RTDP_ERR_TLS,
				        "certificate does not cover '%s' (its SANs: %s)", name,
				        info->sans);
		}
		p = comma ? comma + 1 : NULL;
	}
	return RTDP_OK;
}

static enum rtdp_rc check_cert(X509 *cert, EVP_PKEY *key, const char *names, time_t now,
                               struct tls_info *info, struct rtdp_error *err)
{
	X509_NAME_oneline(X509_get_subject_name(cert), info->subject, sizeof(info->subject));
	ERR_clear_error();
	if (X509_check_private_key(cert, key) != 1)
		return rtdp_error_set(err, RTDP_ERR_TLS,
		                      "the private key does not match the certificate '%s'",
		                      info->subject);
	if (check_dates(cert, now, info, err) != RTDP_OK)
		return err->rc;
	if (check_sans(cert, info, err) != RTDP_OK)
		return err->rc;
	return check_names(cert, names, info, err);
}

enum rtdp_rc tls_check_pair(const char *cert_pem, size_t cert_len, const char *key_pem,
                            size_t key_len, const char *names, time_t now, struct tls_info *info,
                            struct rtdp_error *err)
{
	X509 *cert = NULL;
	EVP_PKEY *key = NULL;
	enum rtdp_rc rc;

	memset(info, 0, sizeof(*info));
	rc = read_pem(cert_pem, cert_len, key_pem, key_len, &cert, &key, err);
	if (rc == RTDP_OK)
		rc = check_cert(cert, key, names, now, info, err);
	EVP_PKEY_free(key);
	X509_free(cert);
	ERR_clear_error();
	return rc;
}
