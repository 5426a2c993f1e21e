/*
 * The objects of a pipeline, built from a few choices: a Namespace, and per
 * stage a Deployment, a Service and a PodDisruptionBudget, with probes,
 * resources and the recommended labels, so `kubectl rtdp validate` finds
 * nothing on them. The defaults reproduce the seed scenario.
 */
#ifndef RTDP_SCAFFOLD_H
#define RTDP_SCAFFOLD_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "rtdp/error.h"

#define SCAFFOLD_MAX_STAGES 16
#define SCAFFOLD_NAME_MAX 64
#define SCAFFOLD_IMAGE_MAX 256

#define SCAFFOLD_DEFAULT_PIPELINE "real-time-data-processing"
#define SCAFFOLD_DEFAULT_STAGE "controller"
#define SCAFFOLD_DEFAULT_IMAGE "registry.k8s.io/e2e-test-images/agnhost:2.53"
#define SCAFFOLD_DEFAULT_PORT 8080
#define SCAFFOLD_DEFAULT_REPLICAS 3

struct scaffold_stage {
	char name[SCAFFOLD_NAME_MAX];
	char image[SCAFFOLD_IMAGE_MAX]; /* "" means the default image (with its args) */
	int port;
	int replicas;
};

struct scaffold_spec {
	char pipeline[SCAFFOLD_NAME_MAX];
	char namespace[SCAFFOLD_NAME_MAX];
	struct scaffold_stage stages[SCAFFOLD_MAX_STAGES];
	size_t nstages;
};

/* The seed: pipeline real-time-data-processing, one stage "controller", 3 x 8080. */
void scaffold_spec_default(struct scaffold_spec *s);

/*
 * Checks names (DNS labels), images (pinned by a tag other than latest or by a
 * digest), ports and replicas. Returns RTDP_ERR_USAGE with a message naming the
 * offending value.
 */
enum rtdp_rc scaffold_spec_check(const struct scaffold_spec *s, struct rtdp_error *err);

/*
 * One object of the pipeline: its file name in a GitOps directory and the
 * object itself (owned by the set).
 */
struct scaffold_object {
	char file[SCAFFOLD_NAME_MAX + 32];
	cJSON *object;
};

struct scaffold_set {
	struct scaffold_object items[1 + 3 * SCAFFOLD_MAX_STAGES];
	size_t len;
};

/* Builds the objects, Namespace first. Fails only on out-of-memory. */
enum rtdp_rc scaffold_build(const struct scaffold_spec *s, struct scaffold_set *out,
                            struct rtdp_error *err);
void scaffold_set_release(struct scaffold_set *set);

/* The kustomization.yaml listing the set's files (owned by the caller). */
cJSON *scaffold_kustomization(const struct scaffold_set *set);

#endif
