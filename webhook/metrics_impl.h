/* The layout of struct metrics, shared by metrics.c (updates) and metrics_render.c only. */
#ifndef RTDP_WEBHOOK_METRICS_IMPL_H
#define RTDP_WEBHOOK_METRICS_IMPL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "metrics.h"

#define METRICS_LABEL_MAX 64 /* a label value and its NUL */
#define METRICS_SERIES_MAX 256
#define METRICS_SERIES_RESERVED 32 /* kept for the "other" fold */
#define METRICS_BUCKETS 8
#define METRICS_STATUSES 8

/* The apiserver's own admission histogram buckets, in seconds. */
extern const double metrics_buckets[METRICS_BUCKETS];
/* The HTTP error statuses counted one by one; anything else counts as the last. */
extern const unsigned metrics_statuses[METRICS_STATUSES];

struct metrics_series {
	enum metrics_endpoint ep;
	char kind[METRICS_LABEL_MAX];
	char operation[METRICS_LABEL_MAX];
	char decision[METRICS_LABEL_MAX];
	uint64_t count;
};

struct metrics_histogram {
	atomic_uint_least64_t buckets[METRICS_BUCKETS + 1]; /* per bucket; the last is +Inf */
	atomic_uint_least64_t count;
	atomic_uint_least64_t sum_ns;
};

struct metrics {
	pthread_mutex_t lock; /* guards series and nseries */
	struct metrics_series series[METRICS_SERIES_MAX];
	size_t nseries;
	struct metrics_histogram latency[2]; /* mutate, validate */
	atomic_uint_least64_t http_errors[METRICS_EP_COUNT][METRICS_STATUSES];
	atomic_uint_least64_t policy_reloads[METRICS_RESULT_COUNT];
	atomic_uint_least64_t cert_reloads[METRICS_RESULT_COUNT];
	atomic_int_least64_t cert_expiry;
	atomic_int_least64_t in_flight;
	atomic_int_least64_t connections;
	atomic_int ready;
};

#endif
