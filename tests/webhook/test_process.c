/*
 * The rtdp-webhook binary as Kubernetes runs it: refusing to start on a bad
 * certificate (expired, no SAN, key mismatch, name not covered) with a clear
 * error, usage errors, and SIGTERM under load: the server stops accepting,
 * reports not ready, finishes every request it accepted (zero dropped), and
 * exits 0 within the grace period.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "certgen.h"
#include "tls_client.h"

static struct {
	char dir[256], ca[300], cert[300], key[300], log[300];
	struct certgen_ca authority;
} E;

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

static void leaf(const char *name, const char *sans, long nb, long na, char *cert, char *key)
{
	struct certgen_leaf l = {"rtdp-webhook", sans, nb, na, 7};

	snprintf(cert, 300, "%s/%s.crt", E.dir, name);
	snprintf(key, 300, "%s/%s.key", E.dir, name);
	assert_int_equal(certgen_leaf_write(&E.authority, &l, cert, key), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(E.dir, sizeof(E.dir), "%s/tests/webhook/proc-%ld", RTDP_BUILD_DIR, (long)getpid());
	mkdir(E.dir, 0700);
	snprintf(E.ca, sizeof(E.ca), "%s/ca.crt", E.dir);
	snprintf(E.log, sizeof(E.log), "%s/server.log", E.dir);
	assert_int_equal(certgen_ca_new(&E.authority), 0);
	assert_int_equal(certgen_ca_write(&E.authority, E.ca), 0);
	leaf("good", "DNS:rtdp-webhook.rtdp-system.svc,IP:127.0.0.1", -60, 86400, E.cert, E.key);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	certgen_ca_free(&E.authority);
	return 0;
}

/* Starts the binary with args (NULL-terminated), stderr to E.log; returns its pid. */
static pid_t spawn(const char *const *args)
{
	const char *argv[32];
	pid_t pid;
	int i = 0, fd;

	argv[i++] = RTDP_WEBHOOK_BIN;
	while (*args && i < 31)
		argv[i++] = *args++;
	argv[i] = NULL;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		fd = open(E.log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 2);
		dup2(fd, 1);
		execv(RTDP_WEBHOOK_BIN, (char *const *)argv);
		_exit(127);
	}
	return pid;
}

