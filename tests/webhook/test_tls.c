/*
 * The real server in-process on 127.0.0.1 (an ephemeral port), driven over
 * HTTPS by libcurl with certificate verification against a CA made at test
 * time: every endpoint, every bad request, slow clients, the per-IP limit, a
 * policy reload (good, then broken), and certificate rotation under load.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "certgen.h"
#include "server.h"
#include "tls_client.h"
#include "wlog.h"

static struct env {
	char dir[256], ca[300], cert[300], key[300], policy[300], log[300];
	struct certgen_ca authority;
	struct webhook_config cfg;
	struct server *srv;
	unsigned port;
} E;

static const char *review_fmt =
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
        "\"uid\":\"%s\",\"kind\":{\"group\":\"autoscaling\",\"version\":\"v1\",\"kind\":\"Scale\"},"
        "\"operation\":\"UPDATE\",\"namespace\":\"team-a\",\"name\":\"web\",\"subResource\":"
        "\"scale\",\"object\":{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":"
        "{\"name\":\"web\",\"namespace\":\"team-a\"},\"spec\":{\"replicas\":%d}}}}";

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void path_in(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", E.dir, name);
}

/* A leaf "gen-N" for 127.0.0.1, written to tmp files then renamed over cert and key. */
static void rotate(int gen, long not_after, const char *key_from)
{
	char ct[320], kt[320], cn[32];
	struct certgen_leaf leaf = {cn, "DNS:localhost,IP:127.0.0.1", -60, not_after, 100 + gen};

	snprintf(cn, sizeof(cn), "gen-%d", gen);
	snprintf(ct, sizeof(ct), "%s.tmp", E.cert);
	snprintf(kt, sizeof(kt), "%s.tmp", E.key);
	assert_int_equal(certgen_leaf_write(&E.authority, &leaf, ct, kt), 0);
	if (key_from)
		assert_int_equal(certgen_key_write(kt), 0); /* an unrelated key: a mismatch */
	assert_int_equal(rename(ct, E.cert), 0);
	sleep_ms(20);
	assert_int_equal(rename(kt, E.key), 0);
}

static void write_policy(const char *text)
{
	char tmp[320];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", E.policy);
	f = fopen(tmp, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(rename(tmp, E.policy), 0);
}

static int setup(void **state)
{
	struct rtdp_error err;
	int fd;

	(void)state;
	snprintf(E.dir, sizeof(E.dir), "%s/tests/webhook/tls-%ld", RTDP_BUILD_DIR, (long)getpid());
	mkdir(E.dir, 0700);
	path_in(E.ca, sizeof(E.ca), "ca.crt");
	path_in(E.cert, sizeof(E.cert), "tls.crt");
	path_in(E.key, sizeof(E.key), "tls.key");
	path_in(E.policy, sizeof(E.policy), "policy.yaml");
	path_in(E.log, sizeof(E.log), "server.log");
	assert_int_equal(certgen_ca_new(&E.authority), 0);
	assert_int_equal(certgen_ca_write(&E.authority, E.ca), 0);
	rotate(0, 86400, NULL);
	write_policy(
	        "apiVersion: rtdp.io/v1alpha1\nkind: Policy\nspec:\n  replicas:\n    minimum: 3\n");
	fd = open(E.log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
	wlog_set_fd(fd);
	config_defaults(&E.cfg);
	E.cfg.bind = "127.0.0.1";
	E.cfg.port = 0;
	E.cfg.cert_file = E.cert;
	E.cfg.key_file = E.key;
	E.cfg.policy_file = E.policy;
	E.cfg.max_body_bytes = 64 * 1024;
	E.cfg.reload_interval_ms = 50;
	E.cfg.connection_timeout_ms = 2000;
	E.cfg.max_connections = 64;
	E.cfg.max_connections_per_ip = 24;
	E.cfg.shutdown_grace_ms = 5000;
	rtdp_error_init(&err);
	if (server_start(&E.cfg, &E.srv, &err) != RTDP_OK)
		fail_msg("server_start: %s", err.msg);
	E.port = server_port(E.srv);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_true(server_stop(E.srv));
	certgen_ca_free(&E.authority);
	return 0;
}

/* The value of the sample line starting with series (name and labels), or -1. */
static double metric(const char *series)
{
	struct tc_result r;
	const char *p;
	size_t n = strlen(series);

	assert_int_equal(tc_get(E.port, E.ca, "/metrics", &r), 200);
	for (p = r.body; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, series, n) == 0 && p[n] == ' ')
			return strtod(p + n + 1, NULL);
	}
	return -1;
}

