#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kube_client.h"
#include "kube_json.h"
#include "kubeconfig_int.h"
#include "rtdp/version.h"
#include "rtdp/banned.h"

#define MAX_HEADERS (8 + KUBE_MAX_AS_GROUPS)

struct kube_client {
	const struct kube_config *cfg; /* borrowed */
	struct kube_transport transport; /* owned */
	struct kube_client_options opts;
	struct kube_exec_cache exec;
	char *file_token; /* owned secret: the last token read from cfg->token_file */
	bool send_credentials; /* https, or http to a loopback address */
	char user_agent[128];
	struct kube_client_stats stats;
};

/* Request headers of one attempt; the Authorization line is a secret. */
struct headers {
	char *v[MAX_HEADERS]; /* owned */
	size_t n;
};

void kube_client_options_init(struct kube_client_options *o)
{
	memset(o, 0, sizeof(*o));
	o->max_retries = 5;
	o->backoff_base_ms = 500;
	o->backoff_max_ms = 10000;
	o->connect_timeout_ms = 30000;
	o->max_body = KUBE_MAX_BODY;
	o->stdin_tty = -1;
}

static void default_sleep(void *ctx, long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	(void)ctx;
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* Whether the URL's host is 127.0.0.0/8, ::1 or localhost. */
static bool loopback(const char *url)
{
	const char *host = strstr(url, "://");

	if (!host)
		return false;
	host += 3;
	return strncmp(host, "127.", 4) == 0 || strncmp(host, "[::1]", 5) == 0 ||
	       (strncmp(host, "localhost", 9) == 0 && strchr(":/", host[9]));
}

enum rtdp_rc kube_client_new(const struct kube_config *cfg, const struct kube_client_options *opts,
                             struct kube_client **out, struct rtdp_error *err)
{
	struct kube_client *c = calloc(1, sizeof(*c));
	enum rtdp_rc rc = RTDP_OK;

	*out = NULL;
	if (!c) {
		if (opts && opts->transport.perform && opts->transport.destroy)
			opts->transport.destroy(opts->transport.ctx);
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	}
	c->cfg = cfg;
	if (opts)
		c->opts = *opts;
	else
		kube_client_options_init(&c->opts);
	kube_exec_cache_init(&c->exec);
	c->exec.stdin_tty = c->opts.stdin_tty;
	c->transport = c->opts.transport;
	if (!c->transport.perform)
		rc = kube_transport_curl(&c->transport, err);
	c->send_credentials = strncmp(cfg->server, "https://", 8) == 0 || loopback(cfg->server);
	snprintf(c->user_agent, sizeof(c->user_agent), "User-Agent: %s",
	         c->opts.user_agent ? c->opts.user_agent : "kubectl-rtdp/" RTDP_VERSION);
	if (rc != RTDP_OK) {
		kube_client_free(c);
		return rc;
	}
	*out = c;
	return RTDP_OK;
}

void kube_client_free(struct kube_client *c)
{
	if (!c)
		return;
	if (c->transport.perform && c->transport.destroy)
		c->transport.destroy(c->transport.ctx);
	kube_exec_cache_release(&c->exec);
	kube_free_secret(c->file_token);
	free(c);
}

const struct kube_client_stats *kube_client_stats(const struct kube_client *c)
{
	return &c->stats;
}

static void headers_release(struct headers *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		kube_free_secret(h->v[i]);
	h->n = 0;
}

static enum rtdp_rc headers_add(struct headers *h, struct rtdp_error *err, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static enum rtdp_rc headers_add(struct headers *h, struct rtdp_error *err, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (h->n == MAX_HEADERS)
		return rtdp_error_set(err, RTDP_ERR_LIMIT, "too many request headers");
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	h->v[h->n] = n < 0 ? NULL : malloc((size_t)n + 1);
	if (!h->v[h->n])
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	va_start(ap, fmt);
	vsnprintf(h->v[h->n++], (size_t)n + 1, fmt, ap);
	va_end(ap);
	return RTDP_OK;
}

/* The bearer token to send, if any: the token file (re-read), the token, or the exec plugin's. */
static enum rtdp_rc bearer(struct kube_client *c, bool refresh, const char **token,
                           struct kube_http_request *req, struct rtdp_error *err)
{
	const struct kube_config *cfg = c->cfg;
	const struct kube_exec_credential *cred = NULL;
	struct rtdp_error ignored;
	char *fresh = NULL;
	enum rtdp_rc rc;

	*token = NULL;
	if (cfg->token_file) {
		rtdp_error_init(&ignored);
		if (kc_read_token(cfg->token_file, &fresh, &ignored) == RTDP_OK) {
			kube_free_secret(c->file_token);
			c->file_token = fresh;
		}
		*token = c->file_token ? c->file_token : cfg->token;
		return RTDP_OK;
	}
	if (cfg->token || !cfg->exec) {
		*token = cfg->token;
		return RTDP_OK;
	}
	rc = kube_exec_get(&c->exec, cfg, refresh, &cred, err);
	c->stats.exec_runs = c->exec.runs;
	if (rc != RTDP_OK)
		return rc;
	*token = cred->token;
	if (cred->cert.len) {
		req->tls.client_cert = &cred->cert;
		req->tls.client_key = &cred->key;
	}
	return RTDP_OK;
}

static enum rtdp_rc auth_headers(struct kube_client *c, bool refresh, struct headers *h,
                                 struct kube_http_request *req, struct rtdp_error *err)
{
	const struct kube_config *cfg = c->cfg;
	const char *token = NULL;
	enum rtdp_rc rc = RTDP_OK;
	size_t i;

	if (!c->send_credentials)
		return RTDP_OK;
	rc = bearer(c, refresh, &token, req, err);
	if (rc == RTDP_OK && token)
		rc = headers_add(h, err, "Authorization: Bearer %s", token);
	if (!token && cfg->username) {
		req->username = cfg->username;
		req->password = cfg->password ? cfg->password : "";
	}
	if (rc == RTDP_OK && cfg->as)
		rc = headers_add(h, err, "Impersonate-User: %s", cfg->as);
	if (rc == RTDP_OK && cfg->as_uid)
		rc = headers_add(h, err, "Impersonate-Uid: %s", cfg->as_uid);
	for (i = 0; rc == RTDP_OK && i < cfg->n_as_groups; i++)
		rc = headers_add(h, err, "Impersonate-Group: %s", cfg->as_groups[i]);
	return rc;
}

static void base_request(const struct kube_client *c, struct kube_http_request *req)
{
	const struct kube_config *cfg = c->cfg;

	memset(req, 0, sizeof(*req));
	req->tls.ca = &cfg->ca;
	if (c->send_credentials) {
		req->tls.client_cert = &cfg->client_cert;
		req->tls.client_key = &cfg->client_key;
	}
	req->tls.tls_server_name = cfg->tls_server_name;
	req->tls.proxy_url = cfg->proxy_url;
	req->tls.insecure = cfg->insecure;
	req->timeout_ms = cfg->timeout_ms;
	req->connect_timeout_ms = c->opts.connect_timeout_ms;
	req->compressed = !cfg->disable_compression;
	req->max_body = c->opts.max_body;
}

/* One exchange with the transport, with fresh headers. */
static enum rtdp_rc attempt(struct kube_client *c, struct kube_http_request *req,
                            const char *content_type, bool refresh, struct kube_http_response *resp,
                            bool *retryable, struct rtdp_error *err)
{
	struct headers h = {{NULL}, 0};
	enum rtdp_rc rc = headers_add(&h, err, "Accept: application/json");

	*retryable = false;
	req->username = req->password = NULL;
	if (rc == RTDP_OK)
		rc = headers_add(&h, err, "%s", c->user_agent);
	if (rc == RTDP_OK && content_type)
		rc = headers_add(&h, err, "Content-Type: %s", content_type);
	if (rc == RTDP_OK)
		rc = auth_headers(c, refresh, &h, req, err);
	req->headers = (const char *const *)h.v;
	req->nheaders = h.n;
	kube_http_response_release(resp);
	if (rc == RTDP_OK) {
		c->stats.attempts++;
		rc = c->transport.perform(c->transport.ctx, req, resp, retryable, err);
	}
	headers_release(&h);
	req->headers = NULL;
	return rc;
}

static const char *reason_phrase(long status)
{
	/* clang-format off */
	static const struct { long code; const char *text; } phrases[] = {
		{ 400, "Bad Request" }, { 401, "Unauthorized" }, { 403, "Forbidden" },
		{ 404, "Not Found" }, { 405, "Method Not Allowed" }, { 406, "Not Acceptable" },
		{ 408, "Request Timeout" }, { 409, "Conflict" }, { 410, "Gone" },
		{ 413, "Request Entity Too Large" }, { 415, "Unsupported Media Type" },
		{ 422, "Unprocessable Entity" }, { 429, "Too Many Requests" },
		{ 500, "Internal Server Error" }, { 502, "Bad Gateway" },
		{ 503, "Service Unavailable" }, { 504, "Gateway Timeout" },
	};
	/* clang-format on */
	size_t i;

	for (i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++)
		if (phrases[i].code == status)
			return phrases[i].text;
	return status >= 500 ? "Server Error" : "Client Error";
}

static enum rtdp_rc status_rc(long status)
{
	switch (status) {
	case 409:
		return RTDP_ERR_CONFLICT;
	case 404:
		return RTDP_ERR_NOTFOUND;
	case 422:
		return RTDP_ERR_INVALID;
	default:
		return RTDP_ERR_HTTP;
	}
}

/* A short, printable excerpt of a body that is not a Status. */
static void excerpt(const char *body, size_t len, char *buf, size_t n)
{
	size_t i, j = 0;

	for (i = 0; i < len && j + 1 < n && i < 200; i++)
		buf[j++] = (body[i] >= 0x20 && body[i] < 0x7f) ? body[i] : ' ';
	buf[j] = '\0';
	if (j == 0)
		snprintf(buf, n, "(no message)");
}

static enum rtdp_rc status_error(struct kube_response *out, int retries, struct rtdp_error *err)
{
	const struct kube_status *st = out->st;
	char text[256];
	char after[48] = "";

	if (retries)
		snprintf(after, sizeof(after), " (after %d retries)", retries);
	if (st && st->message)
		return rtdp_error_set(err, status_rc(out->status),
		                      "the server answered %ld %s: %s%s", out->status,
		                      st->reason ? st->reason : reason_phrase(out->status),
		                      st->message, after);
	excerpt(out->body, out->body_len, text, sizeof(text));
	return rtdp_error_set(err, status_rc(out->status), "the server answered %ld %s: %s%s",
	                      out->status, reason_phrase(out->status), text, after);
}

static long backoff_ms(const struct kube_client *c, const struct kube_http_response *resp,
                       int retry)
{
	long ms = c->opts.backoff_base_ms;
	int i;

	if (resp->retry_after_s >= 0)
		ms = resp->retry_after_s > c->opts.backoff_max_ms / 1000 + 1
		             ? c->opts.backoff_max_ms
		             : resp->retry_after_s * 1000;
	else
		for (i = 0; i < retry && ms < c->opts.backoff_max_ms; i++)
			ms *= 2;
	return ms > c->opts.backoff_max_ms ? c->opts.backoff_max_ms : ms;
}

static void wait_ms(const struct kube_client *c, long ms)
{
	if (ms <= 0)
		return;
	if (c->opts.sleep_ms)
		c->opts.sleep_ms(c->opts.sleep_ctx, ms);
	else
		default_sleep(NULL, ms);
}

/* Whether to go round again, and with a refreshed exec credential. */
struct loop_state {
	int retries;
	bool refreshed; /* the exec plugin was re-run after a 401 */
	bool refresh; /* re-run it for the next attempt */
};

static bool again(struct kube_client *c, struct loop_state *s, enum rtdp_rc rc, bool retryable,
                  bool idempotent, const struct kube_http_response *resp)
{
	bool busy = rc == RTDP_OK && (resp->status == 429 || resp->status == 503);
	bool dropped = rc != RTDP_OK && retryable && idempotent;

	s->refresh = false;
	if (rc == RTDP_OK && resp->status == 401 && c->cfg->exec && !c->cfg->token &&
	    !c->cfg->token_file && !s->refreshed && c->send_credentials) {
		s->refreshed = s->refresh = true;
		return true;
	}
	if (!(busy || dropped) || s->retries >= c->opts.max_retries)
		return false;
	wait_ms(c, backoff_ms(c, resp, s->retries));
	s->retries++;
	c->stats.retries++;
	return true;
}

static enum rtdp_rc finish(struct kube_http_response *resp, struct kube_response *out, int retries,
                           struct rtdp_error *err)
{
	enum rtdp_rc rc;

	out->status = resp->status;
	out->body = rtdp_buf_detach(&resp->body, &out->body_len);
	if (!out->body)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	if (out->status < 400)
		return RTDP_OK;
	rc = kube_status_parse(out->body, out->body_len, &out->st, err);
	return rc != RTDP_OK ? rc : status_error(out, retries, err);
}

static char *join_url(const char *server, const char *path)
{
	size_t n = strlen(server) + strlen(path) + 2;
	char *url = malloc(n);

	if (url)
		snprintf(url, n, "%s%s%s", server, path[0] == '/' ? "" : "/", path);
	return url;
}

enum rtdp_rc kube_request(struct kube_client *c, const char *method, const char *path_and_query,
                          const char *content_type, const char *body, size_t body_len,
                          struct kube_response *out, struct rtdp_error *err)
{
	struct kube_http_request req;
	struct kube_http_response resp;
	struct loop_state s = {0, false, false};
	struct rtdp_error last;
	bool retryable = false;
	char *url = join_url(c->cfg->server, path_and_query);
	enum rtdp_rc rc;

	kube_response_init(out);
	kube_http_response_init(&resp, c->opts.max_body);
	c->stats.requests++;
	if (!url)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	base_request(c, &req);
	req.method = method;
	req.url = url;
	req.body = body;
	req.body_len = body_len;
	do {
		rtdp_error_init(&last);
		rc = attempt(c, &req, content_type, s.refresh, &resp, &retryable, &last);
	} while (again(c, &s, rc, retryable, strcmp(method, "POST") != 0, &resp));
	if (rc == RTDP_OK)
		rc = finish(&resp, out, s.retries, err);
	else
		rtdp_error_set(err, rc, "%s %s: %s", method, path_and_query, last.msg);
	kube_http_response_release(&resp);
	free(url);
	return rc;
}

enum rtdp_rc kube_get(struct kube_client *c, const char *path_and_query, struct kube_response *out,
                      struct rtdp_error *err)
{
	return kube_request(c, "GET", path_and_query, NULL, NULL, 0, out, err);
}

/* Appends s to b percent-encoded for a query value. */
static enum rtdp_rc add_escaped(struct rtdp_buf *b, const char *s)
{
	enum rtdp_rc rc = RTDP_OK;

	for (; *s && rc == RTDP_OK; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("-._~", *s))
			rc = rtdp_buf_add(b, s, 1);
		else
			rc = rtdp_buf_addf(b, "%%%02X", (unsigned char)*s);
	}
	return rc;
}

enum rtdp_rc kube_apply(struct kube_client *c, const char *object_path, const char *body,
                        size_t body_len, const struct kube_apply_options *opts,
                        struct kube_response *out, struct rtdp_error *err)
{
	struct rtdp_buf path;
	enum rtdp_rc rc;

	kube_response_init(out);
	if (!opts || !opts->field_manager || !*opts->field_manager)
		return rtdp_error_set(err, RTDP_ERR_USAGE,
		                      "server-side apply needs a field manager");
	rtdp_buf_init(&path, 16384);
	rc = rtdp_buf_addf(&path, "%s%sfieldManager=", object_path,
	                   strchr(object_path, '?') ? "&" : "?");
	if (rc == RTDP_OK)
		rc = add_escaped(&path, opts->field_manager);
	if (rc == RTDP_OK && opts->force)
		rc = rtdp_buf_adds(&path, "&force=true");
	if (rc == RTDP_OK && opts->dry_run)
		rc = rtdp_buf_adds(&path, "&dryRun=All");
	if (rc == RTDP_OK && opts->strict)
		rc = rtdp_buf_adds(&path, "&fieldValidation=Strict");
	if (rc != RTDP_OK)
		rc = rtdp_error_set(err, rc, "'%s': URL too long", object_path);
	else
		rc = kube_request(c, "PATCH", path.data, "application/apply-patch+yaml", body,
		                  body_len, out, err);
	rtdp_buf_release(&path);
	return rc;
}

enum rtdp_rc kube_delete(struct kube_client *c, const char *object_path, const char *propagation,
                         bool dry_run, struct kube_response *out, struct rtdp_error *err)
{
	struct rtdp_buf path;
	char body[160];
	int n = 0;
	enum rtdp_rc rc;

	kube_response_init(out);
	if (propagation && strcmp(propagation, "Background") != 0 &&
	    strcmp(propagation, "Foreground") != 0 && strcmp(propagation, "Orphan") != 0)
		return rtdp_error_set(err, RTDP_ERR_USAGE,
		                      "propagation policy \"%s\" is not Background, Foreground or "
		                      "Orphan",
		                      propagation);
	rtdp_buf_init(&path, 16384);
	rc = rtdp_buf_addf(&path, "%s%s", object_path,
	                   dry_run ? (strchr(object_path, '?') ? "&dryRun=All" : "?dryRun=All")
	                           : "");
	/* with a body the apiserver reads DeleteOptions from it, not the query: dryRun goes in too */
	if (propagation)
		n = snprintf(body, sizeof(body),
		             "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
		             "\"propagationPolicy\":\"%s\"%s}",
		             propagation, dry_run ? ",\"dryRun\":[\"All\"]" : "");
	if (rc != RTDP_OK)
		rc = rtdp_error_set(err, rc, "'%s': URL too long", object_path);
	else
		rc = kube_request(c, "DELETE", path.data, n ? "application/json" : NULL,
		                  n ? body : NULL, n > 0 ? (size_t)n : 0, out, err);
	rtdp_buf_release(&path);
	return rc;
}
