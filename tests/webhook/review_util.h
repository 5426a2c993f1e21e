/* Helpers shared by the webhook's handler tests. */
#ifndef RTDP_TEST_REVIEW_UTIL_H
#define RTDP_TEST_REVIEW_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "review.h"
#include "rtdp/policy.h"

/* A whole file into a new NUL-terminated buffer (free), or NULL. */
char *tu_read(const char *path, size_t *len);
/* Writes len bytes to path; 0 on success. */
int tu_write(const char *path, const char *data, size_t len);

/* Decodes standard base64 (free), or NULL when malformed. */
unsigned char *tu_base64_decode(const char *s, size_t *len);

/* An AdmissionReview v1 request (free): op, namespace, subResource ("" for none), object JSON (or "null"). */
char *tu_review(const char *uid, const char *op, const char *ns, const char *sub, const char *kind,
                const char *object, bool dry_run);

/* Runs the handler; the answer's JSON parsed (cJSON_Delete), NULL when it does not parse. */
cJSON *tu_handle(const struct rtdp_policy *p, enum review_endpoint ep, const char *body,
                 struct review_outcome *o);

/* response.patch decoded and parsed (cJSON_Delete), NULL when absent. */
cJSON *tu_patch(const cJSON *answer);

/* The built-in policy, or one parsed from YAML text; fails the test otherwise. */
struct rtdp_policy *tu_policy(const char *yaml);

#endif
