#include <stdlib.h>
#include <string.h>

#include "review_findings.h"
#include "review_text.h"
#include "rtdp/base64.h"
#include "rtdp/buf.h"
#include "rtdp/banned.h"

#define JOIN_MAX (1u << 20)

static enum rtdp_rc nomem(struct rtdp_error *err)
{
	return rtdp_error_set(err, RTDP_ERR_NOMEM, "cannot build the answer: out of memory");
}

static bool want(const struct rtdp_finding *f, bool fixed_only)
{
	return !fixed_only || f->fixed;
}

/* The unique rule ids of the findings (only the fixed ones when fixed_only), comma-joined. */
static enum rtdp_rc join_rules(const struct rtdp_verdict *v, bool fixed_only, char **out,
                               struct rtdp_error *err)
{
	struct rtdp_buf b;
	size_t i, j;
	enum rtdp_rc rc = RTDP_OK;

	rtdp_buf_init(&b, JOIN_MAX);
	for (i = 0; rc == RTDP_OK && i < v->len; i++) {
		bool seen = false;

		if (!want(&v->findings[i], fixed_only))
			continue;
		for (j = 0; j < i && !seen; j++)
			seen = want(&v->findings[j], fixed_only) &&
			       strcmp(v->findings[j].rule, v->findings[i].rule) == 0;
		if (!seen)
			rc = rtdp_buf_addf(&b, "%s%s", b.len ? "," : "", v->findings[i].rule);
	}
	*out = rc == RTDP_OK ? rtdp_buf_detach(&b, NULL) : NULL;
	rtdp_buf_release(&b);
	return *out ? RTDP_OK : nomem(err);
}

static enum rtdp_rc add_warning(cJSON *warnings, const char *prefix, const char *message,
                                struct rtdp_error *err)
{
	struct rtdp_buf b;
	char *clean = NULL;
	enum rtdp_rc rc;

	if (cJSON_GetArraySize(warnings) >= REVIEW_WARNINGS_MAX)
		return RTDP_OK;
	rtdp_buf_init(&b, JOIN_MAX);
	rc = rtdp_buf_addf(&b, "%s%s", prefix, message ? message : "");
	if (rc == RTDP_OK)
		clean = review_clean_text(b.data, b.len, REVIEW_WARNING_MAX);
	if (!clean || !cJSON_AddItemToArray(warnings, cJSON_CreateString(clean)))
		rc = RTDP_ERR_NOMEM;
	free(clean);
	rtdp_buf_release(&b);
	return rc == RTDP_OK ? RTDP_OK : nomem(err);
}

static enum rtdp_rc set_patch(const cJSON *patch, struct review_answer *a,
                              struct review_outcome *out, struct rtdp_error *err)
{
	out->patch = cJSON_PrintUnformatted(patch);
	if (!out->patch)
		return nomem(err);
	a->patch_b64 = rtdp_base64_encode(out->patch, strlen(out->patch));
	return a->patch_b64 ? RTDP_OK : nomem(err);
}

enum rtdp_rc review_findings_mutate(const struct rtdp_verdict *v, struct review_answer *a,
                                    struct review_outcome *out, struct rtdp_error *err)
{
	size_t i;
	enum rtdp_rc rc = RTDP_OK;

	a->audit = true;
	if (!cJSON_IsArray(v->patch) || cJSON_GetArraySize(v->patch) == 0)
		return join_rules(v, true, &out->rules, err);
	out->decision = REVIEW_PATCH;
	a->decision = "patch";
	a->warnings = cJSON_CreateArray();
	if (!a->warnings)
		return nomem(err);
	rc = set_patch(v->patch, a, out, err);
	for (i = 0; rc == RTDP_OK && i < v->len; i++) {
		if (v->findings[i].fixed)
			rc = add_warning(a->warnings, "fixed: ", v->findings[i].message, err);
	}
	if (rc == RTDP_OK)
		rc = join_rules(v, true, &out->rules, err);
	if (rc == RTDP_OK)
		out->warnings = (size_t)cJSON_GetArraySize(a->warnings);
	return rc;
}

/* The deny findings' messages joined by "; ", cleaned to one line. */
static enum rtdp_rc deny_message(const struct rtdp_verdict *v, char **out, struct rtdp_error *err)
{
	struct rtdp_buf b;
	size_t i;
	enum rtdp_rc rc = RTDP_OK;

	*out = NULL;
	rtdp_buf_init(&b, JOIN_MAX);
	for (i = 0; rc == RTDP_OK && i < v->len; i++) {
		const struct rtdp_finding *f = &v->findings[i];

		if (f->action == RTDP_ACTION_DENY)
			rc = rtdp_buf_addf(&b, "%s%s", b.len ? "; " : "",
			                   f->message ? f->message : f->rule);
	}
	if (rc == RTDP_OK || rc == RTDP_ERR_LIMIT)
		*out = review_clean_text(b.data ? b.data : "", b.len, REVIEW_MESSAGE_MAX);
	rtdp_buf_release(&b);
	return *out ? RTDP_OK : nomem(err);
}

static enum rtdp_rc validate_warnings(const struct rtdp_verdict *v, struct review_answer *a,
                                      struct rtdp_error *err)
{
	size_t i;
	enum rtdp_rc rc = RTDP_OK;

	a->warnings = cJSON_CreateArray();
	if (!a->warnings)
		return nomem(err);
	for (i = 0; rc == RTDP_OK && i < v->len; i++) {
		if (v->findings[i].action == RTDP_ACTION_WARN)
			rc = add_warning(a->warnings, "", v->findings[i].message, err);
	}
	return rc;
}

enum rtdp_rc review_findings_validate(const struct rtdp_verdict *v, struct review_answer *a,
                                      struct review_outcome *out, struct rtdp_error *err)
{
	enum rtdp_rc rc;

	a->audit = true;
	rc = validate_warnings(v, a, err);
	if (rc == RTDP_OK && rtdp_verdict_count(v, RTDP_ACTION_DENY) > 0) {
		a->allowed = false;
		a->decision = "deny";
		out->decision = REVIEW_DENY;
		rc = deny_message(v, &a->message, err);
	} else if (rc == RTDP_OK && cJSON_GetArraySize(a->warnings) > 0) {
		a->decision = "warn";
		out->decision = REVIEW_WARN;
	}
	if (rc == RTDP_OK)
		rc = join_rules(v, false, &out->rules, err);
	if (rc == RTDP_OK)
		out->warnings = (size_t)cJSON_GetArraySize(a->warnings);
	return rc;
}
