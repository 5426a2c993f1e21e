/*
 * libFuzzer harness for the webhook's pure AdmissionReview handler: any bytes
 * to both endpoints under the built-in policy. The answer must always be JSON
 * of the right shape (200 or 400), never a crash or a leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "review.h"
#include "rtdp/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rtdp_policy *policy(void)
{
	static struct rtdp_policy *p;
	struct rtdp_error err;

	if (!p) {
		rtdp_error_init(&err);
		if (rtdp_policy_default(&p, &err) != RTDP_OK)
			abort();
	}
	return p;
}

static void one(enum review_endpoint ep, const uint8_t *data, size_t size)
{
	struct review_outcome o;
	struct rtdp_error err;
	cJSON *doc;

	rtdp_error_init(&err);
	review_outcome_init(&o);
	if (review_handle(policy(), ep, (const char *)data, size, &o, &err) != RTDP_OK) {
		if (err.rc != RTDP_ERR_NOMEM)
			abort();
		return;
	}
	if (o.http_status != 200 && o.http_status != 400)
		abort();
	doc = cJSON_ParseWithLength(o.body, o.body_len);
	if (!doc || strlen(o.body) != o.body_len)
		abort();
	if (o.http_status == 200 && !cJSON_GetObjectItemCaseSensitive(doc, "response"))
		abort();
	if (ep == REVIEW_VALIDATE && strstr(o.body, "\"patchType\""))
		abort();
	cJSON_Delete(doc);
	review_outcome_release(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes, so reading past the input trips ASan. */
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	one(REVIEW_MUTATE, copy, size);
	one(REVIEW_VALIDATE, copy, size);
	free(copy);
	return 0;
}
