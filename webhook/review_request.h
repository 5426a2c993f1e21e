/* Parsing and checking an AdmissionReview v1 request. Private to webhook/. */
#ifndef RTDP_WEBHOOK_REVIEW_REQUEST_H
#define RTDP_WEBHOOK_REVIEW_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "rtdp/error.h"

enum review_op { REVIEW_OP_CREATE = 0, REVIEW_OP_UPDATE, REVIEW_OP_DELETE, REVIEW_OP_CONNECT };

/* Every pointer is borrowed from the parsed document. */
struct review_request {
	const char *uid; /* non-empty */
	const char *kind; /* request.kind.kind */
	enum review_op op;
	const char *operation; /* its name */
	const char *namespace; /* "" when absent */
	const char *name; /* request.name, else object.metadata.name, else "" */
	const char *sub_resource; /* "" when absent */
	bool dry_run;
	const cJSON *object; /* an object on CREATE and UPDATE; may be NULL otherwise */
};

/*
 * Parses body (len bytes, not NUL-terminated) into *root (the caller's:
 * cJSON_Delete, also set when the checks fail) and fills *req. RTDP_ERR_PARSE
 * (with the byte offset) and RTDP_ERR_INVALID (naming the field) mean a bad
 * request; RTDP_ERR_NOMEM that none could be checked.
 */
enum rtdp_rc review_request_parse(const char *body, size_t len, cJSON **root,
                                  struct review_request *req, struct rtdp_error *err);

#endif
