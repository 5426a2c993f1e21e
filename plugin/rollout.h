/*
 * `kubectl rollout status` semantics for a Deployment, in kubectl's order:
 * the controller must have observed the latest generation; a Progressing
 * condition with reason ProgressDeadlineExceeded fails; then updated, old and
 * available replicas are waited for.
 */
#ifndef RTDP_PLUGIN_ROLLOUT_H
#define RTDP_PLUGIN_ROLLOUT_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "kube_client.h"

enum rollout_state { ROLLOUT_DONE, ROLLOUT_WAITING, ROLLOUT_FAILED };

/* The state of deployment (borrowed) and kubectl's one-line message for it, into msg. */
enum rollout_state rollout_check(const cJSON *deployment, char *msg, size_t n);

/*
 * Polls the Deployment at path (ns/name for messages) until it is rolled out,
 * has failed, or timeout_ms passes (0: no limit), printing each new waiting
 * message and the final one on stdout like kubectl. Returns 0 when rolled out,
 * -1 otherwise (the error printed on stderr).
 */
int rollout_wait(struct kube_client *client, const char *path, const char *name, long timeout_ms);

#endif