static void assert_healthy(void)
{
	struct tc_result r;

	assert_int_equal(tc_get(E.port, E.ca, "/healthz", &r), 200);
}

static CURLcode post(const char *path, const char *ctype, const char *body, size_t len,
                     struct tc_result *r)
{
	CURL *h = tc_handle(E.ca);
	struct tc_opts o = {.path = path, .ctype = ctype, .body = body, .body_len = len};
	CURLcode rc = tc_do(h, E.port, &o, r);

	curl_easy_cleanup(h);
	return rc;
}

static void test_probes_and_metrics(void **state)
{
	static const char *const names[] = {
	        "rtdp_webhook_requests_total",
	        "rtdp_webhook_http_errors_total",
	        "rtdp_webhook_request_duration_seconds_bucket{endpoint=\"validate\",le=\"0.005\"}",
	        "le=\"0.025\"",
	        "le=\"0.1\"",
	        "le=\"0.5\"",
	        "le=\"1\"",
	        "le=\"2.5\"",
	        "le=\"10\"",
	        "le=\"25\"",
	        "le=\"+Inf\"",
	        "rtdp_webhook_policy_reloads_total{result=\"failure\"}",
	        "rtdp_webhook_certificate_expiry_timestamp_seconds ",
	        "rtdp_webhook_ready 1"};
	struct tc_result r;
	size_t i;

	(void)state;
	assert_int_equal(tc_get(E.port, E.ca, "/healthz", &r), 200);
	assert_string_equal(r.body, "ok\n");
	assert_int_equal(tc_get(E.port, E.ca, "/readyz", &r), 200);
	assert_string_equal(r.body, "ready\n");
	assert_int_equal(tc_get(E.port, E.ca, "/readyz?verbose", &r), 200);
	assert_int_equal(tc_get(E.port, E.ca, "/metrics", &r), 200);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strstr(r.body, names[i]))
			fail_msg("/metrics lacks %s", names[i]);
	assert_true(metric("rtdp_webhook_certificate_expiry_timestamp_seconds") >
	            (double)time(NULL) + 3600);
}

/* Probes and scrapes keep their connection (one TLS handshake for many requests). */
static void test_probes_keep_the_connection_alive(void **state)
{
	struct tc_opts o = {0};
	struct tc_result r;
	CURL *h = tc_handle(E.ca);
	long connects = -1;
	int i;

	(void)state;
	o.path = "/healthz";
	for (i = 0; i < 3; i++) {
		assert_int_equal(tc_do(h, E.port, &o, &r), CURLE_OK);
		assert_int_equal(r.status, 200);
		assert_false(r.conn_close);
		assert_int_equal(curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &connects), CURLE_OK);
		assert_int_equal(connects, i == 0 ? 1 : 0);
	}
	curl_easy_cleanup(h);
}

static void test_admission_round_trip_ignores_the_timeout_query(void **state)
{
	char body[1024];
	struct tc_result r;

	(void)state;
	snprintf(body, sizeof(body), review_fmt, "uid-rt", 1);
	assert_int_equal(post("/validate?timeout=10s", "application/json", body, strlen(body), &r),
	                 CURLE_OK);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"uid\":\"uid-rt\""));
	assert_non_null(strstr(r.body, "\"allowed\":false"));
	assert_non_null(strstr(r.body, "minimum of 3"));
	assert_int_equal(post("/mutate?timeout=10s", "application/json; charset=utf-8", body,
	                      strlen(body), &r),
	                 CURLE_OK);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"allowed\":true"));
	assert_true(metric("rtdp_webhook_requests_total{endpoint=\"validate\",kind=\"Scale\","
	                   "operation=\"UPDATE\",decision=\"deny\"}") >= 1);
}

