/*
 * The access handler, in libmicrohttpd's pattern: the first call creates the
 * request state and rejects what it can from the headers alone (404, 405, 415,
 * 413 from Content-Length); later calls append the body (capped: past the cap
 * it is discarded and answered 413, and a client that keeps sending far past
 * it is cut off); the last call answers. The state is freed on completion.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_internal.h"
#include "rtdp/banned.h"

#define DISCARD_MAX (8u << 20) /* bytes dropped past the cap before cutting a client off */

/* clang-format off */
static const struct route {
	const char *path;
	enum metrics_endpoint ep;
	bool post; /* POST only; otherwise GET and HEAD */
} routes[] = {
	{"/mutate", METRICS_EP_MUTATE, true},
	{"/validate", METRICS_EP_VALIDATE, true},
	{"/healthz", METRICS_EP_HEALTHZ, false},
	{"/readyz", METRICS_EP_READYZ, false},
	{"/metrics", METRICS_EP_METRICS, false},
};
/* clang-format on */

static const struct route *find_route(const char *url)
{
	size_t i;

	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (strcmp(url, routes[i].path) == 0)
			return &routes[i];
	}
	return NULL;
}

double request_seconds(const struct request *r)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - r->start.tv_sec) +
	       (double)(now.tv_nsec - r->start.tv_nsec) / 1e9;
}

static struct request *request_new(struct server *s, const char *url)
{
	const struct route *route = find_route(url);
	struct request *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->ep = route ? route->ep : METRICS_EP_OTHER;
	r->post = route && route->post;
	clock_gettime(CLOCK_MONOTONIC, &r->start);
	rtdp_buf_init(&r->body, s->cfg.max_body_bytes);
	atomic_fetch_add(&s->in_flight, 1);
	metrics_in_flight(s->metrics, 1);
	return r;
}

/* "application/json", any case, optionally followed by parameters. */
static bool is_json(const char *ctype)
{
	size_t n = strlen("application/json");

	if (!ctype)
		return false;
	while (*ctype == ' ' || *ctype == '\t')
		ctype++;
	if (strncasecmp(ctype, "application/json", n) != 0)
		return false;
	return ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' ' || ctype[n] == '\t';
}

static bool too_long(struct server *s, struct MHD_Connection *c)
{
	const char *cl =
	        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	unsigned long long n;
	char *end;

	if (!cl)
		return false;
	n = strtoull(cl, &end, 10);
	return end != cl && n > s->cfg.max_body_bytes;
}

/* The first call: everything that can be decided from the request line and headers. */
static enum MHD_Result first_call(struct server *s, struct MHD_Connection *c, struct request *r,
                                  const char *method)
{
	char msg[160];

	r->answered = true;
	if (r->ep == METRICS_EP_OTHER)
		return reply_error(s, c, r, 404,
		                   "no such path: use /mutate, /validate, /healthz, "
		                   "/readyz or /metrics",
		                   NULL);
	if (r->post && strcmp(method, "POST") != 0)
		return reply_error(s, c, r, 405, "method not allowed: use POST", "POST");
	if (!r->post && strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return reply_error(s, c, r, 405, "method not allowed: use GET", "GET, HEAD");
	if (!r->post) {
		/* answered on the next call: a reply queued on the first one makes
		   libmicrohttpd close the connection instead of keeping it alive */
		r->answered = false;
		return MHD_YES;
	}
	if (!is_json(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type")))
		return reply_error(s, c, r, 415, "unsupported media type: want application/json",
		                   NULL);
	if (too_long(s, c)) {
		snprintf(msg, sizeof(msg), "request body larger than the limit of %zu bytes",
		         s->cfg.max_body_bytes);
		return reply_error(s, c, r, 413, msg, NULL);
	}
	r->answered = false;
	return MHD_YES;
}

static enum MHD_Result take_data(struct request *r, const char *data, size_t size)
{
	if (r->answered)
		return MHD_YES; /* a reply is queued: drop the rest */
	if (!r->too_large) {
		enum rtdp_rc rc = rtdp_buf_add(&r->body, data, size);

		if (rc == RTDP_OK)
			return MHD_YES;
		if (rc != RTDP_ERR_LIMIT)
			return MHD_NO; /* out of memory: drop the connection */
		r->too_large = true;
		rtdp_buf_release(&r->body);
	}
	r->discarded += size;
	return r->discarded > DISCARD_MAX ? MHD_NO : MHD_YES;
}

static enum MHD_Result last_call(struct server *s, struct MHD_Connection *c, struct request *r)
{
	char msg[160];

	if (r->answered)
		return MHD_YES;
	r->answered = true;
	if (!r->post)
		return reply_probe(s, c, r);
	if (r->too_large) {
		snprintf(msg, sizeof(msg), "request body larger than the limit of %zu bytes",
		         s->cfg.max_body_bytes);
		return reply_error(s, c, r, 413, msg, NULL);
	}
	return reply_admission(s, c, r);
}

enum MHD_Result http_on_request(void *cls, struct MHD_Connection *c, const char *url,
                                const char *method, const char *version, const char *upload,
                                size_t *upload_size, void **req_cls)
{
	struct server *s = cls;
	struct request *r = *req_cls;
	enum MHD_Result ret;

	(void)version;
	if (!r) {
		r = request_new(s, url);
		if (!r)
			return MHD_NO;
		*req_cls = r;
		return first_call(s, c, r, method);
	}
	if (*upload_size == 0)
		return last_call(s, c, r);
	ret = take_data(r, upload, *upload_size);
	*upload_size = 0;
	return ret;
}

void http_on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                       enum MHD_RequestTerminationCode toe)
{
	struct server *s = cls;
	struct request *r = *req_cls;

	(void)c;
	(void)toe;
	if (!r)
		return;
	*req_cls = NULL;
	rtdp_buf_release(&r->body);
	free(r);
	metrics_in_flight(s->metrics, -1);
	atomic_fetch_sub(&s->in_flight, 1);
}
