/*
 * The HTTP transport under the API client, behind function pointers so tests
 * can drive every error path. http_curl.c is the real one (libcurl, one easy
 * handle reused across requests, so connections are kept alive).
 */
#ifndef RTDP_PLUGIN_KUBE_TRANSPORT_H
#define RTDP_PLUGIN_KUBE_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "kube_blob.h"
#include "rtdp/buf.h"
#include "rtdp/error.h"

/* TLS and proxy settings; every pointer borrowed, NULL or empty when unset. */
struct kube_tls {
	const struct kube_blob *ca; /* PEM; empty: the system's CA store */
	const struct kube_blob *client_cert; /* PEM */
	const struct kube_blob *client_key; /* PEM; a secret */
	const char *tls_server_name;
	const char *proxy_url; /* NULL: the proxy environment variables apply */
	bool insecure;
};

struct kube_http_request {
	const char *method; /* "GET", "PATCH", ... */
	const char *url; /* absolute */
	const char *const *headers; /* "Name: value" lines */
	size_t nheaders;
	const char *body; /* may be NULL when body_len is 0 */
	size_t body_len;
	const char *username, *password; /* basic auth, both or neither; secrets */
	struct kube_tls tls;
	long timeout_ms; /* the whole exchange; 0: none */
	long connect_timeout_ms; /* 0: none */
	bool compressed; /* ask for gzip */
	size_t max_body; /* bytes of response body */
};

struct kube_http_response {
	long status; /* 0 until a status line was read */
	struct rtdp_buf body; /* owned */
	long retry_after_s; /* the Retry-After header in seconds; -1 when absent */
	char content_type[128];
};

/* Initialises r with a body cap of max_body bytes. Cannot fail. */
void kube_http_response_init(struct kube_http_response *r, size_t max_body);
/* Frees the body; r is empty (and reusable) afterwards. */
void kube_http_response_release(struct kube_http_response *r);

/*
 * What a transport reports besides a status: RTDP_OK when any HTTP answer was
 * read (whatever its status); otherwise RTDP_ERR_TIMEOUT (timed out),
 * RTDP_ERR_TLS (certificate or handshake), RTDP_ERR_LIMIT (body over
 * max_body), or RTDP_ERR_HTTP (cannot connect, connection reset, closed
 * mid-answer). *retryable tells whether the failure was a dropped connection
 * that a repeated idempotent request may get past.
 */
struct kube_transport {
	enum rtdp_rc (*perform)(void *ctx, const struct kube_http_request *req,
	                        struct kube_http_response *resp, bool *retryable,
	                        struct rtdp_error *err);
	void (*destroy)(void *ctx); /* may be NULL */
	void *ctx; /* owned by the transport */
};

/* The libcurl transport, into *t (destroy it with t->destroy(t->ctx)). */
enum rtdp_rc kube_transport_curl(struct kube_transport *t, struct rtdp_error *err);

#endif
