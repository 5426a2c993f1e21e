#include <stdlib.h>
#include <string.h>

#include "metrics_impl.h"
#include "rtdp/banned.h"

const double metrics_buckets[METRICS_BUCKETS] = {0.005, 0.025, 0.1, 0.5, 1, 2.5, 10, 25};
const unsigned metrics_statuses[METRICS_STATUSES] = {400, 404, 405, 413, 415, 500, 503, 0};

/* clang-format off */
static const char *const endpoint_names[METRICS_EP_COUNT] = {
	[METRICS_EP_MUTATE] = "mutate",
	[METRICS_EP_VALIDATE] = "validate",
	[METRICS_EP_HEALTHZ] = "healthz",
	[METRICS_EP_READYZ] = "readyz",
	[METRICS_EP_METRICS] = "metrics",
	[METRICS_EP_OTHER] = "other",
};
/* clang-format on */

enum rtdp_rc metrics_new(struct metrics **out, struct rtdp_error *err)
{
	struct metrics *m = calloc(1, sizeof(*m));

	*out = NULL;
	if (!m)
		return rtdp_error_set(err, RTDP_ERR_NOMEM,
		                      "cannot allocate metrics: out of memory");
	pthread_mutex_init(&m->lock, NULL);
	*out = m;
	return RTDP_OK;
}

void metrics_free(struct metrics *m)
{
	if (!m)
		return;
	pthread_mutex_destroy(&m->lock);
	free(m);
}

const char *metrics_endpoint_name(enum metrics_endpoint ep)
{
	if ((unsigned)ep >= METRICS_EP_COUNT)
		return "other";
	return endpoint_names[ep];
}

/* Copies value into out when it is a tame label value, else "other" (or "none" when empty). */
static void label_value(char out[METRICS_LABEL_MAX], const char *value)
{
	size_t i, len = value ? strlen(value) : 0;

	if (len == 0) {
		memcpy(out, "none", 5);
		return;
	}
	for (i = 0; i < len; i++) {
		char c = value[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';

		if (!ok || i >= METRICS_LABEL_MAX - 1) {
			memcpy(out, "other", 6);
			return;
		}
	}
	memcpy(out, value, len + 1);
}

/* The series for key, added when missing and fewer than limit exist; NULL otherwise. */
static struct metrics_series *find_series(struct metrics *m, const struct metrics_series *key,
                                          size_t limit)
{
	size_t i;

	for (i = 0; i < m->nseries; i++) {
		struct metrics_series *s = &m->series[i];

		if (s->ep == key->ep && strcmp(s->kind, key->kind) == 0 &&
		    strcmp(s->operation, key->operation) == 0 &&
		    strcmp(s->decision, key->decision) == 0)
			return s;
	}
	if (m->nseries >= limit)
		return NULL;
	m->series[m->nseries] = *key;
	m->series[m->nseries].count = 0;
	return &m->series[m->nseries++];
}

/* Counts key; when the table is nearly full, under kind and operation "other" (slots reserved). */
static void count_series(struct metrics *m, struct metrics_series *key)
{
	struct metrics_series *s;

	pthread_mutex_lock(&m->lock);
	s = find_series(m, key, METRICS_SERIES_MAX - METRICS_SERIES_RESERVED);
	if (!s) {
		memcpy(key->kind, "other", 6);
		memcpy(key->operation, "other", 6);
		s = find_series(m, key, METRICS_SERIES_MAX);
	}
	if (s)
		s->count++;
	pthread_mutex_unlock(&m->lock);
}

static void observe(struct metrics_histogram *h, double seconds)
{
	size_t i = 0;

	while (i < METRICS_BUCKETS && seconds > metrics_buckets[i])
		i++;
	atomic_fetch_add(&h->buckets[i], 1);
	atomic_fetch_add(&h->count, 1);
	atomic_fetch_add(&h->sum_ns, (uint_least64_t)(seconds * 1e9));
}

void metrics_admission(struct metrics *m, enum metrics_endpoint ep, const char *kind,
                       const char *operation, const char *decision, double seconds)
{
	struct metrics_series key;

	key.ep = ep;
	label_value(key.kind, kind);
	label_value(key.operation, operation);
	label_value(key.decision, decision);
	count_series(m, &key);
	if (ep == METRICS_EP_MUTATE || ep == METRICS_EP_VALIDATE)
		observe(&m->latency[ep], seconds < 0 ? 0 : seconds);
}

void metrics_http_error(struct metrics *m, enum metrics_endpoint ep, unsigned status)
{
	size_t i = 0;

	if ((unsigned)ep >= METRICS_EP_COUNT)
		ep = METRICS_EP_OTHER;
	while (i < METRICS_STATUSES - 1 && metrics_statuses[i] != status)
		i++;
	atomic_fetch_add(&m->http_errors[ep][i], 1);
}

void metrics_policy_reload(struct metrics *m, enum metrics_result r)
{
	atomic_fetch_add(&m->policy_reloads[r], 1);
}

void metrics_cert_reload(struct metrics *m, enum metrics_result r)
{
	atomic_fetch_add(&m->cert_reloads[r], 1);
}

void metrics_cert_expiry(struct metrics *m, time_t not_after)
{
	atomic_store(&m->cert_expiry, (int_least64_t)not_after);
}

void metrics_in_flight(struct metrics *m, int delta)
{
	atomic_fetch_add(&m->in_flight, delta);
}

void metrics_connections(struct metrics *m, int delta)
{
	atomic_fetch_add(&m->connections, delta);
}

void metrics_set_ready(struct metrics *m, bool ready)
{
	atomic_store(&m->ready, ready ? 1 : 0);
}

uint64_t metrics_policy_reloads(struct metrics *m, enum metrics_result r)
{
	return atomic_load(&m->policy_reloads[r]);
}

int64_t metrics_in_flight_now(struct metrics *m)
{
	return atomic_load(&m->in_flight);
}

int64_t metrics_connections_now(struct metrics *m)
{
	return atomic_load(&m->connections);
}
