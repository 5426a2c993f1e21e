/* Queuing answers: JSON Status errors, the probes and /metrics. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "http_internal.h"
#include "wlog.h"
#include "rtdp/banned.h"

#define METRICS_TEXT_MAX (4u << 20)

enum MHD_Result reply(struct server *s, struct MHD_Connection *c, unsigned status, char *body,
                      size_t len, const char *content_type, const char *allow)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (!body)
		return MHD_NO;
	resp = MHD_create_response_from_buffer_with_free_callback(len, body, free);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	if (allow)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
	if (atomic_load(&s->draining))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static const char *reason(unsigned status)
{
	switch (status) {
	case 400:
		return "BadRequest";
	case 404:
		return "NotFound";
	case 405:
		return "MethodNotAllowed";
	case 413:
		return "RequestEntityTooLarge";
	case 415:
		return "UnsupportedMediaType";
	case 503:
		return "ServiceUnavailable";
	default:
		return "InternalError";
	}
}

/* A v1 Status as JSON text (owned), or NULL when out of memory. */
static char *status_json(unsigned status, const char *message)
{
	cJSON *doc = cJSON_CreateObject();
	char *text;

	cJSON_AddStringToObject(doc, "apiVersion", "v1");
	cJSON_AddStringToObject(doc, "kind", "Status");
	cJSON_AddObjectToObject(doc, "metadata");
	cJSON_AddStringToObject(doc, "status", "Failure");
	cJSON_AddStringToObject(doc, "message", message);
	cJSON_AddStringToObject(doc, "reason", reason(status));
	cJSON_AddNumberToObject(doc, "code", status);
	text = doc ? cJSON_PrintUnformatted(doc) : NULL;
	cJSON_Delete(doc);
	return text;
}

void http_remote(struct MHD_Connection *c, char *out, size_t size)
{
	const union MHD_ConnectionInfo *info =
	        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = info ? info->client_addr : NULL;

	out[0] = '\0';
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
		          (socklen_t)size);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		          out, (socklen_t)size);
}

static void log_rejected(struct MHD_Connection *c, const struct request *r, unsigned status,
                         const char *message)
{
	cJSON *f;
	char remote[64];

	if (!wlog_enabled(WLOG_WARN))
		return;
	f = cJSON_CreateObject();
	http_remote(c, remote, sizeof(remote));
	cJSON_AddStringToObject(f, "endpoint", metrics_endpoint_name(r->ep));
	cJSON_AddNumberToObject(f, "status", status);
	cJSON_AddStringToObject(f, "error", message);
	cJSON_AddStringToObject(f, "remote", remote);
	wlog_event(WLOG_WARN, "request rejected", f);
}

enum MHD_Result reply_error(struct server *s, struct MHD_Connection *c, const struct request *r,
                            unsigned status, const char *message, const char *allow)
{
	char *body = status_json(status, message);

	metrics_http_error(s->metrics, r->ep, status);
	log_rejected(c, r, status, message);
	return reply(s, c, status, body, body ? strlen(body) : 0, "application/json", allow);
}

static bool is_ready(struct server *s, const char **why)
{
	struct snapshot_ref *p, *cert;
	bool ok;

	if (atomic_load(&s->draining)) {
		*why = "not ready: shutting down\n";
		return false;
	}
	p = snapshot_acquire(&s->policy);
	cert = snapshot_acquire(&s->cert);
	ok = p && cert && atomic_load(&s->ready);
	snapshot_put(cert);
	snapshot_put(p);
	*why = ok ? "ready\n" : "not ready: policy or certificate not loaded\n";
	return ok;
}

static enum MHD_Result reply_metrics(struct server *s, struct MHD_Connection *c,
                                     const struct request *r)
{
	struct rtdp_buf b;
	char *text;
	size_t len = 0;

	rtdp_buf_init(&b, METRICS_TEXT_MAX);
	if (metrics_render(s->metrics, &b) != RTDP_OK) {
		rtdp_buf_release(&b);
		return reply_error(s, c, r, 500, "cannot render the metrics", NULL);
	}
	text = rtdp_buf_detach(&b, &len);
	return reply(s, c, 200, text, len, "text/plain; version=0.0.4; charset=utf-8", NULL);
}

enum MHD_Result reply_probe(struct server *s, struct MHD_Connection *c, const struct request *r)
{
	const char *text = "ok\n";
	unsigned status = 200;

	if (r->ep == METRICS_EP_METRICS)
		return reply_metrics(s, c, r);
	if (r->ep == METRICS_EP_READYZ && !is_ready(s, &text)) {
		status = 503;
		metrics_http_error(s->metrics, r->ep, status);
	} else if (r->ep == METRICS_EP_READYZ) {
		text = "ready\n";
	}
	return reply(s, c, status, strdup(text), strlen(text), "text/plain; charset=utf-8", NULL);
}
