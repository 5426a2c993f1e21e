#include <stdlib.h>
#include <string.h>

#include "kube_client.h"
#include "kube_json.h"
#include "rtdp/banned.h"

/* Copies a string member; a missing or non-string one leaves *dst NULL. */
static enum rtdp_rc copy_str(char **dst, const cJSON *obj, const char *name, struct rtdp_error *err)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, name));

	return kube_dup(dst, s, err);
}

static enum rtdp_rc parse_causes(struct kube_status *st, const cJSON *details,
                                 struct rtdp_error *err)
{
	const cJSON *causes = cJSON_GetObjectItemCaseSensitive(details, "causes"), *item;
	int n = cJSON_GetArraySize(causes);
	enum rtdp_rc rc = RTDP_OK;
	struct kube_status_cause *c;

	if (!cJSON_IsArray(causes) || n == 0)
		return RTDP_OK;
	if (n > KUBE_MAX_CAUSES)
		n = KUBE_MAX_CAUSES;
	st->causes = calloc((size_t)n, sizeof(*st->causes));
	if (!st->causes)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	cJSON_ArrayForEach(item, causes)
	{
		if (st->ncauses == (size_t)n || rc != RTDP_OK)
			break;
		if (!cJSON_IsObject(item))
			continue;
		c = &st->causes[st->ncauses++];
		rc = copy_str(&c->reason, item, "reason", err);
		if (rc == RTDP_OK)
			rc = copy_str(&c->message, item, "message", err);
		if (rc == RTDP_OK)
			rc = copy_str(&c->field, item, "field", err);
	}
	return rc;
}

static enum rtdp_rc fill_status(struct kube_status *st, const cJSON *root, struct rtdp_error *err)
{
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(root, "code");
	enum rtdp_rc rc = copy_str(&st->status, root, "status", err);

	if (rc == RTDP_OK)
		rc = copy_str(&st->message, root, "message", err);
	if (rc == RTDP_OK)
		rc = copy_str(&st->reason, root, "reason", err);
	if (cJSON_IsNumber(code) && code->valuedouble >= 0 && code->valuedouble < 1000)
		st->code = (long)code->valuedouble;
	if (rc == RTDP_OK)
		rc = parse_causes(st, cJSON_GetObjectItemCaseSensitive(root, "details"), err);
	return rc;
}

enum rtdp_rc kube_status_parse(const char *body, size_t len, struct kube_status **out,
                               struct rtdp_error *err)
{
	cJSON *root = body && len ? cJSON_ParseWithLengthOpts(body, len, NULL, 0) : NULL;
	const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(root, "kind"));
	struct kube_status *st = NULL;
	enum rtdp_rc rc = RTDP_OK;

	*out = NULL;
	if (cJSON_IsObject(root) && kind && strcmp(kind, "Status") == 0) {
		st = calloc(1, sizeof(*st));
		rc = st ? fill_status(st, root, err)
		        : rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	}
	if (rc == RTDP_OK) {
		*out = st;
		st = NULL;
	}
	kube_status_free(st);
	cJSON_Delete(root);
	return rc;
}

void kube_status_free(struct kube_status *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->ncauses; i++) {
		free(st->causes[i].reason);
		free(st->causes[i].message);
		free(st->causes[i].field);
	}
	free(st->causes);
	free(st->status);
	free(st->message);
	free(st->reason);
	free(st);
}

void kube_response_init(struct kube_response *r)
{
	r->status = 0;
	r->body = NULL;
	r->body_len = 0;
	r->st = NULL;
}

void kube_response_release(struct kube_response *r)
{
	free(r->body);
	kube_status_free(r->st);
	kube_response_init(r);
}

void kube_http_response_init(struct kube_http_response *r, size_t max_body)
{
	r->status = 0;
	rtdp_buf_init(&r->body, max_body);
	r->retry_after_s = -1;
	r->content_type[0] = '\0';
}

void kube_http_response_release(struct kube_http_response *r)
{
	rtdp_buf_release(&r->body);
	kube_http_response_init(r, r->body.max);
}
