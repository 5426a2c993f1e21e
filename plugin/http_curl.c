#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "kube_transport.h"
#include "rtdp/banned.h"

struct curl_transport {
	CURL *easy; /* owned; reused, so connections stay open */
	char errbuf[CURL_ERROR_SIZE];
	bool over_limit; /* the body went past max_body */
};

/* One request's curl lists and strings; all owned. */
struct curl_request {
	struct curl_slist *headers;
	struct curl_slist *connect_to;
	char *url; /* rewritten for tls-server-name, else NULL */
};

static size_t on_body(char *data, size_t size, size_t n, void *user)
{
	struct kube_http_response *resp = ((void **)user)[0];
	struct curl_transport *t = ((void **)user)[1];

	if (rtdp_buf_add(&resp->body, data, size * n) != RTDP_OK) {
		t->over_limit = true;
		return 0;
	}
	return size * n;
}

/* Copies a header's value (after "Name:") into buf, trimmed. */
static void header_value(const char *line, size_t len, size_t name_len, char *buf, size_t n)
{
	size_t i = name_len, j = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	while (len > i && isspace((unsigned char)line[len - 1]))
		len--;
	while (i < len && j + 1 < n)
		buf[j++] = line[i++];
	buf[j] = '\0';
}

static size_t on_header(char *line, size_t size, size_t n, void *user)
{
	struct kube_http_response *resp = user;
	size_t len = size * n;
	char value[32];
	char *end;
	long v;

	if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
		resp->retry_after_s = -1;
		resp->content_type[0] = '\0';
	} else if (len > 12 && strncasecmp(line, "Retry-After:", 12) == 0) {
		header_value(line, len, 12, value, sizeof(value));
		v = strtol(value, &end, 10);
		if (end != value && *end == '\0' && v >= 0 && v < 86400)
			resp->retry_after_s = v;
	} else if (len > 13 && strncasecmp(line, "Content-Type:", 13) == 0) {
		header_value(line, len, 13, resp->content_type, sizeof(resp->content_type));
	}
	return len;
}

static enum rtdp_rc nomem(struct rtdp_error *err)
{
	return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
}

/*
 * tls-server-name: connect to the URL's host but verify (and send SNI for)
 * another name: the URL names tls_server_name and CONNECT_TO maps it back.
 * The Host header keeps the original authority.
 */
static enum rtdp_rc server_name(struct curl_request *cr, const struct kube_http_request *req,
                                struct rtdp_error *err)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL, *url = NULL;
	struct curl_slist *more = NULL;
	char line[1024];
	enum rtdp_rc rc = RTDP_OK;

	if (!u || curl_url_set(u, CURLUPART_URL, req->url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK ||
	    curl_url_set(u, CURLUPART_HOST, req->tls.tls_server_name, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_URL, &url, 0) != CURLUE_OK) {
		rc = rtdp_error_set(err, RTDP_ERR_INVALID,
		                    "cannot use tls-server-name \"%s\" with '%s'",
		                    req->tls.tls_server_name, req->url);
		goto out;
	}
	cr->url = strdup(url);
	snprintf(line, sizeof(line), "%s:%s:%s:%s", req->tls.tls_server_name, port, host, port);
	cr->connect_to = curl_slist_append(NULL, line);
	snprintf(line, sizeof(line), "Host: %s:%s", host, port);
	more = curl_slist_append(cr->headers, line);
	if (more)
		cr->headers = more;
	if (!cr->url || !cr->connect_to || !more)
		rc = nomem(err);
out:
	curl_free(url);
	curl_free(port);
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

static enum rtdp_rc set_headers(struct curl_request *cr, const struct kube_http_request *req,
                                struct rtdp_error *err)
{
	struct curl_slist *more;
	size_t i;

	for (i = 0; i < req->nheaders; i++) {
		more = curl_slist_append(cr->headers, req->headers[i]);
		if (!more)
			return nomem(err);
		cr->headers = more;
	}
	more = curl_slist_append(cr->headers, "Expect:");
	if (!more)
		return nomem(err);
	cr->headers = more;
	return RTDP_OK;
}

static void set_blob(CURL *easy, CURLoption opt, const struct kube_blob *b)
{
	struct curl_blob blob;

	if (!b || !b->len)
		return;
	blob.data = b->data;
	blob.len = b->len;
	blob.flags = CURL_BLOB_COPY;
	curl_easy_setopt(easy, opt, &blob);
}

static void set_tls(CURL *easy, const struct kube_tls *tls)
{
	set_blob(easy, CURLOPT_CAINFO_BLOB, tls->ca);
	if (tls->client_cert && tls->client_cert->len && tls->client_key && tls->client_key->len) {
		curl_easy_setopt(easy, CURLOPT_SSLCERTTYPE, "PEM");
		set_blob(easy, CURLOPT_SSLCERT_BLOB, tls->client_cert);
		curl_easy_setopt(easy, CURLOPT_SSLKEYTYPE, "PEM");
		set_blob(easy, CURLOPT_SSLKEY_BLOB, tls->client_key);
	}
	if (tls->insecure) {
		curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (tls->proxy_url) {
		curl_easy_setopt(easy, CURLOPT_PROXY, tls->proxy_url);
		curl_easy_setopt(easy, CURLOPT_NOPROXY, "");
	}
}

static void set_method(CURL *easy, const struct kube_http_request *req)
{
	if (strcmp(req->method, "GET") == 0 && !req->body_len) {
		curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
		return;
	}
	if (strcmp(req->method, "HEAD") == 0) {
		curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
		return;
	}
	curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, req->method);
	if (req->body_len || strcmp(req->method, "DELETE") != 0) {
		curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
		curl_easy_setopt(easy, CURLOPT_POSTFIELDS, req->body_len ? req->body : "");
	}
}

static void set_options(struct curl_transport *t, const struct curl_request *cr,
                        const struct kube_http_request *req, void **user)
{
	CURL *easy = t->easy;

	curl_easy_setopt(easy, CURLOPT_URL, cr->url ? cr->url : req->url);
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, cr->headers);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, user);
	curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(easy, CURLOPT_HEADERDATA, user[0]);
	curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, req->timeout_ms);
	curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
	if (cr->connect_to)
		curl_easy_setopt(easy, CURLOPT_CONNECT_TO, cr->connect_to);
	if (req->compressed)
		curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
	if (req->username) {
		curl_easy_setopt(easy, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(easy, CURLOPT_USERNAME, req->username);
		curl_easy_setopt(easy, CURLOPT_PASSWORD, req->password);
	}
	set_method(easy, req);
	set_tls(easy, &req->tls);
}

