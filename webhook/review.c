#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review.h"
#include "review_findings.h"
#include "review_request.h"
#include "review_response.h"
#include "rtdp/banned.h"

/* clang-format off */
static const char *const decision_names[] = {
	[REVIEW_ALLOW] = "allow",
	[REVIEW_PATCH] = "patch",
	[REVIEW_WARN] = "warn",
	[REVIEW_DENY] = "deny",
	[REVIEW_INVALID] = "invalid",
};
/* clang-format on */

const char *review_decision_name(enum review_decision d)
{
	if ((unsigned)d >= sizeof(decision_names) / sizeof(decision_names[0]))
		return "invalid";
	return decision_names[d];
}

void review_outcome_init(struct review_outcome *o)
{
	memset(o, 0, sizeof(*o));
	o->http_status = 500;
}

void review_outcome_release(struct review_outcome *o)
{
	free(o->body);
	free(o->rules);
	free(o->patch);
	review_outcome_init(o);
}

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

static void copy_fields(struct review_outcome *out, const struct review_request *req)
{
	COPY(out->uid, req->uid);
	COPY(out->kind, req->kind);
	COPY(out->namespace, req->namespace);
	COPY(out->name, req->name);
	COPY(out->operation, req->operation);
	COPY(out->sub_resource, req->sub_resource);
	out->dry_run = req->dry_run;
}

static enum rtdp_rc answer_invalid(struct review_outcome *out, const char *why,
                                   struct rtdp_error *err)
{
	char message[RTDP_ERROR_MAX + 64];

	snprintf(message, sizeof(message), "invalid AdmissionReview: %s", why);
	COPY(out->error, why);
	out->decision = REVIEW_INVALID;
	out->http_status = 400;
	return review_response_invalid(message, &out->body, &out->body_len, err);
}

/* Whether the engine has anything to say: writes to an object, and the scale subresource. */
static bool reviewed(const struct review_request *req)
{
	if (req->op != REVIEW_OP_CREATE && req->op != REVIEW_OP_UPDATE)
		return false;
	return !*req->sub_resource || strcmp(req->sub_resource, "scale") == 0;
}

static enum rtdp_rc evaluate(const struct rtdp_policy *p, enum review_endpoint ep,
                             const struct review_request *req, struct review_outcome *out,
                             struct review_answer *a, struct rtdp_error *err)
{
	struct rtdp_eval_input in = {req->object, *req->namespace ? req->namespace : NULL, true};
	struct rtdp_verdict v;
	enum rtdp_rc rc;

	rtdp_verdict_init(&v);
	rc = rtdp_policy_eval(p, &in, &v, err);
	if (rc == RTDP_OK && v.in_scope) {
		if (ep == REVIEW_MUTATE)
			rc = review_findings_mutate(&v, a, out, err);
		else
			rc = review_findings_validate(&v, a, out, err);
	}
	rtdp_verdict_release(&v);
	return rc;
}

static enum rtdp_rc answer(const struct rtdp_policy *p, enum review_endpoint ep,
                           const struct review_request *req, struct review_outcome *out,
                           struct rtdp_error *err)
{
	struct review_answer a;
	enum rtdp_rc rc = RTDP_OK;

	review_answer_init(&a);
	a.allowed = true;
	out->decision = REVIEW_ALLOW;
	if (reviewed(req))
		rc = evaluate(p, ep, req, out, &a, err);
	if (rc == RTDP_OK) {
		a.rules = out->rules ? out->rules : "";
		rc = review_response_build(req->uid, &a, &out->body, &out->body_len, err);
	}
	if (rc == RTDP_OK)
		out->http_status = 200;
	review_answer_release(&a);
	return rc;
}

enum rtdp_rc review_handle(const struct rtdp_policy *p, enum review_endpoint ep, const char *body,
                           size_t len, struct review_outcome *out, struct rtdp_error *err)
{
	struct rtdp_error perr;
	struct review_request req;
	cJSON *root = NULL;
	enum rtdp_rc rc;

	rtdp_error_init(&perr);
	rc = review_request_parse(body, len, &root, &req, &perr);
	copy_fields(out, &req);
	if (rc == RTDP_ERR_PARSE || rc == RTDP_ERR_INVALID)
		rc = answer_invalid(out, perr.msg, err);
	else if (rc != RTDP_OK)
		rc = rtdp_error_set(err, rc, "%s", perr.msg);
	else
		rc = answer(p, ep, &req, out, err);
	cJSON_Delete(root);
	if (!out->rules && rc == RTDP_OK) {
		out->rules = calloc(1, 1);
		if (!out->rules)
			rc = rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	}
	return rc;
}
