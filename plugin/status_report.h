/*
 * The PipelineStatus document of `kubectl rtdp status` (apiVersion
 * rtdp.io/v1alpha1), built from the listed Deployments, Services and
 * EndpointSlices, and its text form as kubectl-like aligned tables.
 */
#ifndef RTDP_PLUGIN_STATUS_REPORT_H
#define RTDP_PLUGIN_STATUS_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "rtdp/error.h"

/* A new, empty document for pipeline name in ns into *out (the caller's). */
enum rtdp_rc status_doc_new(const char *name, const char *ns, cJSON **out, struct rtdp_error *err);

/* Adds a stage from a Deployment (borrowed). */
enum rtdp_rc status_add_stage(cJSON *doc, const cJSON *deploy, struct rtdp_error *err);

/* Adds a Service (borrowed) with the EndpointSlices (a List, borrowed) naming it. */
enum rtdp_rc status_add_service(cJSON *doc, const cJSON *svc, const cJSON *slices,
                                struct rtdp_error *err);

/* Sets status.ready: stages exist and each has available >= desired > 0. */
bool status_finish(cJSON *doc);

/* The text form: a stages table, a services table, the conditions. */
void status_print_text(FILE *out, const cJSON *doc);

#endif
