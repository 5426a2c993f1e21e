#include <inttypes.h>
#include <string.h>

#include "metrics_impl.h"
#include "rtdp/version.h"
#include "rtdp/banned.h"

static enum rtdp_rc render_requests(struct metrics *m, struct rtdp_buf *out)
{
	enum rtdp_rc rc;
	size_t i;

	rc = rtdp_buf_adds(out, "# HELP rtdp_webhook_requests_total AdmissionReview requests by "
	                        "endpoint, kind, operation and decision.\n"
	                        "# TYPE rtdp_webhook_requests_total counter\n");
	pthread_mutex_lock(&m->lock);
	for (i = 0; rc == RTDP_OK && i < m->nseries; i++) {
		const struct metrics_series *s = &m->series[i];

		rc = rtdp_buf_addf(out,
		                   "rtdp_webhook_requests_total{endpoint=\"%s\",kind=\"%s\","
		                   "operation=\"%s\",decision=\"%s\"} %" PRIu64 "\n",
		                   metrics_endpoint_name(s->ep), s->kind, s->operation, s->decision,
		                   s->count);
	}
	pthread_mutex_unlock(&m->lock);
	return rc;
}

static enum rtdp_rc render_errors(struct metrics *m, struct rtdp_buf *out)
{
	enum rtdp_rc rc;
	size_t ep, i;

	rc = rtdp_buf_adds(out, "# HELP rtdp_webhook_http_errors_total Answers with an HTTP "
	                        "error status, by endpoint and code (code 0: any other).\n"
	                        "# TYPE rtdp_webhook_http_errors_total counter\n");
	for (ep = 0; rc == RTDP_OK && ep < METRICS_EP_COUNT; ep++) {
		for (i = 0; rc == RTDP_OK && i < METRICS_STATUSES; i++) {
			uint64_t n = atomic_load(&m->http_errors[ep][i]);

			if (n == 0)
				continue;
			rc = rtdp_buf_addf(out,
			                   "rtdp_webhook_http_errors_total{endpoint=\"%s\","
			                   "code=\"%u\"} %" PRIu64 "\n",
			                   metrics_endpoint_name((enum metrics_endpoint)ep),
			                   metrics_statuses[i], n);
		}
	}
	return rc;
}

static enum rtdp_rc render_histogram(struct metrics_histogram *h, const char *ep,
                                     struct rtdp_buf *out)
{
	const char *name = "rtdp_webhook_request_duration_seconds";
	uint64_t cumulative = 0;
	enum rtdp_rc rc = RTDP_OK;
	size_t i;

	for (i = 0; rc == RTDP_OK && i < METRICS_BUCKETS; i++) {
		cumulative += atomic_load(&h->buckets[i]);
		rc = rtdp_buf_addf(out, "%s_bucket{endpoint=\"%s\",le=\"%g\"} %" PRIu64 "\n", name,
		                   ep, metrics_buckets[i], cumulative);
	}
	cumulative += atomic_load(&h->buckets[METRICS_BUCKETS]);
	if (rc == RTDP_OK)
		rc = rtdp_buf_addf(out, "%s_bucket{endpoint=\"%s\",le=\"+Inf\"} %" PRIu64 "\n",
		                   name, ep, cumulative);
	if (rc == RTDP_OK)
		rc = rtdp_buf_addf(out, "%s_sum{endpoint=\"%s\"} %.9f\n", name, ep,
		                   (double)atomic_load(&h->sum_ns) / 1e9);
	if (rc == RTDP_OK)
		rc = rtdp_buf_addf(out, "%s_count{endpoint=\"%s\"} %" PRIu64 "\n", name, ep,
		                   cumulative);
	return rc;
}

static enum rtdp_rc render_latency(struct metrics *m, struct rtdp_buf *out)
{
	enum rtdp_rc rc;

