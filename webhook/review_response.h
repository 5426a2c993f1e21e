/* Building AdmissionReview v1 answers and the 400 Status body. Private to webhook/. */
#ifndef RTDP_WEBHOOK_REVIEW_RESPONSE_H
#define RTDP_WEBHOOK_REVIEW_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "rtdp/error.h"

struct review_answer {
	bool allowed;
	char *patch_b64; /* owned or NULL: sent with patchType JSONPatch */
	cJSON *warnings; /* owned array of clean strings, or NULL */
	char *message; /* owned deny message (one clean line), or NULL */
	const char *decision; /* static; auditAnnotations "decision" when audit */
	const char *rules; /* borrowed; auditAnnotations "rules" when audit and non-empty */
	bool audit;
};

void review_answer_init(struct review_answer *a);
void review_answer_release(struct review_answer *a);

/* The answer for uid as JSON text into *out (the caller's: free) and *len. */
enum rtdp_rc review_response_build(const char *uid, const struct review_answer *a, char **out,
                                   size_t *len, struct rtdp_error *err);

/* A v1 Status with code 400 carrying message, into *out (the caller's: free) and *len. */
enum rtdp_rc review_response_invalid(const char *message, char **out, size_t *len,
                                     struct rtdp_error *err);

#endif