static bool is_tls_error(CURLcode code)
{
	switch (code) {
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CLIENTCERT:
	case CURLE_USE_SSL_FAILED:
		return true;
	default:
		return false;
	}
}

/* Converts a CURLcode, once, into the transport's error contract. */
static enum rtdp_rc curl_failure(struct curl_transport *t, CURLcode code,
                                 const struct kube_http_request *req, bool *retryable,
                                 struct rtdp_error *err)
{
	const char *why = t->errbuf[0] ? t->errbuf : curl_easy_strerror(code);

	if (code == CURLE_WRITE_ERROR && t->over_limit)
		return rtdp_error_set(err, RTDP_ERR_LIMIT, "the answer is larger than %zu bytes",
		                      req->max_body);
	if (code == CURLE_OPERATION_TIMEDOUT)
		return rtdp_error_set(err, RTDP_ERR_TIMEOUT, "no answer within %ld ms: %s",
		                      req->timeout_ms, why);
	if (is_tls_error(code))
		return rtdp_error_set(err, RTDP_ERR_TLS, "TLS: %s", why);
	*retryable = code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR ||
	             code == CURLE_GOT_NOTHING || code == CURLE_PARTIAL_FILE ||
	             code == CURLE_HTTP2 || code == CURLE_HTTP2_STREAM;
	return rtdp_error_set(err, RTDP_ERR_HTTP, "%s", why);
}

static enum rtdp_rc perform(void *ctx, const struct kube_http_request *req,
                            struct kube_http_response *resp, bool *retryable,
                            struct rtdp_error *err)
{
	struct curl_transport *t = ctx;
	struct curl_request cr = {NULL, NULL, NULL};
	void *user[2] = {resp, t};
	enum rtdp_rc rc = RTDP_OK;
	CURLcode code;

	*retryable = false;
	t->over_limit = false;
	t->errbuf[0] = '\0';
	resp->body.max = req->max_body;
	curl_easy_reset(t->easy);
	if (req->tls.tls_server_name)
		rc = server_name(&cr, req, err);
	if (rc == RTDP_OK)
		rc = set_headers(&cr, req, err);
	if (rc == RTDP_OK) {
		set_options(t, &cr, req, user);
		code = curl_easy_perform(t->easy);
		curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &resp->status);
		if (code != CURLE_OK)
			rc = curl_failure(t, code, req, retryable, err);
	}
	curl_easy_reset(t->easy); /* drops the options that point at req and its secrets */
	curl_slist_free_all(cr.connect_to);
	curl_slist_free_all(cr.headers);
	free(cr.url);
	return rc;
}

static void destroy(void *ctx)
{
	struct curl_transport *t = ctx;

	curl_easy_cleanup(t->easy);
	free(t);
	curl_global_cleanup();
}

enum rtdp_rc kube_transport_curl(struct kube_transport *out, struct rtdp_error *err)
{
	struct curl_transport *t;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return rtdp_error_set(err, RTDP_ERR_HTTP, "cannot initialise libcurl");
	t = calloc(1, sizeof(*t));
	if (t)
		t->easy = curl_easy_init();
	if (!t || !t->easy) {
		free(t);
		curl_global_cleanup();
		return nomem(err);
	}
	out->perform = perform;
	out->destroy = destroy;
	out->ctx = t;
	return RTDP_OK;
}
