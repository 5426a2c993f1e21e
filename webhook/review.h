/*
 * The pure AdmissionReview handler: JSON bytes in, JSON bytes out, no I/O.
 * It speaks admission.k8s.io/v1 as /work/shared/docs/ADMISSION.md describes.
 *
 * /mutate answers with the engine's JSON patch (base64, patchType JSONPatch,
 * only when non-empty) and one warning per fixed finding; it never denies.
 * /validate never patches: deny findings refuse (status 403 Forbidden with the
 * findings' messages joined by "; "), warn findings become warnings.
 * DELETE, CONNECT, subresources other than "scale", objects the engine finds
 * out of scope and exempt namespaces are allowed untouched. The handler has no
 * side effects, so dryRun requests get the same answer.
 */
#ifndef RTDP_WEBHOOK_REVIEW_H
#define RTDP_WEBHOOK_REVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "rtdp/error.h"
#include "rtdp/policy.h"

enum review_endpoint { REVIEW_MUTATE = 0, REVIEW_VALIDATE };

enum review_decision {
	REVIEW_ALLOW = 0, /* allowed, nothing to say */
	REVIEW_PATCH, /* allowed with a patch (/mutate) */
	REVIEW_WARN, /* allowed with warnings (/validate) */
	REVIEW_DENY, /* refused (/validate) */
	REVIEW_INVALID /* not a well-formed AdmissionReview v1: HTTP 400 */
};

#define REVIEW_WARNING_MAX 119 /* bytes in one warning (the apiserver cuts at 256) */
#define REVIEW_WARNINGS_MAX 30 /* warnings in one answer (the apiserver keeps 4096 bytes) */
#define REVIEW_MESSAGE_MAX 1024 /* bytes in a deny message */

struct review_outcome {
	unsigned http_status; /* 200, or 400 with a v1 Status body */
	char *body; /* owned, NUL-terminated JSON */
	size_t body_len;
	enum review_decision decision;
	bool dry_run;
	/* For logs and metrics, truncated copies ("" when absent or invalid). */
	char uid[128];
	char kind[64];
	char namespace[64];
	char name[254];
	char operation[16];
	char sub_resource[32];
	char *rules; /* owned: comma list of the reported findings' rule ids, maybe "" */
	char *patch; /* owned: the JSON patch sent, as text; NULL when none */
	size_t warnings; /* warnings sent */
	char error[256]; /* the reason of a 400, "" otherwise */
};

void review_outcome_init(struct review_outcome *o);
void review_outcome_release(struct review_outcome *o);

/*
 * Answers one AdmissionReview. body has len bytes, not NUL-terminated. p is
 * borrowed (shared, immutable). On RTDP_OK *out holds an answer to send, 200
 * or 400; any other code (out of memory) means no answer could be built.
 */
enum rtdp_rc review_handle(const struct rtdp_policy *p, enum review_endpoint ep, const char *body,
                           size_t len, struct review_outcome *out, struct rtdp_error *err);

/* "allow", "patch", "warn", "deny", "invalid". */
const char *review_decision_name(enum review_decision d);

#endif
