#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "fake_server.h"
#include "kube_client.h"
#include "kubeconfig.h"
#include "test_util.h"
#include "rtdp/banned.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define OK_JSON                                                                           \
	"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n" \
	"{\"kind\":\"Pod\"}\n"

/* The waits the client asked for, instead of sleeping. */
struct sleeps {
	long ms[16];
	size_t n;
};

static void record_sleep(void *ctx, long ms)
{
	struct sleeps *s = ctx;

	if (s->n < ARRAY_LEN(s->ms))
		s->ms[s->n++] = ms;
}

/* A whole HTTP answer with a JSON body, in a static buffer per slot (0..7). */
static const char *answer(int slot, const char *status, const char *extra, const char *body)
{
	static char bufs[8][4096];

	snprintf(bufs[slot & 7], sizeof(bufs[0]),
	         "HTTP/1.1 %s\r\nContent-Type: application/json\r\n%sContent-Length: %zu\r\n\r\n%s",
	         status, extra, strlen(body), body);
	return bufs[slot & 7];
}

struct fixture {
	struct fake_server *server;
	struct kube_config *cfg;
	struct kube_client *client;
	struct sleeps sleeps;
	struct rtdp_error err;
	struct kube_response resp;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	test_env_reset();
	rtdp_error_init(&f->err);
	kube_response_init(&f->resp);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	kube_response_release(&f->resp);
	kube_client_free(f->client);
	kube_config_free(f->cfg);
	if (f->server)
		fake_server_stop(f->server);
	free(f);
	test_tmp_cleanup();
	return 0;
}

static void client_options(struct fixture *f, struct kube_client_options *o)
{
	kube_client_options_init(o);
	o->backoff_base_ms = 100;
	o->backoff_max_ms = 1000;
	o->sleep_ms = record_sleep;
	o->sleep_ctx = &f->sleeps;
	o->stdin_tty = 0;
}

/* A config for the fake server from flags (plus extra, NULL-terminated), and a client. */
static void start(struct fixture *f, const struct fake_step *steps, size_t n, const char **extra,
                  const struct kube_client_options *opts)
{
	struct kube_conn_flags cf;
	struct kube_client_options o;
	const char *argv[32];
	int argc = 0, i;
	bool taken;

	f->server = fake_server_start(steps, n);
	argv[argc++] = "--server";
	argv[argc++] = fake_server_url(f->server);
	while (extra && *extra)
		argv[argc++] = *extra++;
	kube_conn_flags_init(&cf);
	for (i = 0; i < argc; i++)
		assert_int_equal(
		        kube_conn_flags_parse(&cf, &i, argc, (char **)argv, &taken, &f->err),
		        RTDP_OK);
	if (!cf.kubeconfig)
		cf.kubeconfig = NULL;
	assert_int_equal(kube_config_load(&cf, &f->cfg, &f->err), RTDP_OK);
	client_options(f, &o);
	assert_int_equal(kube_client_new(f->cfg, opts ? opts : &o, &f->client, &f->err), RTDP_OK);
}

static void request(struct fixture *f, size_t i, struct fake_request *r)
{
	fake_server_request(f->server, i, r);
}

static void test_get_sends_headers_and_reuses_the_connection(void **state)
{
	struct fixture *f = *state;
	static const struct fake_step steps[] = {{FAKE_REPLY, OK_JSON}, {FAKE_REPLY, OK_JSON}};
	const char *extra[] = {"--token", "tok", "--as", "alice", "--as-group", "devs", NULL};
	struct fake_request r;

	start(f, steps, 2, extra, NULL);
	assert_int_equal(kube_get(f->client, "/api/v1/namespaces/default", &f->resp, &f->err),
	                 RTDP_OK);
	assert_int_equal(f->resp.status, 200);
	assert_string_equal(f->resp.body, "{\"kind\":\"Pod\"}\n");
	assert_null(f->resp.st);
	kube_response_release(&f->resp);
	assert_int_equal(kube_get(f->client, "/version", &f->resp, &f->err), RTDP_OK);
	request(f, 0, &r);
	assert_string_equal(r.method, "GET");
	assert_string_equal(r.target, "/api/v1/namespaces/default");
	assert_true(fake_request_has_header(&r, "Authorization: Bearer tok"));
	assert_true(fake_request_has_header(&r, "Accept: application/json"));
	assert_true(fake_request_has_header(&r, "Impersonate-User: alice"));
	assert_true(fake_request_has_header(&r, "Impersonate-Group: devs"));
	assert_non_null(strstr(r.headers, "User-Agent: kubectl-rtdp/"));
	request(f, 1, &r);
	assert_string_equal(r.target, "/version");
	assert_int_equal(fake_server_connections(f->server), 1);
	assert_int_equal(kube_client_stats(f->client)->attempts, 2);
}

