/* POST /mutate and /validate: the pure handler over the published policy, then metrics and a log line. */
#include <stdlib.h>
#include <string.h>

#include "http_internal.h"
#include "review.h"
#include "wlog.h"
#include "rtdp/banned.h"

/* The comma list of rule ids as a JSON array. */
static cJSON *rules_array(const char *rules)
{
	cJSON *arr = cJSON_CreateArray();
	const char *p = rules;

	while (arr && p && *p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char id[128];

		snprintf(id, sizeof(id), "%.*s", (int)len, p);
		cJSON_AddItemToArray(arr, cJSON_CreateString(id));
		p = comma ? comma + 1 : NULL;
	}
	return arr;
}

static void log_review(struct MHD_Connection *c, const struct request *r,
                       const struct review_outcome *o, double seconds)
{
	cJSON *f;

	if (!wlog_enabled(WLOG_INFO))
		return;
	f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "endpoint", metrics_endpoint_name(r->ep));
	cJSON_AddStringToObject(f, "uid", o->uid);
	cJSON_AddStringToObject(f, "kind", o->kind);
	cJSON_AddStringToObject(f, "namespace", o->namespace);
	cJSON_AddStringToObject(f, "name", o->name);
	cJSON_AddStringToObject(f, "operation", o->operation);
	if (*o->sub_resource)
		cJSON_AddStringToObject(f, "subresource", o->sub_resource);
	cJSON_AddBoolToObject(f, "dry_run", o->dry_run);
	cJSON_AddStringToObject(f, "decision", review_decision_name(o->decision));
	cJSON_AddItemToObject(f, "rules", rules_array(o->rules));
	cJSON_AddNumberToObject(f, "warnings", (double)o->warnings);
	cJSON_AddNumberToObject(f, "status", o->http_status);
	cJSON_AddNumberToObject(f, "latency_ms", seconds * 1000.0);
	if (*o->error)
		cJSON_AddStringToObject(f, "error", o->error);
	if (wlog_enabled(WLOG_DEBUG)) {
		char remote[64];

		http_remote(c, remote, sizeof(remote));
		cJSON_AddStringToObject(f, "remote", remote);
		if (o->patch)
			cJSON_AddStringToObject(f, "patch", o->patch);
	}
	wlog_event(o->http_status == 200 ? WLOG_INFO : WLOG_WARN, "admission review", f);
}

enum MHD_Result reply_admission(struct server *s, struct MHD_Connection *c, const struct request *r)
{
	enum review_endpoint ep = r->ep == METRICS_EP_MUTATE ? REVIEW_MUTATE : REVIEW_VALIDATE;
	struct snapshot_ref *policy = snapshot_acquire(&s->policy);
	struct review_outcome o;
	struct rtdp_error err;
	enum MHD_Result ret;
	enum rtdp_rc rc;
	double seconds;

	if (!policy)
		return reply_error(s, c, r, 503, "no policy loaded", NULL);
	review_outcome_init(&o);
	rtdp_error_init(&err);
	rc = review_handle(snapshot_get(policy), ep, r->body.data ? r->body.data : "", r->body.len,
	                   &o, &err);
	snapshot_put(policy);
	if (rc != RTDP_OK) {
		wlog(WLOG_ERROR, "cannot answer an admission review: %s", err.msg);
		review_outcome_release(&o);
		return reply_error(s, c, r, 500, "cannot answer: internal error", NULL);
	}
	seconds = request_seconds(r);
	metrics_admission(s->metrics, r->ep, o.kind, o.operation, review_decision_name(o.decision),
	                  seconds);
	if (o.http_status >= 400)
		metrics_http_error(s->metrics, r->ep, o.http_status);
	log_review(c, r, &o, seconds);
	ret = reply(s, c, o.http_status, o.body, o.body_len, "application/json", NULL);
	o.body = NULL; /* reply() took it */
	review_outcome_release(&o);
	return ret;
}
