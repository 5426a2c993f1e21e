/*
 * The server's parts without sockets: flags and environment, text cleaning and
 * base64, the refcounted snapshot, the metrics text, and the OpenSSL checks of
 * a key pair (each refusal with its message).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "certgen.h"
#include "config.h"
#include "metrics.h"
#include "review_text.h"
#include "rtdp/base64.h"
#include "snapshot.h"
#include "tls_check.h"
#include "rtdp/io.h"

static void test_flags_override_the_environment(void **state)
{
	const char *argv[] = {"rtdp-webhook",
	                      "--port=9443",
	                      "--tls-cert-file",
	                      "c.pem",
	                      "--tls-private-key-file=k.pem",
	                      "--max-body-bytes",
	                      "1MiB",
	                      "--shutdown-grace",
	                      "1500ms",
	                      "--log-level",
	                      "debug",
	                      NULL};
	struct webhook_config c;
	struct rtdp_error err;

	(void)state;
	setenv("RTDP_WEBHOOK_PORT", "7443", 1);
	setenv("RTDP_WEBHOOK_CONNECTION_TIMEOUT", "2m", 1);
	rtdp_error_init(&err);
	config_defaults(&c);
	assert_int_equal(config_parse(&c, 11, argv, &err), RTDP_OK);
	assert_int_equal(c.port, 9443);
	assert_int_equal(c.connection_timeout_ms, 120000);
	assert_int_equal(c.max_body_bytes, 1u << 20);
	assert_int_equal(c.shutdown_grace_ms, 1500);
	assert_int_equal(c.log_level, WLOG_DEBUG);
	assert_string_equal(c.cert_file, "c.pem");
	assert_string_equal(c.key_file, "k.pem");
	unsetenv("RTDP_WEBHOOK_PORT");
	unsetenv("RTDP_WEBHOOK_CONNECTION_TIMEOUT");
}

static void expect_usage(int argc, const char *const *argv, const char *needle)
{
	struct webhook_config c;
	struct rtdp_error err;

	rtdp_error_init(&err);
	config_defaults(&c);
	assert_int_equal(config_parse(&c, argc, argv, &err), RTDP_ERR_USAGE);
	if (!strstr(err.msg, needle))
		fail_msg("'%s' lacks '%s'", err.msg, needle);
}

static void test_bad_flags_are_usage_errors(void **state)
{
	const char *a[] = {"x", "--port", "70000"};
	const char *b[] = {"x", "--nope"};
	const char *c[] = {"x", "--port"};
	const char *d[] = {"x", "--tls-cert-file", "c"};
	const char *e[] = {"x", "--max-body-bytes", "3XB", "--tls-cert-file", "c"};
	const char *f[] = {"x", "--log-level", "loud"};
	const char *g[] = {"x", "--version=1"};

	(void)state;
	expect_usage(3, a, "invalid value '70000' for --port");
	expect_usage(2, b, "unknown flag '--nope'");
	expect_usage(2, c, "--port needs a value");
	expect_usage(3, d, "are required");
	expect_usage(5, e, "invalid value '3XB' for --max-body-bytes");
	expect_usage(3, f, "invalid value 'loud' for --log-level");
	expect_usage(2, g, "--version takes no value");
	setenv("RTDP_WEBHOOK_THREADS", "0", 1);
	expect_usage(1, a, "environment RTDP_WEBHOOK_THREADS: invalid value '0'");
	unsetenv("RTDP_WEBHOOK_THREADS");
}

static void test_durations_and_sizes(void **state)
{
	unsigned ms = 0;
	size_t n = 0;

	(void)state;
	assert_true(config_parse_duration("250ms", &ms) && ms == 250);
	assert_true(config_parse_duration("30", &ms) && ms == 30000);
	assert_true(config_parse_duration("1h", &ms) && ms == 3600000);
	assert_false(config_parse_duration("-1s", &ms));
	assert_false(config_parse_duration("2d", &ms));
	assert_false(config_parse_duration("25h", &ms));
	assert_true(config_parse_size("64KiB", &n) && n == 65536);
	assert_true(config_parse_size("3M", &n) && n == 3145728);
	assert_false(config_parse_size("0", &n));
	assert_false(config_parse_size("5GiB", &n));
}

static void test_text_is_cleaned_and_cut_on_a_character(void **state)
{
	char long_text[300];
	char *s;

	(void)state;
	s = review_clean_text("a\nb\tc\x7f"
	                      "d\xc2\x85"
	                      "e",
	                      10, 119);
	assert_string_equal(s, "a b c d e");
	free(s);
	s = review_clean_text("\xff\xc3\x28\xe2\x82", 5, 119);
	assert_string_equal(s, "?"
	                       "?("
	                       "??");
	free(s);
	memset(long_text, 'x', sizeof(long_text));
	memcpy(long_text + 114, "\xc3\xa9\xc3\xa9", 4); /* "éé" across the cut */
	s = review_clean_text(long_text, sizeof(long_text), 119);
	assert_true(strlen(s) <= 119);
	assert_string_equal(s + strlen(s) - 3, "...");
	assert_int_equal(strlen(s), 114 + 2 + 3);
	free(s);
}