	rc = rtdp_buf_adds(out, "# HELP rtdp_webhook_request_duration_seconds Time from the "
	                        "request headers to the queued answer, with the apiserver's "
	                        "admission webhook buckets.\n"
	                        "# TYPE rtdp_webhook_request_duration_seconds histogram\n");
	if (rc == RTDP_OK)
		rc = render_histogram(&m->latency[METRICS_EP_MUTATE], "mutate", out);
	if (rc == RTDP_OK)
		rc = render_histogram(&m->latency[METRICS_EP_VALIDATE], "validate", out);
	return rc;
}

static enum rtdp_rc render_reloads(struct metrics *m, struct rtdp_buf *out)
{
	return rtdp_buf_addf(
	        out,
	        "# HELP rtdp_webhook_policy_reloads_total Policy file reloads by result "
	        "(a failure keeps the previous policy in force).\n"
	        "# TYPE rtdp_webhook_policy_reloads_total counter\n"
	        "rtdp_webhook_policy_reloads_total{result=\"success\"} %" PRIu64 "\n"
	        "rtdp_webhook_policy_reloads_total{result=\"failure\"} %" PRIu64 "\n"
	        "# HELP rtdp_webhook_certificate_reloads_total Serving certificate reloads by "
	        "result (a failure keeps the previous certificate).\n"
	        "# TYPE rtdp_webhook_certificate_reloads_total counter\n"
	        "rtdp_webhook_certificate_reloads_total{result=\"success\"} %" PRIu64 "\n"
	        "rtdp_webhook_certificate_reloads_total{result=\"failure\"} %" PRIu64 "\n",
	        (uint64_t)atomic_load(&m->policy_reloads[METRICS_SUCCESS]),
	        (uint64_t)atomic_load(&m->policy_reloads[METRICS_FAILURE]),
	        (uint64_t)atomic_load(&m->cert_reloads[METRICS_SUCCESS]),
	        (uint64_t)atomic_load(&m->cert_reloads[METRICS_FAILURE]));
}

static enum rtdp_rc render_gauges(struct metrics *m, struct rtdp_buf *out)
{
	return rtdp_buf_addf(
	        out,
	        "# HELP rtdp_webhook_certificate_expiry_timestamp_seconds notAfter of the "
	        "certificate being served, in unix seconds.\n"
	        "# TYPE rtdp_webhook_certificate_expiry_timestamp_seconds gauge\n"
	        "rtdp_webhook_certificate_expiry_timestamp_seconds %" PRId64 "\n"
	        "# HELP rtdp_webhook_in_flight_requests Requests being received or answered.\n"
	        "# TYPE rtdp_webhook_in_flight_requests gauge\n"
	        "rtdp_webhook_in_flight_requests %" PRId64 "\n"
	        "# HELP rtdp_webhook_open_connections Open client connections.\n"
	        "# TYPE rtdp_webhook_open_connections gauge\n"
	        "rtdp_webhook_open_connections %" PRId64 "\n"
	        "# HELP rtdp_webhook_ready 1 when /readyz answers ready.\n"
	        "# TYPE rtdp_webhook_ready gauge\n"
	        "rtdp_webhook_ready %d\n"
	        "# HELP rtdp_webhook_build_info The running version.\n"
	        "# TYPE rtdp_webhook_build_info gauge\n"
	        "rtdp_webhook_build_info{version=\"%s\"} 1\n",
	        (int64_t)atomic_load(&m->cert_expiry), (int64_t)atomic_load(&m->in_flight),
	        (int64_t)atomic_load(&m->connections), atomic_load(&m->ready), RTDP_VERSION);
}

enum rtdp_rc metrics_render(struct metrics *m, struct rtdp_buf *out)
{
	enum rtdp_rc rc = render_requests(m, out);

	if (rc == RTDP_OK)
		rc = render_errors(m, out);
	if (rc == RTDP_OK)
		rc = render_latency(m, out);
	if (rc == RTDP_OK)
		rc = render_reloads(m, out);
	if (rc == RTDP_OK)
		rc = render_gauges(m, out);
	return rc;
}