static void test_wrong_method_gets_405_with_allow(void **state)
{
	CURL *h = tc_handle(E.ca);
	struct tc_opts get = {.path = "/mutate"};
	struct tc_opts put = {.method = "PUT",
	                      .path = "/validate",
	                      .ctype = "application/json",
	                      .body = "{}",
	                      .body_len = 2};
	struct tc_opts post_probe = {
	        .method = "POST", .path = "/healthz", .body = "x", .body_len = 1};
	struct tc_result r;

	(void)state;
	assert_int_equal(tc_do(h, E.port, &get, &r), CURLE_OK);
	assert_int_equal(r.status, 405);
	assert_string_equal(r.allow, "POST");
	assert_non_null(strstr(r.body, "\"code\":405"));
	assert_int_equal(tc_do(h, E.port, &put, &r), CURLE_OK);
	assert_int_equal(r.status, 405);
	assert_int_equal(tc_do(h, E.port, &post_probe, &r), CURLE_OK);
	assert_int_equal(r.status, 405);
	assert_string_equal(r.allow, "GET, HEAD");
	curl_easy_cleanup(h);
	assert_healthy();
}

static void test_wrong_content_type_gets_415(void **state)
{
	struct tc_result r;

	(void)state;
	assert_int_equal(post("/mutate", "text/plain", "{}", 2, &r), CURLE_OK);
	assert_int_equal(r.status, 415);
	assert_int_equal(post("/validate", NULL, "{}", 2, &r), CURLE_OK);
	assert_int_equal(r.status, 415); /* curl's default form type */
	assert_int_equal(post("/validate", "application/jsonx", "{}", 2, &r), CURLE_OK);
	assert_int_equal(r.status, 415);
	assert_healthy();
}

static void test_oversized_body_gets_413(void **state)
{
	size_t len = 200 * 1024;
	char *big = malloc(len);
	CURL *h = tc_handle(E.ca);
	struct tc_opts early = {.path = "/validate",
	                        .ctype = "application/json",
	                        .body = big,
	                        .body_len = len,
	                        .expect100 = true};
	struct tc_opts chunked = early;
	struct tc_result r;

	(void)state;
	memset(big, ' ', len);
	assert_int_equal(tc_do(h, E.port, &early, &r), CURLE_OK);
	assert_int_equal(r.status, 413);
	assert_non_null(strstr(r.body, "larger than the limit of 65536 bytes"));
	chunked.expect100 = false;
	chunked.chunked = true;
	assert_int_equal(tc_do(h, E.port, &chunked, &r), CURLE_OK);
	assert_int_equal(r.status, 413);
	curl_easy_cleanup(h);
	assert_true(metric("rtdp_webhook_http_errors_total{endpoint=\"validate\",code=\"413\"}") >=
	            2);
	free(big);
	assert_healthy();
}

static void test_malformed_review_gets_400_json(void **state)
{
	struct tc_result r;

	(void)state;
	assert_int_equal(post("/validate", "application/json", "{\"apiVersion\": ", 15, &r),
	                 CURLE_OK);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "\"kind\":\"Status\""));
	assert_non_null(strstr(r.body, "malformed JSON at byte"));
	assert_int_equal(
	        post("/mutate", "application/json",
	             "{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\"}",
	             66, &r),
	        CURLE_OK);
	assert_int_equal(r.status, 400);
	assert_int_equal(post("/mutate", "application/json", "", 0, &r), CURLE_OK);
	assert_int_equal(r.status, 400);
	assert_int_equal(tc_get(E.port, E.ca, "/nope", &r), 404);
	assert_healthy();
}

