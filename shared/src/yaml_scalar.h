/*
 * YAML plain-scalar resolution as kubectl does it (sigs.k8s.io/yaml over
 * go-yaml v2, YAML 1.1 rules): null, booleans (true/yes/on/y and their
 * opposites), integers (decimal, 0x, 0o, 0b, leading-0 octal, underscores),
 * floats; anything else is a string. Private to shared/.
 */
#ifndef RTDP_YAML_SCALAR_H
#define RTDP_YAML_SCALAR_H

#include <stddef.h>

#include <cjson/cJSON.h>

enum yaml_scalar_kind {
	YAML_SCALAR_STRING,
	YAML_SCALAR_NULL,
	YAML_SCALAR_BOOL,
	YAML_SCALAR_INT,
	YAML_SCALAR_FLOAT,
	YAML_SCALAR_NOT_JSON /* .inf and .nan: valid YAML, no JSON form */
};

/*
 * Classifies the plain scalar s (len bytes, not NUL-terminated). *number gets
 * the value of INT and FLOAT, *truth of BOOL.
 */
enum yaml_scalar_kind yaml_scalar_resolve(const char *s, size_t len, double *number, int *truth);

/*
 * A new cJSON node for s under an explicit tag ("tag:yaml.org,2002:int"...),
 * or NULL when s is not of that type. The caller owns the result.
 */
cJSON *yaml_scalar_tagged(const char *tag, const char *s, size_t len, int *bad_tag);

#endif
