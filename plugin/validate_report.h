/*
 * Printing the findings of `kubectl rtdp validate`: one text line per finding,
 * or one JSON document for tools (with each object's patch).
 */
#ifndef RTDP_VALIDATE_REPORT_H
#define RTDP_VALIDATE_REPORT_H

#include <stdio.h>

#include "rtdp/manifest.h"
#include "rtdp/policy.h"

struct validate_summary {
	size_t objects, in_scope, denied, warned, fixable;
};

/* Counts what verdicts (one per object of set) hold. */
void validate_summarize(const struct rtdp_object_set *set, const struct rtdp_verdict *verdicts,
                        struct validate_summary *sum);

/* Prints "file:line: Kind ns/name: rule (action): message [fix]" lines and a summary line. */
void validate_print_text(FILE *out, const struct rtdp_object_set *set,
                         const struct rtdp_verdict *verdicts, const struct validate_summary *sum);

/*
 * Prints a rtdp.io/v1alpha1 ValidationReport. Returns 0, or -1 when out of
 * memory (nothing printed).
 */
int validate_print_json(FILE *out, const struct rtdp_object_set *set,
                        const struct rtdp_verdict *verdicts, const struct validate_summary *sum);

#endif
