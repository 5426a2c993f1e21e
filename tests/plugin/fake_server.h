/*
 * A scripted HTTP/1.1 server on 127.0.0.1 (ephemeral port) in a thread, for
 * the API client's tests: each request gets the next step's action.
 */
#ifndef RTDP_TEST_FAKE_SERVER_H
#define RTDP_TEST_FAKE_SERVER_H

#include <stddef.h>

enum fake_action {
	FAKE_REPLY, /* send raw (a whole HTTP response); "Connection: close" closes */
	FAKE_CLOSE, /* close without answering */
	FAKE_RESET, /* abort the connection (RST) without answering */
	FAKE_PARTIAL, /* send raw (headers promising more body), then close */
	FAKE_HANG /* never answer; wait for the client to give up */
};

struct fake_step {
	enum fake_action action;
	const char *raw;
};

struct fake_request {
	char method[16];
	char target[2048];
	char headers[8192]; /* the header lines, "\r\n"-separated */
	char body[16384];
	size_t body_len;
};

struct fake_server;

/* Starts serving steps (borrowed; must outlive the server). Aborts the test on failure. */
struct fake_server *fake_server_start(const struct fake_step *steps, size_t n);
/* "http://127.0.0.1:PORT" */
const char *fake_server_url(const struct fake_server *s);
size_t fake_server_nrequests(struct fake_server *s);
/* A copy of request i is written to *out. */
void fake_server_request(struct fake_server *s, size_t i, struct fake_request *out);
unsigned fake_server_connections(struct fake_server *s);
void fake_server_stop(struct fake_server *s);

/* Whether the request has a header line exactly equal to line (case-sensitive). */
int fake_request_has_header(const struct fake_request *r, const char *line);

#endif
