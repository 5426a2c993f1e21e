/* A small libcurl HTTPS client for the loopback tests (test executables only). */
#ifndef RTDP_TEST_TLS_CLIENT_H
#define RTDP_TEST_TLS_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>

struct tc_opts {
	const char *method; /* NULL: GET, or POST when body is set */
	const char *path;
	const char *ctype; /* Content-Type, or NULL */
	const char *body; /* NULL: none */
	size_t body_len;
	bool chunked; /* no Content-Length, Transfer-Encoding: chunked */
	bool expect100; /* send Expect: 100-continue */
	unsigned slow_ms; /* pause before each 1 KiB of body */
	long tls_max; /* CURL_SSLVERSION_MAX_* with tls_min, or 0 */
	long tls_min;
	bool certinfo; /* fill gen from the served certificate's CN "gen-N" */
};

struct tc_result {
	CURLcode rc;
	long status;
	char body[16384];
	size_t body_len;
	char allow[64];
	bool conn_close;
	int gen; /* -1 unless certinfo found "gen-N" */
	long request_size; /* bytes of request sent (0: the request never left) */
};

/* A handle with CA trust and timeouts (reuse it for keep-alive). */
CURL *tc_handle(const char *ca_file);
/* One request to https://127.0.0.1:port<path>; returns r->rc. */
CURLcode tc_do(CURL *h, unsigned port, const struct tc_opts *o, struct tc_result *r);
/* GET path with a fresh handle; returns the status (or -1 on transport error). */
long tc_get(unsigned port, const char *ca, const char *path, struct tc_result *r);

#endif
