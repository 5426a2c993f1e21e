/*
 * JSON pointers (RFC 6901) built segment by segment, and their Kubernetes
 * field-path spelling for messages. Private to shared/.
 */
#ifndef RTDP_JSON_PATH_H
#define RTDP_JSON_PATH_H

#include <stddef.h>

#include <cjson/cJSON.h>

#define JPATH_MAX 1024

/* A pointer under construction; always NUL-terminated, "" is the root. */
struct jpath {
	char ptr[JPATH_MAX];
	size_t len;
};

void jpath_init(struct jpath *p);
/* Appends "/" and the escaped key (~ as ~0, / as ~1). Returns the old length, for jpath_pop. */
size_t jpath_push(struct jpath *p, const char *key);
size_t jpath_push_index(struct jpath *p, int index);
void jpath_pop(struct jpath *p, size_t old_len);

/*
 * The node at pointer (NULL when absent or malformed). With deepest != NULL it
 * receives the deepest node that exists along the way (root at least).
 */
const cJSON *json_pointer_get(const cJSON *root, const char *pointer, const cJSON **deepest);

/*
 * Writes the field path of pointer into out ("spec.template.spec.containers[0].image",
 * "metadata.labels[app.kubernetes.io/name]"); truncates to n bytes.
 */
void json_pointer_to_field_path(const char *pointer, char *out, size_t n);

#endif
