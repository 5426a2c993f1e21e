/* Turning the engine's verdict into an answer, per endpoint. Private to webhook/. */
#ifndef RTDP_WEBHOOK_REVIEW_FINDINGS_H
#define RTDP_WEBHOOK_REVIEW_FINDINGS_H

#include "review.h"
#include "review_response.h"
#include "rtdp/policy.h"

/*
 * /mutate: the patch (when non-empty) and a warning for each fixed finding;
 * never a denial. Sets out->decision, out->rules and out->patch.
 */
enum rtdp_rc review_findings_mutate(const struct rtdp_verdict *v, struct review_answer *a,
                                    struct review_outcome *out, struct rtdp_error *err);

/*
 * /validate: deny findings refuse, warn findings warn; never a patch. Sets
 * out->decision and out->rules.
 */
enum rtdp_rc review_findings_validate(const struct rtdp_verdict *v, struct review_answer *a,
                                      struct review_outcome *out, struct rtdp_error *err);

#endif
