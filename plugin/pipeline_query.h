/*
 * What status and delete share: a pipeline's objects found by the label
 * rtdp.io/pipeline=NAME that scaffold puts on every object, and small GETs
 * whose answers are parsed into cJSON.
 */
#ifndef RTDP_PLUGIN_PIPELINE_QUERY_H
#define RTDP_PLUGIN_PIPELINE_QUERY_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "kube_client.h"
#include "kube_resource.h"
#include "rtdp/error.h"

#define PIPELINE_LABEL "rtdp.io/pipeline"
#define PIPELINE_PATH_MAX 1024

/* True when name is a DNS-1123 label (so it needs no URL encoding). */
bool pipeline_name_ok(const char *name);

/*
 * A command's one NAME argument into *slot (borrowed from argv): 0, or -1 with
 * the error printed when a NAME was already given.
 */
int pipeline_take_name(const char **slot, const char *cmd, const char *arg);

/* NAME was given and is a valid pipeline name: 0, or -1 with the error printed. */
int pipeline_check_name(const char *name, const char *cmd);

/*
 * GETs path and parses the answer into *out (the caller's: cJSON_Delete). A
 * 404 is RTDP_ERR_NOTFOUND with *out NULL.
 */
enum rtdp_rc pipeline_get_json(struct kube_client *c, const char *path, cJSON **out,
                               struct rtdp_error *err);

/*
 * Lists r's objects in ns carrying label=value (value a DNS label) into
 * *list (the caller's), a List whose "items" is always an array.
 */
enum rtdp_rc pipeline_list(struct kube_client *c, const struct kube_resource *r, const char *ns,
                           const char *label, const char *value, cJSON **list,
                           struct rtdp_error *err);

/* obj's string at the dotted path ("metadata.name"), or dflt. Borrowed. */
const char *pipeline_str(const cJSON *obj, const char *path, const char *dflt);

/* obj's number at the dotted path, or dflt. */
long pipeline_num(const cJSON *obj, const char *path, long dflt);

#endif