static void test_tls_below_1_2_is_refused(void **state)
{
	CURL *h = tc_handle(E.ca);
	struct tc_opts old = {.path = "/healthz",
	                      .tls_min = CURL_SSLVERSION_TLSv1_0,
	                      .tls_max = CURL_SSLVERSION_MAX_TLSv1_1};
	struct tc_opts v12 = {.path = "/healthz",
	                      .tls_min = CURL_SSLVERSION_TLSv1_2,
	                      .tls_max = CURL_SSLVERSION_MAX_TLSv1_2};
	struct tc_result r;

	(void)state;
	assert_int_not_equal(tc_do(h, E.port, &old, &r), CURLE_OK);
	curl_easy_cleanup(h);
	h = tc_handle(E.ca);
	assert_int_equal(tc_do(h, E.port, &v12, &r), CURLE_OK);
	assert_int_equal(r.status, 200);
	curl_easy_cleanup(h);
}

static int raw_connect(void)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)E.port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

/* A client that connects and sends nothing is closed after the timeout; others are served meanwhile. */
static void test_stuck_client_is_timed_out(void **state)
{
	int fd = raw_connect();
	struct timeval tv = {6, 0};
	double start = now_s(), took;
	char buf[256];
	int i;

	(void)state;
	assert_healthy();
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (i = 0; i < 100 && recv(fd, buf, sizeof(buf), 0) > 0; i++)
		; /* a TLS alert may come first: read up to the close */
	took = now_s() - start;
	close(fd);
	assert_true(took >= 1.0 && took < 5.0);
	assert_healthy();
}

/* One address cannot take every connection: past the per-IP limit, its new ones are refused. */
static void test_per_ip_limit_holds_off_a_flood(void **state)
{
	int fds[24], i;
	long flooded;
	struct tc_result r;

	(void)state;
	for (i = 0; i < 300 && metrics_connections_now(server_metrics(E.srv)) > 0; i++)
		sleep_ms(10); /* earlier clients' connections are gone */
	for (i = 0; i < 24; i++)
		fds[i] = raw_connect();
	for (i = 0; i < 500 && metrics_connections_now(server_metrics(E.srv)) < 24; i++)
		sleep_ms(10); /* until the server has accepted them all */
	flooded = tc_get(E.port, E.ca, "/healthz", &r);
	if (flooded != -1)
		print_message("flood: %lld connections open, healthz %ld\n",
		              (long long)metrics_connections_now(server_metrics(E.srv)), flooded);
	for (i = 0; i < 24; i++)
		close(fds[i]);
	for (i = 0; i < 200 && metrics_connections_now(server_metrics(E.srv)) > 0; i++)
		sleep_ms(10);
	assert_int_equal(flooded, -1);
	assert_healthy();
}

static double validate_scale(int replicas, char *msg, size_t size)
{
	char body[1024];
	struct tc_result r;

	snprintf(body, sizeof(body), review_fmt, "uid-p", replicas);
	assert_int_equal(post("/validate", "application/json", body, strlen(body), &r), CURLE_OK);
	snprintf(msg, size, "%s", r.body);
	return (double)r.status;
}

static void wait_reloads(enum metrics_result which, uint64_t want)
{
	int i;

	for (i = 0; i < 200 && metrics_policy_reloads(server_metrics(E.srv), which) < want; i++)
		sleep_ms(20);
	assert_true(metrics_policy_reloads(server_metrics(E.srv), which) >= want);
}

static void test_policy_reload_keeps_the_old_policy_when_broken(void **state)
{
	char msg[16384];

	(void)state;
	assert_int_equal(validate_scale(4, msg, sizeof(msg)), 200);
	assert_non_null(strstr(msg, "\"allowed\":true"));
	write_policy(
	        "apiVersion: rtdp.io/v1alpha1\nkind: Policy\nspec:\n  replicas:\n    minimum: 5\n");
	wait_reloads(METRICS_SUCCESS, 1);
	assert_int_equal(validate_scale(4, msg, sizeof(msg)), 200);
	assert_non_null(strstr(msg, "minimum of 5"));
	write_policy("apiVersion: rtdp.io/v1alpha1\nkind: Policy\nspec:\n  replicas: [oops\n");
	wait_reloads(METRICS_FAILURE, 1);
	assert_int_equal(validate_scale(4, msg, sizeof(msg)), 200);
	assert_non_null(strstr(msg, "minimum of 5"));
	assert_true(metric("rtdp_webhook_policy_reloads_total{result=\"failure\"}") >= 1);
	assert_true(metric("rtdp_webhook_policy_reloads_total{result=\"success\"}") >= 1);
}

