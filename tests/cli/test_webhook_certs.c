/* Webhook certificates: SANs, chain, key modes, CA reuse, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "webhook_certs.h"

static X509 *read_cert(const char *dir, const char *name)
{
	char path[512];
	FILE *f;
	X509 *c;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	assert_non_null(f);
	c = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(c);
	return c;
}

static mode_t mode_of(const char *dir, const char *name)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 0777;
}

static void test_certs_cover_sans_chain_to_the_ca_and_keep_keys_private(void **state)
{
	char dir[] = "/tmp/rtdp-test-certs-XXXXXX";
	struct webhook_certs_opts o = {NULL, {"127.0.0.1", "rtdp-webhook.rtdp-system.svc"}, 2, 30};
	struct rtdp_error err;
	X509 *ca, *tls, *ca2;
	EVP_PKEY *ca_pub;
	int reused = -1;

	(void)state;
	assert_non_null(mkdtemp(dir));
	o.dir = dir;
	rtdp_error_init(&err);
	assert_int_equal(webhook_certs_make(&o, &reused, &err), RTDP_OK);
	assert_int_equal(reused, 0);
	assert_int_equal(mode_of(dir, "tls.key"), 0600);
	assert_int_equal(mode_of(dir, "ca.key"), 0600);
	ca = read_cert(dir, "ca.crt");
	tls = read_cert(dir, "tls.crt");
	ca_pub = X509_get_pubkey(ca);
	assert_int_equal(X509_verify(tls, ca_pub), 1);
	assert_int_equal(X509_check_ip_asc(tls, "127.0.0.1", 0), 1);
	assert_int_equal(X509_check_host(tls, "rtdp-webhook.rtdp-system.svc", 0, 0, NULL), 1);
	assert_int_equal(X509_check_host(tls, "other.example", 0, 0, NULL), 0);
	assert_int_equal(X509_check_ca(ca), 1);
	assert_int_equal(X509_check_ca(tls), 0);

	/* A second run renews the serving certificate under the same CA. */
	assert_int_equal(webhook_certs_make(&o, &reused, &err), RTDP_OK);
	assert_int_equal(reused, 1);
	ca2 = read_cert(dir, "ca.crt");
	assert_int_equal(X509_cmp(ca, ca2), 0);
	X509_free(ca2);
	X509_free(tls);
	tls = read_cert(dir, "tls.crt");
	assert_int_equal(X509_verify(tls, ca_pub), 1);

	EVP_PKEY_free(ca_pub);
	X509_free(ca);
	X509_free(tls);
	assert_int_equal(system("rm -rf /tmp/rtdp-test-certs-*"), 0);
}

static void test_errors_name_what_is_wrong(void **state)
{
	struct webhook_certs_opts o = {"/proc/rtdp-cannot-create", {"127.0.0.1"}, 1, 30};
	struct rtdp_error err;
	int reused;

	(void)state;
	rtdp_error_init(&err);
	assert_int_equal(webhook_certs_make(&o, &reused, &err), RTDP_ERR_IO);
	assert_non_null(strstr(err.msg, "cannot create '/proc/rtdp-cannot-create'"));
	o.nsans = 0;
	rtdp_error_init(&err);
	assert_int_equal(webhook_certs_make(&o, &reused, &err), RTDP_ERR_USAGE);
	assert_string_equal(err.msg, "the serving certificate needs at least one --san");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_certs_cover_sans_chain_to_the_ca_and_keep_keys_private),
	        cmocka_unit_test(test_errors_name_what_is_wrong),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
