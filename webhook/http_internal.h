/* Per-request state and the reply helpers shared by the http_*.c files. Private to webhook/. */
#ifndef RTDP_WEBHOOK_HTTP_INTERNAL_H
#define RTDP_WEBHOOK_HTTP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "metrics.h"
#include "rtdp/buf.h"
#include "server_impl.h"

struct request {
	enum metrics_endpoint ep; /* METRICS_EP_OTHER: no such path */
	bool post; /* an admission endpoint (POST only) */
	struct timespec start; /* CLOCK_MONOTONIC at the headers */
	struct rtdp_buf body; /* capped at --max-body-bytes */
	bool too_large; /* the body went over the cap while streaming */
	uint64_t discarded; /* bytes dropped after that */
	bool answered; /* a reply was queued before the body was read */
};

double request_seconds(const struct request *r);

/* Queues body (owned: always freed) with status; adds Allow when allow is set. */
enum MHD_Result reply(struct server *s, struct MHD_Connection *c, unsigned status, char *body,
                      size_t len, const char *content_type, const char *allow);
/* Queues a v1 Status JSON error, counts it, and logs it at warn. */
enum MHD_Result reply_error(struct server *s, struct MHD_Connection *c, const struct request *r,
                            unsigned status, const char *message, const char *allow);
/* GET /healthz, /readyz, /metrics. */
enum MHD_Result reply_probe(struct server *s, struct MHD_Connection *c, const struct request *r);
/* POST /mutate, /validate once the whole body is in. */
enum MHD_Result reply_admission(struct server *s, struct MHD_Connection *c,
                                const struct request *r);

/* The client's address as text ("" when unknown). */
void http_remote(struct MHD_Connection *c, char *out, size_t size);

#endif
