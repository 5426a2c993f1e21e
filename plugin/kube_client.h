/*
 * A Kubernetes API client over a kube_transport (libcurl by default):
 * credentials from the kube_config (bearer token, re-read token file, exec
 * plugin with its cache, client certificate, basic auth), impersonation
 * headers, per-request timeouts, bounded retries, and the apiserver's Status
 * turned into errors.
 *
 * Retries: a 429 or 503 answer is retried (any method: the request was not
 * processed), waiting Retry-After seconds when given, else an exponential
 * backoff; a connection reset or an answer cut short is retried for
 * idempotent requests (everything but POST). Each wait is capped at
 * backoff_max_ms and there are at most max_retries retries. A 401 while an
 * exec plugin supplies the credential runs the plugin once more and repeats
 * the request once.
 *
 * Credentials are only sent over https, or over http to a loopback address
 * (kubectl sends none over http).
 */
#ifndef RTDP_PLUGIN_KUBE_CLIENT_H
#define RTDP_PLUGIN_KUBE_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "kube_transport.h"
#include "kubeconfig.h"
#include "rtdp/error.h"

#define KUBE_MAX_BODY (64u << 20) /* bytes of one answer */
#define KUBE_MAX_CAUSES 1000

struct kube_status_cause {
	char *reason; /* owned; e.g. "FieldManagerConflict"; may be NULL */
	char *message; /* owned; e.g. "conflict with \"kubectl\" using apps/v1"; may be NULL */
	char *field; /* owned; e.g. ".spec.replicas"; may be NULL */
};

/* A meta/v1 Status, as the apiserver sends with errors. */
struct kube_status {
	char *status; /* owned; "Failure"; may be NULL */
	char *message; /* owned; shown verbatim; may be NULL */
	char *reason; /* owned; "Conflict", "NotFound", ...; may be NULL */
	long code; /* 0 when absent */
	struct kube_status_cause *causes; /* owned array; details.causes[] */
	size_t ncauses;
};

/*
 * Parses body (len bytes, not necessarily NUL-terminated) as a Status into
 * *out (kube_status_free). Anything that is not a JSON object with kind
 * "Status" gives *out = NULL and RTDP_OK; only memory exhaustion fails.
 */
enum rtdp_rc kube_status_parse(const char *body, size_t len, struct kube_status **out,
                               struct rtdp_error *err);
/* NULL is a no-op. */
void kube_status_free(struct kube_status *st);

struct kube_response {
	long status; /* HTTP status; 0 when no answer was read */
	char *body; /* owned, NUL-terminated; NULL when no answer */
	size_t body_len;
	struct kube_status *st; /* owned; the parsed Status of an answer >= 400, or NULL */
};

void kube_response_init(struct kube_response *r);
/* Frees the contents; r is empty after. */
void kube_response_release(struct kube_response *r);

struct kube_client_options {
	struct kube_transport transport; /* perform NULL: libcurl; else the client takes it over */
	int max_retries; /* retries after the first attempt; default 5 */
	long backoff_base_ms; /* first wait without Retry-After; default 500, doubled each time */
	long backoff_max_ms; /* cap of every wait, Retry-After included; default 10000 */
	long connect_timeout_ms; /* default 30000 */
	size_t max_body; /* default KUBE_MAX_BODY */
	void (*sleep_ms)(void *ctx, long ms); /* NULL: nanosleep; tests record the waits */
	void *sleep_ctx;
	int stdin_tty; /* for exec plugins: -1 asks isatty(0); 0 or 1 forced */
	const char *user_agent; /* borrowed; NULL: "kubectl-rtdp/<version>" */
};

/* The defaults. Cannot fail. */
void kube_client_options_init(struct kube_client_options *o);

struct kube_client_stats {
	unsigned requests; /* kube_request calls */
	unsigned attempts; /* transport performs */
	unsigned retries; /* attempts repeated after a 429, 503 or a dropped connection */
	unsigned exec_runs; /* exec plugin runs */
};

struct kube_client;

/*
 * Makes a client for cfg (borrowed: it must outlive the client) into *out
 * (kube_client_free). opts may be NULL (defaults). On failure a transport in
 * opts is destroyed all the same.
 */
enum rtdp_rc kube_client_new(const struct kube_config *cfg, const struct kube_client_options *opts,
                             struct kube_client **out, struct rtdp_error *err);
/* NULL is a no-op. Destroys the transport and wipes cached credentials. */
void kube_client_free(struct kube_client *c);

const struct kube_client_stats *kube_client_stats(const struct kube_client *c);

/*
 * Sends method path_and_query ("/api/v1/namespaces?limit=1", appended to the
 * server URL) with body (body_len bytes; NULL when 0) of content_type (NULL
 * when no body). out is initialised here and holds the last answer whatever
 * the result; release it. An answer >= 400 is an error whose message is
 * "the server answered 409 Conflict: <Status.message>" with out->st
 * available: 409 is RTDP_ERR_CONFLICT, 404 RTDP_ERR_NOTFOUND, 422
 * RTDP_ERR_INVALID, others RTDP_ERR_HTTP. Transport failures are
 * RTDP_ERR_TIMEOUT, RTDP_ERR_TLS, RTDP_ERR_LIMIT or RTDP_ERR_HTTP, and exec
 * plugin failures keep their codes.
 */
enum rtdp_rc kube_request(struct kube_client *c, const char *method, const char *path_and_query,
                          const char *content_type, const char *body, size_t body_len,
                          struct kube_response *out, struct rtdp_error *err);

/* GET path_and_query. */
enum rtdp_rc kube_get(struct kube_client *c, const char *path_and_query, struct kube_response *out,
                      struct rtdp_error *err);

struct kube_apply_options {
	const char *field_manager; /* required, e.g. "kubectl-rtdp" */
	bool force; /* force=true: take over conflicting fields */
	bool dry_run; /* dryRun=All */
	bool strict; /* fieldValidation=Strict */
};

/*
 * Server-side apply: PATCH object_path?fieldManager=..[&force=true][&dryRun=All]
 * with Content-Type application/apply-patch+yaml (JSON is valid YAML).
 * object_path is the object's URL path (kube_object_url). A 409 is
 * RTDP_ERR_CONFLICT with out->st->causes listing the conflicting fields.
 */
enum rtdp_rc kube_apply(struct kube_client *c, const char *object_path, const char *body,
                        size_t body_len, const struct kube_apply_options *opts,
                        struct kube_response *out, struct rtdp_error *err);

/*
 * DELETE object_path, with propagationPolicy (NULL: the server's default;
 * "Background", "Foreground", "Orphan") and dryRun=All when dry_run (in the
 * query, and in the DeleteOptions body when there is one, since the apiserver
 * then reads the options from the body only).
 */
enum rtdp_rc kube_delete(struct kube_client *c, const char *object_path, const char *propagation,
                         bool dry_run, struct kube_response *out, struct rtdp_error *err);

#endif