static void test_apply_is_a_server_side_apply_patch(void **state)
{
	struct fixture *f = *state;
	static const struct fake_step steps[] = {{FAKE_REPLY, OK_JSON}};
	static const char body[] = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\"}";
	struct kube_apply_options opts = {"kubectl-rtdp", true, true, true};
	struct fake_request r;

	start(f, steps, 1, NULL, NULL);
	assert_int_equal(kube_apply(f->client, "/apis/apps/v1/namespaces/rt/deployments/web", body,
	                            strlen(body), &opts, &f->resp, &f->err),
	                 RTDP_OK);
	request(f, 0, &r);
	assert_string_equal(r.method, "PATCH");
	assert_string_equal(r.target, "/apis/apps/v1/namespaces/rt/deployments/web?fieldManager="
	                              "kubectl-rtdp&force=true&dryRun=All&fieldValidation=Strict");
	assert_true(fake_request_has_header(&r, "Content-Type: application/apply-patch+yaml"));
	assert_int_equal(r.body_len, strlen(body));
	assert_memory_equal(r.body, body, r.body_len);
}

static void test_delete_sends_propagation_policy(void **state)
{
	struct fixture *f = *state;
	static const struct fake_step steps[] = {{FAKE_REPLY, OK_JSON}};
	struct fake_request r;

	start(f, steps, 1, NULL, NULL);
	assert_int_equal(kube_delete(f->client, "/api/v1/namespaces/rt", "Foreground", true,
	                             &f->resp, &f->err),
	                 RTDP_OK);
	request(f, 0, &r);
	assert_string_equal(r.method, "DELETE");
	assert_string_equal(r.target, "/api/v1/namespaces/rt?dryRun=All");
	assert_string_equal(r.body, "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
	                            "\"propagationPolicy\":\"Foreground\",\"dryRun\":[\"All\"]}");
	assert_true(fake_request_has_header(&r, "Content-Type: application/json"));
	kube_response_release(&f->resp);
	assert_int_equal(kube_delete(f->client, "/x", "Sideways", false, &f->resp, &f->err),
	                 RTDP_ERR_USAGE);
	assert_string_equal(
	        f->err.msg,
	        "propagation policy \"Sideways\" is not Background, Foreground or Orphan");
}

#define CONFLICT_BODY                                                                             \
	"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","      \
	"\"message\":\"Apply failed with 2 conflicts: conflicts with \\\"kubectl\\\" using "      \
	"apps/v1:\\n- .spec.replicas\\n- "                                                        \
	".spec.template.spec.containers[name=\\\"app\\\"].image\","                               \
	"\"reason\":\"Conflict\",\"details\":{\"causes\":[{\"reason\":\"FieldManagerConflict\","  \
	"\"message\":\"conflict with \\\"kubectl\\\" using "                                      \
	"apps/v1\",\"field\":\".spec.replicas\"},"                                                \
	"{\"reason\":\"FieldManagerConflict\",\"message\":\"conflict with \\\"kubectl\\\" using " \
	"apps/v1\",\"field\":\".spec.template.spec.containers[name=\\\"app\\\"].image\"}]},"      \
	"\"code\":409}"