static void test_base64_matches_rfc_4648(void **state)
{
	static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *const out[] = {"",         "Zg==",     "Zm8=",    "Zm9v",
	                                  "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	size_t i;

	(void)state;
	for (i = 0; i < 7; i++) {
		char *s = rtdp_base64_encode(in[i], strlen(in[i]));

		assert_string_equal(s, out[i]);
		free(s);
	}
}

static int destroyed;

static void count_destroy(void *p)
{
	destroyed++;
	free(p);
}

static void test_snapshot_frees_the_old_object_after_its_last_reader(void **state)
{
	struct snapshot s;
	struct snapshot_ref *reader;

	(void)state;
	destroyed = 0;
	snapshot_init(&s, count_destroy);
	assert_null(snapshot_acquire(&s));
	assert_int_equal(snapshot_publish(&s, malloc(1), NULL), RTDP_OK);
	reader = snapshot_acquire(&s);
	assert_int_equal(snapshot_publish(&s, malloc(1), NULL), RTDP_OK);
	assert_int_equal(destroyed, 0); /* the reader still holds the first one */
	snapshot_put(reader);
	assert_int_equal(destroyed, 1);
	snapshot_release(&s);
	assert_int_equal(destroyed, 2);
}

static void test_metrics_text_has_every_family(void **state)
{
	struct metrics *m = NULL;
	struct rtdp_buf b;
	char kind[80];

	(void)state;
	assert_int_equal(metrics_new(&m, NULL), RTDP_OK);
	metrics_admission(m, METRICS_EP_VALIDATE, "Deployment", "CREATE", "deny", 0.003);
	metrics_admission(m, METRICS_EP_VALIDATE, "Deployment", "CREATE", "deny", 0.3);
	metrics_admission(m, METRICS_EP_MUTATE, "bad\"kind", "CREATE", "patch", 30);
	for (int i = 0; i < 400; i++) { /* a client inventing kinds cannot grow the table */
		snprintf(kind, sizeof(kind), "Kind%d", i);
		metrics_admission(m, METRICS_EP_MUTATE, kind, "CREATE", "allow", 0.001);
	}
	metrics_http_error(m, METRICS_EP_MUTATE, 413);
	metrics_policy_reload(m, METRICS_FAILURE);
	metrics_cert_expiry(m, 1700000000);
	rtdp_buf_init(&b, 1u << 20);
	assert_int_equal(metrics_render(m, &b), RTDP_OK);
	assert_non_null(strstr(b.data,
	                       "rtdp_webhook_requests_total{endpoint=\"validate\","
	                       "kind=\"Deployment\",operation=\"CREATE\",decision=\"deny\"} 2\n"));
	assert_non_null(
	        strstr(b.data, "kind=\"other\",operation=\"CREATE\",decision=\"patch\"} 1"));
	assert_non_null(strstr(b.data, "kind=\"other\",operation=\"other\",decision=\"allow\"}"));
	assert_non_null(
	        strstr(b.data, "duration_seconds_bucket{endpoint=\"validate\",le=\"0.005\"} 1\n"));
	assert_non_null(
	        strstr(b.data, "duration_seconds_bucket{endpoint=\"validate\",le=\"0.5\"} 2\n"));
	assert_non_null(strstr(b.data, "duration_seconds_bucket{endpoint=\"mutate\",le=\"25\"} "));
	assert_non_null(strstr(
	        b.data, "rtdp_webhook_http_errors_total{endpoint=\"mutate\",code=\"413\"} 1"));
	assert_non_null(strstr(b.data, "rtdp_webhook_policy_reloads_total{result=\"failure\"} 1"));
	assert_non_null(
	        strstr(b.data, "rtdp_webhook_certificate_expiry_timestamp_seconds 1700000000"));
	rtdp_buf_release(&b);
	metrics_free(m);
}

static char dir[256];

static void check_pair(const struct certgen_ca *ca, const struct certgen_leaf *leaf, bool other_key,
                       const char *names, const char *needle)
{
	char cp[300], kp[300], *cert = NULL, *key = NULL;
	size_t cl = 0, kl = 0;
	struct tls_info info;
	struct rtdp_error err;
	enum rtdp_rc rc;

	snprintf(cp, sizeof(cp), "%s/t.crt", dir);
	snprintf(kp, sizeof(kp), "%s/t.key", dir);
	assert_int_equal(certgen_leaf_write(ca, leaf, cp, kp), 0);
	if (other_key)
		assert_int_equal(certgen_key_write(kp), 0);
	assert_int_equal(rtdp_read_file(cp, 1 << 20, &cert, &cl, NULL), RTDP_OK);
	assert_int_equal(rtdp_read_file(kp, 1 << 20, &key, &kl, NULL), RTDP_OK);
	rtdp_error_init(&err);
	rc = tls_check_pair(cert, cl, key, kl, names, time(NULL), &info, &err);
	if (!needle)
		assert_int_equal(rc, RTDP_OK);
	else if (rc != RTDP_ERR_TLS || !strstr(err.msg, needle))
		fail_msg("rc %d, '%s' lacks '%s'", rc, err.msg, needle);
	free(cert);
	free(key);
}

static void test_key_pairs_are_checked_before_serving(void **state)
{
	struct certgen_ca ca;
	struct certgen_leaf ok = {"w", "DNS:rtdp-webhook.rtdp-system.svc,IP:127.0.0.1", -60, 3600,
	                          2};
	struct certgen_leaf expired = {"w", "IP:127.0.0.1", -7200, -60, 3};
	struct certgen_leaf nosan = {"w", NULL, -60, 3600, 4};

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/webhook/parts-%ld", RTDP_BUILD_DIR, (long)getpid());
	mkdir(dir, 0700);
	assert_int_equal(certgen_ca_new(&ca), 0);
	check_pair(&ca, &ok, false, "rtdp-webhook.rtdp-system.svc,127.0.0.1", NULL);
	check_pair(&ca, &ok, true, NULL, "the private key does not match");
	check_pair(&ca, &expired, false, NULL, "certificate expired on");
	check_pair(&ca, &nosan, false, NULL, "no DNS or IP subjectAltName");
	check_pair(&ca, &ok, false, "other.svc", "does not cover 'other.svc'");
	certgen_ca_free(&ca);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_flags_override_the_environment),
	        cmocka_unit_test(test_bad_flags_are_usage_errors),
	        cmocka_unit_test(test_durations_and_sizes),
	        cmocka_unit_test(test_text_is_cleaned_and_cut_on_a_character),
	        cmocka_unit_test(test_base64_matches_rfc_4648),
	        cmocka_unit_test(test_snapshot_frees_the_old_object_after_its_last_reader),
	        cmocka_unit_test(test_metrics_text_has_every_family),
	        cmocka_unit_test(test_key_pairs_are_checked_before_serving),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