/* Waits up to ms for pid; returns its exit status, or -1 (killed then) on timeout. */
static int wait_exit(pid_t pid, unsigned ms)
{
	int status = 0;
	unsigned waited;

	for (waited = 0; waited < ms; waited += 10) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		sleep_ms(10);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

static char *log_text(void)
{
	static char buf[65536];
	FILE *f = fopen(E.log, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	return buf;
}

static void refuses(const char *cert, const char *key, const char *extra, int code,
                    const char *needle)
{
	const char *args[] = {"--bind",
	                      "127.0.0.1",
	                      "--port",
	                      "0",
	                      "--tls-cert-file",
	                      cert,
	                      "--tls-private-key-file",
	                      key,
	                      extra,
	                      extra ? "127.0.0.2" : NULL,
	                      NULL};
	int rc = wait_exit(spawn(args), 10000);
	char *log = log_text();

	if (rc != code || !strstr(log, needle))
		fail_msg("exit %d (want %d), log lacks '%s':\n%s", rc, code, needle, log);
}

static void test_bad_certificates_refuse_to_start(void **state)
{
	char cert[300], key[300], other[300], okey[300];

	(void)state;
	leaf("expired", "IP:127.0.0.1", -7200, -3600, cert, key);
	refuses(cert, key, NULL, 1, "certificate expired on");
	leaf("future", "IP:127.0.0.1", 3600, 7200, cert, key);
	refuses(cert, key, NULL, 1, "certificate is not valid before");
	leaf("nosan", NULL, -60, 86400, cert, key);
	refuses(cert, key, NULL, 1, "no DNS or IP subjectAltName");
	leaf("other", "IP:127.0.0.1", -60, 86400, other, okey);
	refuses(E.cert, okey, NULL, 1, "the private key does not match the certificate");
	refuses(E.cert, E.key, "--tls-san", 1, "certificate does not cover '127.0.0.2'");
	refuses("/nonexistent.crt", E.key, NULL, 1, "cannot open '/nonexistent.crt'");
}

static void test_usage_errors_exit_2(void **state)
{
	const char *none[] = {NULL};
	const char *bad[] = {"--tls-cert-file", "a", "--tls-private-key-file", "b", "--port",
	                     "99999",           NULL};
	const char *unknown[] = {"--frobnicate", NULL};
	const char *version[] = {"--version", NULL};

	(void)state;
	assert_int_equal(wait_exit(spawn(none), 5000), 2);
	assert_non_null(
	        strstr(log_text(), "--tls-cert-file and --tls-private-key-file are required"));
	assert_int_equal(wait_exit(spawn(bad), 5000), 2);
	assert_non_null(strstr(log_text(), "invalid value '99999' for --port"));
	assert_int_equal(wait_exit(spawn(unknown), 5000), 2);
	assert_int_equal(wait_exit(spawn(version), 5000), 0);
	assert_non_null(strstr(log_text(), "rtdp-webhook "));
}

/* The port from the "serving" log line, waiting up to 10 s; 0 when it never came. */
static unsigned wait_port(void)
{
	int i;

	for (i = 0; i < 1000; i++) {
		const char *p = strstr(log_text(), "\"msg\":\"serving\"");
		unsigned port = 0;

		p = p ? strstr(p, "\"port\":") : NULL;
		if (p && sscanf(p + 7, "%u", &port) == 1)
			return port;
		sleep_ms(10);
	}
	return 0;
}

struct load {
	unsigned port;
	volatile int stop;
	double sigterm_at;
	pthread_mutex_t lock;
	int ok, refused, dropped, spanning, bad_status;
};

static const char *review =
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
        "\"uid\":\"u\",\"kind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"},"
        "\"operation\":\"DELETE\",\"namespace\":\"team-a\",\"name\":\"web\",\"object\":null,"
        "\"userInfo\":{\"username\":\"padding-";

/* One slow request; classifies it. */
static void one(struct load *l, CURL *h, const char *body, size_t len)
{
	struct tc_opts o = {.path = "/validate",
	                    .ctype = "application/json",
	                    .body = body,
	                    .body_len = len,
	                    .slow_ms = 15};
	struct tc_result r;
	double start = now_s(), end;
	CURLcode rc = tc_do(h, l->port, &o, &r);

	end = now_s();
	pthread_mutex_lock(&l->lock);
	if (rc == CURLE_OK && r.status == 200) {
		l->ok++;
		if (l->sigterm_at > 0 && start < l->sigterm_at && end > l->sigterm_at)
			l->spanning++;
	} else if (rc == CURLE_OK) {
		l->bad_status++;
	} else if (rc == CURLE_COULDNT_CONNECT || r.request_size == 0) {
		l->refused++; /* the request never left: the server had stopped accepting */
	} else {
		l->dropped++;
		fprintf(stderr, "dropped: curl %d (%s) after %ld request bytes\n", rc,
		        curl_easy_strerror(rc), r.request_size);
	}
	if (rc != CURLE_OK && l->sigterm_at > 0)
		l->stop = 1;
	pthread_mutex_unlock(&l->lock);
}

static void *load_main(void *arg)
{
	struct load *l = arg;
	size_t len = strlen(review) + 8192 + 8;
	char *body = malloc(len);
	CURL *h = tc_handle(E.ca); /* keep-alive, as the apiserver does */

	snprintf(body, len, "%s%08d\"}}}", review, 0);
	memset(body + strlen(review), 'x', 8192);
	snprintf(body + strlen(review) + 8192, 8, "\"}}}");
	while (!l->stop)
		one(l, h, body, strlen(body));
	curl_easy_cleanup(h);
	free(body);
	return NULL;
}

static void test_sigterm_under_load_drops_nothing(void **state)
{
	const char *args[] = {"--bind",
	                      "127.0.0.1",
	                      "--port",
	                      "0",
	                      "--tls-cert-file",
	                      E.cert,
	                      "--tls-private-key-file",
	                      E.key,
	                      "--shutdown-grace",
	                      "5s",
	                      NULL};
	struct load l = {0};
	pid_t pid = spawn(args);
	pthread_t t[4];
	double sent;
	int i, rc;

	(void)state;
	pthread_mutex_init(&l.lock, NULL);
	l.port = wait_port();
	assert_true(l.port > 0);
	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, load_main, &l);
	sleep_ms(1500);
	pthread_mutex_lock(&l.lock);
	l.sigterm_at = now_s();
	pthread_mutex_unlock(&l.lock);
	sent = now_s();
	kill(pid, SIGTERM);
	rc = wait_exit(pid, 8000);
	sent = now_s() - sent;
	l.stop = 1;
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	print_message("sigterm: %d ok (%d spanning the signal), %d refused after stop, %d dropped, "
	              "%d bad status; exit %d after %.2f s\n",
	              l.ok, l.spanning, l.refused, l.dropped, l.bad_status, rc, sent);
	assert_int_equal(rc, 0);
	assert_int_equal(l.dropped, 0);
	assert_int_equal(l.bad_status, 0);
	assert_true(l.spanning > 0); /* requests were in flight at SIGTERM and finished */
	assert_true(sent < 6.0);
	assert_non_null(strstr(log_text(), "\"msg\":\"stopped\""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_bad_certificates_refuse_to_start),
	        cmocka_unit_test(test_usage_errors_exit_2),
	        cmocka_unit_test(test_sigterm_under_load_drops_nothing),
	};
	int rc;

	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, setup, teardown);
	curl_global_cleanup();
	return rc;
}