static void test_conflict_keeps_the_causes(void **state)
{
	struct fixture *f = *state;
	static struct fake_step steps[] = {{FAKE_REPLY, NULL}};
	struct kube_apply_options opts = {"kubectl-rtdp", false, false, false};

	steps[0].raw = answer(0, "409 Conflict", "", CONFLICT_BODY);
	start(f, steps, 1, NULL, NULL);
	assert_int_equal(kube_apply(f->client, "/apis/apps/v1/namespaces/rt/deployments/web", "{}",
	                            2, &opts, &f->resp, &f->err),
	                 RTDP_ERR_CONFLICT);
	assert_string_equal(f->err.msg,
	                    "the server answered 409 Conflict: Apply failed with 2 conflicts: "
	                    "conflicts with \"kubectl\" using apps/v1:\n- .spec.replicas\n- "
	                    ".spec.template.spec.containers[name=\"app\"].image");
	assert_int_equal(f->resp.status, 409);
	assert_non_null(f->resp.st);
	assert_int_equal(f->resp.st->code, 409);
	assert_string_equal(f->resp.st->reason, "Conflict");
	assert_int_equal(f->resp.st->ncauses, 2);
	assert_string_equal(f->resp.st->causes[0].reason, "FieldManagerConflict");
	assert_string_equal(f->resp.st->causes[0].field, ".spec.replicas");
	assert_string_equal(f->resp.st->causes[1].message,
	                    "conflict with \"kubectl\" using apps/v1");
	assert_int_equal(kube_client_stats(f->client)->attempts, 1);
}

#define TOO_MANY                                                                               \
	"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"Too " \
	"many requests, please try again later.\",\"reason\":\"TooManyRequests\",\"code\":429}"

static void test_429_honours_retry_after(void **state)
{
	struct fixture *f = *state;
	static struct fake_step steps[] = {{FAKE_REPLY, NULL}, {FAKE_REPLY, OK_JSON}};

	steps[0].raw = answer(0, "429 Too Many Requests", "Retry-After: 1\r\n", TOO_MANY);
	start(f, steps, 2, NULL, NULL);
	assert_int_equal(kube_get(f->client, "/api", &f->resp, &f->err), RTDP_OK);
	assert_int_equal(f->resp.status, 200);
	assert_int_equal(f->sleeps.n, 1);
	assert_int_equal(f->sleeps.ms[0], 1000);
	assert_int_equal(kube_client_stats(f->client)->retries, 1);
}