struct load {
	volatile int stop;
	int ok, failed, max_gen;
	pthread_mutex_t lock;
};

static void *load_main(void *arg)
{
	struct load *l = arg;
	char body[1024];
	struct tc_opts o = {.path = "/validate", .ctype = "application/json", .certinfo = true};
	struct tc_result r;

	snprintf(body, sizeof(body), review_fmt, "uid-load", 3);
	o.body = body;
	o.body_len = strlen(body);
	while (!l->stop) {
		CURL *h = tc_handle(E.ca); /* a fresh connection: a handshake every time */
		bool ok = tc_do(h, E.port, &o, &r) == CURLE_OK && r.status == 200;

		curl_easy_cleanup(h);
		pthread_mutex_lock(&l->lock);
		if (ok)
			l->ok++;
		else
			l->failed++;
		if (!ok)
			fprintf(stderr, "load request failed: curl %d status %ld\n", r.rc,
			        r.status);
		if (r.gen > l->max_gen)
			l->max_gen = r.gen;
		pthread_mutex_unlock(&l->lock);
	}
	return NULL;
}

static int served_gen(void)
{
	CURL *h = tc_handle(E.ca);
	struct tc_opts o = {.path = "/healthz", .certinfo = true};
	struct tc_result r;

	tc_do(h, E.port, &o, &r);
	curl_easy_cleanup(h);
	return r.gen;
}

static void wait_gen(int gen)
{
	int i;

	for (i = 0; i < 250 && served_gen() != gen; i++)
		sleep_ms(20);
	assert_int_equal(served_gen(), gen);
}

static void test_certificate_rotation_under_load(void **state)
{
	struct load l = {0, 0, 0, -1, PTHREAD_MUTEX_INITIALIZER};
	pthread_t t[4];
	int i, gen;

	(void)state;
	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, load_main, &l);
	for (gen = 1; gen <= 5; gen++) {
		sleep_ms(300);
		rotate(gen, 86400 + gen, NULL);
		wait_gen(gen);
	}
	rotate(6, 86400, "mismatch"); /* a broken pair: gen 5 stays */
	rotate(7, -30, NULL); /* an expired one: gen 5 stays */
	sleep_ms(400);
	assert_int_equal(served_gen(), 5);
	rotate(8, 86400, NULL);
	wait_gen(8);
	sleep_ms(300);
	l.stop = 1;
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	print_message("rotation: %d requests, %d failed, 6 rotations served, last gen %d\n", l.ok,
	              l.failed, l.max_gen);
	assert_int_equal(l.failed, 0);
	assert_true(l.ok > 20);
	assert_int_equal(l.max_gen, 8);
	assert_true(metric("rtdp_webhook_certificate_reloads_total{result=\"failure\"}") >= 2);
	assert_true(metric("rtdp_webhook_certificate_reloads_total{result=\"success\"}") >= 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_probes_and_metrics),
	        cmocka_unit_test(test_probes_keep_the_connection_alive),
	        cmocka_unit_test(test_admission_round_trip_ignores_the_timeout_query),
	        cmocka_unit_test(test_wrong_method_gets_405_with_allow),
	        cmocka_unit_test(test_wrong_content_type_gets_415),
	        cmocka_unit_test(test_oversized_body_gets_413),
	        cmocka_unit_test(test_malformed_review_gets_400_json),
	        cmocka_unit_test(test_tls_below_1_2_is_refused),
	        cmocka_unit_test(test_stuck_client_is_timed_out),
	        cmocka_unit_test(test_per_ip_limit_holds_off_a_flood),
	        cmocka_unit_test(test_policy_reload_keeps_the_old_policy_when_broken),
	        cmocka_unit_test(test_certificate_rotation_under_load),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, setup, teardown);
	curl_global_cleanup();
	return rc;
}
