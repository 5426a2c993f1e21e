#include <stdlib.h>
#include <string.h>

#include "review_response.h"
#include "rtdp/banned.h"

void review_answer_init(struct review_answer *a)
{
	memset(a, 0, sizeof(*a));
	a->decision = "allow";
	a->rules = "";
}

void review_answer_release(struct review_answer *a)
{
	free(a->patch_b64);
	cJSON_Delete(a->warnings);
	free(a->message);
	review_answer_init(a);
}

static enum rtdp_rc print(cJSON *doc, char **out, size_t *len, struct rtdp_error *err)
{
	*out = doc ? cJSON_PrintUnformatted(doc) : NULL;
	if (!*out)
		return rtdp_error_set(err, RTDP_ERR_NOMEM,
		                      "cannot build the answer: out of memory");
	*len = strlen(*out);
	return RTDP_OK;
}

static void add_status(cJSON *resp, const char *message)
{
	cJSON *status = cJSON_AddObjectToObject(resp, "status");

	cJSON_AddNumberToObject(status, "code", 403);
	cJSON_AddStringToObject(status, "reason", "Forbidden");
	cJSON_AddStringToObject(status, "message", message);
}

static void add_audit(cJSON *resp, const struct review_answer *a)
{
	cJSON *audit = cJSON_AddObjectToObject(resp, "auditAnnotations");

	cJSON_AddStringToObject(audit, "decision", a->decision);
	if (a->rules && *a->rules)
		cJSON_AddStringToObject(audit, "rules", a->rules);
}

/* The response object; NULL when out of memory (checked once, at print time). */
static cJSON *build_response(const char *uid, const struct review_answer *a)
{
	cJSON *resp = cJSON_CreateObject();

	cJSON_AddStringToObject(resp, "uid", uid);
	cJSON_AddBoolToObject(resp, "allowed", a->allowed);
	if (a->patch_b64) {
		cJSON_AddStringToObject(resp, "patchType", "JSONPatch");
		cJSON_AddStringToObject(resp, "patch", a->patch_b64);
	}
	if (!a->allowed && a->message)
		add_status(resp, a->message);
	if (a->warnings && cJSON_GetArraySize(a->warnings) > 0)
		cJSON_AddItemToObject(resp, "warnings", cJSON_Duplicate(a->warnings, 1));
	if (a->audit)
		add_audit(resp, a);
	return resp;
}

/* True when every node of doc was allocated: cJSON_Add* report failure by leaving nodes out. */
static bool complete(const cJSON *resp, const struct review_answer *a)
{
	size_t want = 2;

	want += a->patch_b64 ? 2 : 0;
	want += (!a->allowed && a->message) ? 1 : 0;
	want += (a->warnings && cJSON_GetArraySize(a->warnings) > 0) ? 1 : 0;
	want += a->audit ? 1 : 0;
	return resp && (size_t)cJSON_GetArraySize(resp) == want;
}

enum rtdp_rc review_response_build(const char *uid, const struct review_answer *a, char **out,
                                   size_t *len, struct rtdp_error *err)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *resp = build_response(uid, a);
	enum rtdp_rc rc;

	*out = NULL;
	if (!doc || !complete(resp, a)) {
		cJSON_Delete(resp);
		cJSON_Delete(doc);
		return rtdp_error_set(err, RTDP_ERR_NOMEM,
		                      "cannot build the answer: out of memory");
	}
	cJSON_AddStringToObject(doc, "apiVersion", "admission.k8s.io/v1");
	cJSON_AddStringToObject(doc, "kind", "AdmissionReview");
	if (!cJSON_AddItemToObject(doc, "response", resp)) {
		cJSON_Delete(resp);
		cJSON_Delete(doc);
		return rtdp_error_set(err, RTDP_ERR_NOMEM,
		                      "cannot build the answer: out of memory");
	}
	rc = print(doc, out, len, err);
	cJSON_Delete(doc);
	return rc;
}

enum rtdp_rc review_response_invalid(const char *message, char **out, size_t *len,
                                     struct rtdp_error *err)
{
	cJSON *doc = cJSON_CreateObject();
	enum rtdp_rc rc;

	cJSON_AddStringToObject(doc, "apiVersion", "v1");
	cJSON_AddStringToObject(doc, "kind", "Status");
	cJSON_AddObjectToObject(doc, "metadata");
	cJSON_AddStringToObject(doc, "status", "Failure");
	cJSON_AddStringToObject(doc, "message", message);
	cJSON_AddStringToObject(doc, "reason", "BadRequest");
	cJSON_AddNumberToObject(doc, "code", 400);
	rc = print(doc, out, len, err);
	cJSON_Delete(doc);
	return rc;
}