static void test_503_backs_off_exponentially(void **state)
{
	struct fixture *f = *state;
	static const struct fake_step steps[] = {
	        {FAKE_REPLY, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"},
	        {FAKE_REPLY, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"},
	        {FAKE_REPLY, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"},
	        {FAKE_REPLY, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"},
	        {FAKE_REPLY, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"},
	        {FAKE_REPLY, OK_JSON},
	};

	start(f, steps, ARRAY_LEN(steps), NULL, NULL);
	assert_int_equal(kube_get(f->client, "/api", &f->resp, &f->err), RTDP_OK);
	assert_int_equal(f->sleeps.n, 5);
	assert_int_equal(f->sleeps.ms[0], 100);
	assert_int_equal(f->sleeps.ms[1], 200);
	assert_int_equal(f->sleeps.ms[2], 400);
	assert_int_equal(f->sleeps.ms[3], 800);
	assert_int_equal(f->sleeps.ms[4], 1000); /* capped */
}

static void test_retry_after_is_capped(void **state)
{
	struct fixture *f = *state;
	static struct fake_step steps[] = {{FAKE_REPLY, NULL}, {FAKE_REPLY, OK_JSON}};

	steps[0].raw = answer(0, "429 Too Many Requests", "Retry-After: 3600\r\n", TOO_MANY);
	start(f, steps, 2, NULL, NULL);
	assert_int_equal(kube_get(f->client, "/api", &f->resp, &f->err), RTDP_OK);
	assert_int_equal(f->sleeps.n, 1);
	assert_int_equal(f->sleeps.ms[0], 1000);
}

static void test_gives_up_after_max_retries(void **state)
{
	struct fixture *f = *state;
	static struct fake_step steps[] = {
	        {FAKE_REPLY, NULL}, {FAKE_REPLY, NULL}, {FAKE_REPLY, NULL}, {FAKE_REPLY, OK_JSON}};
	struct kube_client_options o;

	steps[0].raw = steps[1].raw = steps[2].raw =
	        answer(0, "429 Too Many Requests", "Retry-After: 0\r\n", TOO_MANY);
	client_options(f, &o);
	o.max_retries = 2;
	start(f, steps, ARRAY_LEN(steps), NULL, &o);
	assert_int_equal(kube_get(f->client, "/api", &f->resp, &f->err), RTDP_ERR_HTTP);
	assert_string_equal(f->err.msg, "the server answered 429 TooManyRequests: Too many "
	                                "requests, please try again later. (after 2 retries)");
	assert_int_equal(f->resp.status, 429);
	assert_int_equal(kube_client_stats(f->client)->attempts, 3);
	assert_int_equal(fake_server_nrequests(f->server), 3);
}

#define INTERNAL                                                                                   \
	"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"           \
	"\"Internal error occurred: etcdserver: request timed out\",\"reason\":\"InternalError\"," \
	"\"code\":500}"

static void test_500_is_not_retried(void **state)
{
	struct fixture *f = *state;
	static struct fake_step steps[] = {{FAKE_REPLY, NULL}, {FAKE_REPLY, OK_JSON}};

	steps[0].raw = answer(0, "500 Internal Server Error", "", INTERNAL);
	start(f, steps, 2, NULL, NULL);
	assert_int_equal(kube_get(f->client, "/api", &f->resp, &f->err), RTDP_ERR_HTTP);
	assert_string_equal(f->err.msg, "the server answered 500 InternalError: Internal error "
	                                "occurred: etcdserver: request timed out");
	assert_int_equal(kube_client_stats(f->client)->attempts, 1);
	assert_int_equal(f->sleeps.n, 0);
}

#define NOT_FOUND                                                                          \
	"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"   \
	"\"deployments.apps \\\"web\\\" not found\",\"reason\":\"NotFound\",\"details\":{" \
	"\"name\":\"web\",\"group\":\"apps\",\"kind\":\"deployments\"},\"code\":404}"

static void test_404_is_notfound(void **state)
{
	struct fixture *f = *state;
	static struct fake_step steps[] = {{FAKE_REPLY, NULL}};

	steps[0].raw = answer(0, "404 Not Found", "", NOT_FOUND);
	start(f, steps, 1, NULL, NULL);
	assert_int_equal(kube_get(f->client, "/apis/apps/v1/namespaces/rt/deployments/web",
	                          &f->resp, &f->err),
	                 RTDP_ERR_NOTFOUND);
	assert_string_equal(f->err.msg,
	                    "the server answered 404 NotFound: deployments.apps \"web\" not found");
	assert_int_equal(f->resp.st->ncauses, 0);
}

static void test_error_without_a_status_body(void **state)
{
	struct fixture *f = *state;
	static const struct fake_step steps[] = {
	        {FAKE_REPLY,
	         "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: "
	         "30\r\n\r\n<html>\nupstream is down</html>"},
	        {FAKE_REPLY, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"},
	};

	start(f, steps, 2, NULL, NULL);
	assert_int_equal(kube_get(f->client, "/api", &f->resp, &f->err), RTDP_ERR_HTTP);
	assert_string_equal(f->err.msg,
	                    "the server answered 502 Bad Gateway: <html> upstream is down</html>");
	assert_null(f->resp.st);
	kube_response_release(&f->resp);
	rtdp_error_init(&f->err);
	assert_int_equal(kube_get(f->client, "/api", &f->resp, &f->err), RTDP_ERR_HTTP);
	assert_string_equal(f->err.msg, "the server answered 403 Forbidden: (no message)");
}

static void test_connection_reset_is_retried_for_get(void **state)
{
	struct fixture *f = *state;
	static const struct fake_step steps[] = {{FAKE_RESET, NULL}, {FAKE_REPLY, OK_JSON}};

	start(f, steps, 2, NULL, NULL);
	assert_int_equal(kube_get(f->client, "/api", &f->resp, &f->err), RTDP_OK);
	assert_int_equal(f->resp.status, 200);
	assert_int_equal(kube_client_stats(f->client)->retries, 1);
	assert_int_equal(f->sleeps.n, 1);
	assert_int_equal(fake_server_connections(f->server), 2);
}

static void test_answer_cut_short_is_retried(void **state)
{
	struct fixture *f = *state;
	static const struct fake_step steps[] = {
	        {FAKE_PARTIAL, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"kind\":"},
	        {FAKE_CLOSE, NULL},
	        {FAKE_REPLY, OK_JSON},
	};

	start(f, steps, ARRAY_LEN(steps), NULL, NULL);
	assert_int_equal(kube_get(f->client, "/api", &f->resp, &f->err), RTDP_OK);
	assert_string_equal(f->resp.body, "{\"kind\":\"Pod\"}\n");
	assert_int_equal(kube_client_stats(f->client)->retries, 2);
}

static void test_reset_is_not_retried_for_post(void **state)
{
	struct fixture *f = *state;
	static const struct fake_step steps[] = {{FAKE_RESET, NULL}, {FAKE_REPLY, OK_JSON}};

	start(f, steps, 2, NULL, NULL);
	assert_int_equal(kube_request(f->client, "POST", "/api/v1/namespaces", "application/json",
	                              "{}", 2, &f->resp, &f->err),
	                 RTDP_ERR_HTTP);
	assert_string_equal(f->err.msg,
	                    "POST /api/v1/namespaces: Recv failure: Connection reset by "
	                    "peer");
	assert_int_equal(kube_client_stats(f->client)->attempts, 1);
	assert_int_equal(f->resp.status, 0);
}

static void test_resets_every_time_give_up(void **state)
{
	struct fixture *f = *state;
	static const struct fake_step steps[] = {
	        {FAKE_CLOSE, NULL}, {FAKE_CLOSE, NULL}, {FAKE_CLOSE, NULL}, {FAKE_REPLY, OK_JSON}};
	struct kube_client_options o;

	client_options(f, &o);
	o.max_retries = 2;
	start(f, steps, ARRAY_LEN(steps), NULL, &o);
	assert_int_equal(kube_get(f->client, "/api", &f->resp, &f->err), RTDP_ERR_HTTP);
	assert_string_equal(f->err.msg, "GET /api: Empty reply from server");
	assert_int_equal(kube_client_stats(f->client)->attempts, 3);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void test_request_timeout(void **state)
{
	struct fixture *f = *state;
	static const struct fake_step steps[] = {{FAKE_HANG, NULL}};
	const char *extra[] = {"--request-timeout=300ms", NULL};
	static const char want[] = "GET /api: no answer within 300 ms: Operation timed out after ";
	long t0;

	start(f, steps, 1, extra, NULL);
	t0 = now_ms();
	assert_int_equal(kube_get(f->client, "/api", &f->resp, &f->err), RTDP_ERR_TIMEOUT);
	assert_true(now_ms() - t0 < 3000);
	assert_memory_equal(f->err.msg, want, strlen(want));
	assert_int_equal(kube_client_stats(f->client)->attempts, 1);
}

static void test_body_over_the_cap(void **state)
{
	struct fixture *f = *state;
	static char raw[8192];
	static struct fake_step steps[] = {{FAKE_REPLY, raw}};
	struct kube_client_options o;
	int n;

	n = snprintf(raw, sizeof(raw), "HTTP/1.1 200 OK\r\nContent-Length: 4096\r\n\r\n");
	memset(raw + n, 'x', 4096);
	raw[n + 4096] = '\0';
	client_options(f, &o);
	o.max_body = 1024;
	start(f, steps, 1, NULL, &o);
	assert_int_equal(kube_get(f->client, "/big", &f->resp, &f->err), RTDP_ERR_LIMIT);
	assert_string_equal(f->err.msg, "GET /big: the answer is larger than 1024 bytes");
}

static const char *write_kubeconfig(struct fixture *f, const char *user_yaml)
{
	char text[4096];

	(void)f;
	snprintf(text, sizeof(text),
	         "apiVersion: v1\nkind: Config\ncurrent-context: t\n"
	         "clusters: [{name: t, cluster: {server: '%s'}}]\n"
	         "contexts: [{name: t, context: {cluster: t, user: u}}]\n"
	         "users:\n- name: u\n  user:\n%s",
	         fake_server_url(f->server), user_yaml);
	return test_write(0, test_tmpdir(), "kubeconfig.yaml", text);
}

static void start_with_kubeconfig(struct fixture *f, const struct fake_step *steps, size_t n,
                                  const char *user_yaml)
{
	struct kube_conn_flags cf;
	struct kube_client_options o;

	f->server = fake_server_start(steps, n);
	kube_conn_flags_init(&cf);
	cf.kubeconfig = write_kubeconfig(f, user_yaml);
	if (kube_config_load(&cf, &f->cfg, &f->err) != RTDP_OK)
		fail_msg("%s", f->err.msg);
	client_options(f, &o);
	assert_int_equal(kube_client_new(f->cfg, &o, &f->client, &f->err), RTDP_OK);
}

#define UNAUTHORIZED                                                                         \
	"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: "    \
	"128\r\n\r\n"                                                                        \
	"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\"," \
	"\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}"

static void test_exec_plugin_is_cached_and_rerun_once_on_401(void **state)
{
	struct fixture *f = *state;
	static const struct fake_step steps[] = {
	        {FAKE_REPLY, OK_JSON}, {FAKE_REPLY, OK_JSON},      {FAKE_REPLY, UNAUTHORIZED},
	        {FAKE_REPLY, OK_JSON}, {FAKE_REPLY, UNAUTHORIZED}, {FAKE_REPLY, UNAUTHORIZED},
	};
	char user[1024];
	struct fake_request r;
	size_t i;
	static const char *const want[] = {"run-1", "run-1", "run-1", "run-2", "run-2", "run-3"};
	char line[64];

	snprintf(user, sizeof(user),
	         "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
	         "      command: %s\n",
	         fx(0, "bin/exec-counter"));
	setenv("RTDP_EXEC_LOG", test_write(1, test_tmpdir(), "exec.log", ""), 1);
	start_with_kubeconfig(f, steps, ARRAY_LEN(steps), user);
	assert_int_equal(kube_get(f->client, "/a", &f->resp, &f->err), RTDP_OK);
	kube_response_release(&f->resp);
	assert_int_equal(kube_get(f->client, "/b", &f->resp, &f->err), RTDP_OK);
	assert_int_equal(kube_client_stats(f->client)->exec_runs, 1); /* cached until 2099 */
	kube_response_release(&f->resp);
	assert_int_equal(kube_get(f->client, "/c", &f->resp, &f->err), RTDP_OK);
	assert_int_equal(kube_client_stats(f->client)->exec_runs, 2);
	kube_response_release(&f->resp);
	assert_int_equal(kube_get(f->client, "/d", &f->resp, &f->err), RTDP_ERR_HTTP);
	assert_string_equal(f->err.msg, "the server answered 401 Unauthorized: Unauthorized");
	assert_int_equal(kube_client_stats(f->client)->exec_runs, 3);
	assert_int_equal(fake_server_nrequests(f->server), 6);
	for (i = 0; i < 6; i++) {
		request(f, i, &r);
		snprintf(line, sizeof(line), "Authorization: Bearer %s", want[i]);
		if (!fake_request_has_header(&r, line))
			fail_msg("request %zu: want %s in\n%s", i, line, r.headers);
	}
}

static void test_token_file_is_read_again(void **state)
{
	struct fixture *f = *state;
	static const struct fake_step steps[] = {{FAKE_REPLY, OK_JSON}, {FAKE_REPLY, OK_JSON}};
	struct fake_request r;
	const char *path = test_write(1, test_tmpdir(), "token", "first\n");
	char user[1024];

	snprintf(user, sizeof(user), "    tokenFile: %s\n    token: ignored\n", path);
	start_with_kubeconfig(f, steps, 2, user);
	assert_int_equal(kube_get(f->client, "/a", &f->resp, &f->err), RTDP_OK);
	kube_response_release(&f->resp);
	test_write(1, test_tmpdir(), "token", "second");
	assert_int_equal(kube_get(f->client, "/b", &f->resp, &f->err), RTDP_OK);
	request(f, 0, &r);
	assert_true(fake_request_has_header(&r, "Authorization: Bearer first"));
	request(f, 1, &r);
	assert_true(fake_request_has_header(&r, "Authorization: Bearer second"));
}

static void test_basic_auth(void **state)
{
	struct fixture *f = *state;
	static const struct fake_step steps[] = {{FAKE_REPLY, OK_JSON}};
	struct fake_request r;

	start_with_kubeconfig(f, steps, 1, "    username: admin\n    password: s3cret\n");
	assert_int_equal(kube_get(f->client, "/a", &f->resp, &f->err), RTDP_OK);
	request(f, 0, &r);
	assert_true(fake_request_has_header(&r, "Authorization: Basic YWRtaW46czNjcmV0"));
}

static void test_exec_plugin_failure_is_reported(void **state)
{
	struct fixture *f = *state;
	static const struct fake_step steps[] = {{FAKE_REPLY, OK_JSON}};
	char user[1024], want[4096];

	snprintf(user, sizeof(user),
	         "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
	         "      command: %s\n",
	         fx(0, "bin/exec-fail"));
	start_with_kubeconfig(f, steps, 1, user);
	assert_int_equal(kube_get(f->client, "/a", &f->resp, &f->err), RTDP_ERR_IO);
	snprintf(want, sizeof(want), "GET /a: exec plugin '%s' failed with exit code 3",
	         fx(0, "bin/exec-fail"));
	assert_string_equal(f->err.msg, want);
	assert_int_equal(fake_server_nrequests(f->server), 0);
}

/* A transport that records what it was asked and answers as scripted. */
struct fake_transport {
	enum rtdp_rc rc;
	long status;
	const char *why;
	bool retryable;
	unsigned calls;
	char headers[2048];
	char url[512];
};

static enum rtdp_rc scripted_perform(void *ctx, const struct kube_http_request *req,
                                     struct kube_http_response *resp, bool *retryable,
                                     struct rtdp_error *err)
{
	struct fake_transport *t = ctx;
	size_t i, at = 0;

	t->calls++;
	snprintf(t->url, sizeof(t->url), "%s", req->url);
	t->headers[0] = '\0';
	for (i = 0; i < req->nheaders; i++)
		at += (size_t)snprintf(t->headers + at, sizeof(t->headers) - at, "%s\n",
		                       req->headers[i]);
	*retryable = t->retryable;
	resp->status = t->status;
	if (t->rc != RTDP_OK)
		return rtdp_error_set(err, t->rc, "%s", t->why);
	return RTDP_OK;
}

static void start_scripted(struct fixture *f, struct fake_transport *t, const char *server)
{
	struct kube_conn_flags cf;
	struct kube_client_options o;

	kube_conn_flags_init(&cf);
	cf.server = server;
	cf.token = "secret-token";
	assert_int_equal(kube_config_load(&cf, &f->cfg, &f->err), RTDP_OK);
	client_options(f, &o);
	o.transport.perform = scripted_perform;
	o.transport.ctx = t;
	assert_int_equal(kube_client_new(f->cfg, &o, &f->client, &f->err), RTDP_OK);
}

static void test_transport_errors_pass_through(void **state)
{
	struct fixture *f = *state;
	struct fake_transport t = {RTDP_ERR_TLS, 0, "TLS: certificate verify failed", false, 0,
	                           "",           ""};

	start_scripted(f, &t, "https://10.0.0.1:6443");
	assert_int_equal(kube_get(f->client, "/api?limit=1", &f->resp, &f->err), RTDP_ERR_TLS);
	assert_string_equal(f->err.msg, "GET /api?limit=1: TLS: certificate verify failed");
	assert_string_equal(t.url, "https://10.0.0.1:6443/api?limit=1");
	assert_non_null(strstr(t.headers, "Authorization: Bearer secret-token\n"));
	assert_int_equal(t.calls, 1);
}

static void test_no_credentials_over_plain_http(void **state)
{
	struct fixture *f = *state;
	struct fake_transport t = {RTDP_OK, 200, "", false, 0, "", ""};

	start_scripted(f, &t, "http://apiserver.example:8080");
	assert_int_equal(kube_get(f->client, "/api", &f->resp, &f->err), RTDP_OK);
	assert_null(strstr(t.headers, "Authorization"));
}

/* A client whose cluster entry is cluster_yaml (a flow mapping's contents). */
static void start_with_cluster(struct fixture *f, const struct fake_step *steps, size_t n,
                               const char *cluster_yaml)
{
	struct kube_conn_flags cf;
	struct kube_client_options o;
	char text[4096];

	f->server = fake_server_start(steps, n);
	snprintf(text, sizeof(text),
	         "apiVersion: v1\ncurrent-context: t\n"
	         "clusters: [{name: t, cluster: {%s}}]\n"
	         "contexts: [{name: t, context: {cluster: t, user: u}}]\n"
	         "users: [{name: u, user: {token: tok}}]\n",
	         cluster_yaml);
	kube_conn_flags_init(&cf);
	cf.kubeconfig = test_write(0, test_tmpdir(), "kubeconfig.yaml", text);
	if (kube_config_load(&cf, &f->cfg, &f->err) != RTDP_OK)
		fail_msg("%s", f->err.msg);
	client_options(f, &o);
	assert_int_equal(kube_client_new(f->cfg, &o, &f->client, &f->err), RTDP_OK);
}

static void test_tls_server_name_keeps_the_address(void **state)
{
	struct fixture *f = *state;
	static const struct fake_step steps[] = {{FAKE_REPLY, OK_JSON}};
	const char *extra[] = {"--tls-server-name", "api.internal.example", NULL};
	struct fake_request r;
	char host[128];

	/* plain http, but the mapping is the same: the name is verified, the address dialled */
	start(f, steps, 1, extra, NULL);
	assert_string_equal(f->cfg->tls_server_name, "api.internal.example");
	assert_int_equal(kube_get(f->client, "/api", &f->resp, &f->err), RTDP_OK);
	request(f, 0, &r);
	snprintf(host, sizeof(host), "Host: %s", fake_server_url(f->server) + strlen("http://"));
	assert_true(fake_request_has_header(&r, host));
}

static void test_proxy_url_is_used_even_with_no_proxy(void **state)
{
	struct fixture *f = *state;
	static const struct fake_step steps[] = {{FAKE_REPLY, OK_JSON}};
	struct fake_request r;
	char cluster[512];
	struct fake_server *proxy = fake_server_start(steps, 1);

	setenv("NO_PROXY", "*", 1);
	snprintf(cluster, sizeof(cluster),
	         "server: 'http://apiserver.example:6443', proxy-url: '%s'",
	         fake_server_url(proxy));
	start_with_cluster(f, NULL, 0, cluster);
	assert_int_equal(kube_get(f->client, "/api", &f->resp, &f->err), RTDP_OK);
	fake_server_request(proxy, 0, &r);
	assert_string_equal(r.target, "http://apiserver.example:6443/api");
	assert_false(fake_request_has_header(&r, "Authorization: Bearer tok")); /* plain http */
	assert_int_equal(fake_server_nrequests(f->server), 0);
	fake_server_stop(proxy);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_get_sends_headers_and_reuses_the_connection),
	        T(test_apply_is_a_server_side_apply_patch),
	        T(test_delete_sends_propagation_policy),
	        T(test_conflict_keeps_the_causes),
	        T(test_429_honours_retry_after),
	        T(test_503_backs_off_exponentially),
	        T(test_retry_after_is_capped),
	        T(test_gives_up_after_max_retries),
	        T(test_500_is_not_retried),
	        T(test_404_is_notfound),
	        T(test_error_without_a_status_body),
	        T(test_connection_reset_is_retried_for_get),
	        T(test_answer_cut_short_is_retried),
	        T(test_reset_is_not_retried_for_post),
	        T(test_resets_every_time_give_up),
	        T(test_request_timeout),
	        T(test_body_over_the_cap),
	        T(test_exec_plugin_is_cached_and_rerun_once_on_401),
	        T(test_token_file_is_read_again),
	        T(test_basic_auth),
	        T(test_exec_plugin_failure_is_reported),
	        T(test_transport_errors_pass_through),
	        T(test_no_credentials_over_plain_http),
	        T(test_tls_server_name_keeps_the_address),
	        T(test_proxy_url_is_used_even_with_no_proxy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
