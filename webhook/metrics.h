/*
 * The webhook's Prometheus metrics, rendered in the text exposition format
 * (version 0.0.4). All updates are thread-safe; rendering takes a consistent
 * enough snapshot for counters (each value is read atomically).
 *
 * Label values that come from requests (kind, operation) are reduced to
 * [A-Za-z0-9._-]{1,63} and the number of series is capped: past the cap, or
 * for odd values, they count under "other", so a client cannot grow memory.
 */
#ifndef RTDP_WEBHOOK_METRICS_H
#define RTDP_WEBHOOK_METRICS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "rtdp/buf.h"
#include "rtdp/error.h"

enum metrics_endpoint {
	METRICS_EP_MUTATE = 0,
	METRICS_EP_VALIDATE,
	METRICS_EP_HEALTHZ,
	METRICS_EP_READYZ,
	METRICS_EP_METRICS,
	METRICS_EP_OTHER,
	METRICS_EP_COUNT
};

enum metrics_result { METRICS_SUCCESS = 0, METRICS_FAILURE, METRICS_RESULT_COUNT };

struct metrics; /* opaque */

/* A new set of zeroed metrics into *out (the caller's: metrics_free). */
enum rtdp_rc metrics_new(struct metrics **out, struct rtdp_error *err);
void metrics_free(struct metrics *m); /* NULL is a no-op */

const char *metrics_endpoint_name(enum metrics_endpoint ep);

/* One admission request: counted by labels and observed in the histogram. */
void metrics_admission(struct metrics *m, enum metrics_endpoint ep, const char *kind,
                       const char *operation, const char *decision, double seconds);
/* One answer with an HTTP status >= 400 on endpoint ep. */
void metrics_http_error(struct metrics *m, enum metrics_endpoint ep, unsigned status);
void metrics_policy_reload(struct metrics *m, enum metrics_result r);
void metrics_cert_reload(struct metrics *m, enum metrics_result r);
void metrics_cert_expiry(struct metrics *m, time_t not_after);
void metrics_in_flight(struct metrics *m, int delta);
void metrics_connections(struct metrics *m, int delta);
void metrics_set_ready(struct metrics *m, bool ready);

/* Test helpers: current values. */
uint64_t metrics_policy_reloads(struct metrics *m, enum metrics_result r);
int64_t metrics_in_flight_now(struct metrics *m);
int64_t metrics_connections_now(struct metrics *m);

/* Appends the exposition text to out. */
enum rtdp_rc metrics_render(struct metrics *m, struct rtdp_buf *out);

#endif
