/*
 * The policy file: YAML, apiVersion rtdp.io/v1alpha1, kind Policy. Strict:
 * unknown fields and wrong types are errors naming the field.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rtdp/io.h"
#include "rtdp/manifest.h"
#include "rtdp/version.h"
#include "policy_model.h"
#include "quantity.h"
#include "rtdp/banned.h"

#define POLICY_MAX_BYTES (1u << 20)

static enum rtdp_rc bad(struct rtdp_error *err, const char *field, const char *what)
{
	return rtdp_error_set(err, RTDP_ERR_INVALID, "%s: %s", field, what);
}

/* Every key of obj is one of allowed (NULL-terminated). */
static enum rtdp_rc known_keys(const cJSON *obj, const char *field, const char *const *allowed,
                               struct rtdp_error *err)
{
	const cJSON *k;
	const char *const *a;

	for (k = obj->child; k; k = k->next) {
		for (a = allowed; *a && strcmp(*a, k->string) != 0; a++)
			;
		if (!*a)
			return rtdp_error_set(err, RTDP_ERR_INVALID, "%s%s%s: unknown field", field,
			                      *field ? "." : "", k->string);
	}
	return RTDP_OK;
}

static enum rtdp_rc get_map(const cJSON *parent, const char *key, const char *field,
                            const cJSON **out, struct rtdp_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(parent, key);

	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return RTDP_OK;
	if (!cJSON_IsObject(v))
		return bad(err, field, "must be a mapping");
	*out = v;
	return RTDP_OK;
}

static enum rtdp_rc get_string(const cJSON *parent, const char *key, const char *field, char **dst,
                               struct rtdp_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(parent, key);
	char *copy;

	if (!v)
		return RTDP_OK;
	if (!cJSON_IsString(v) || !v->valuestring[0])
		return bad(err, field, "must be a non-empty string");
	copy = strdup(v->valuestring);
	if (!copy)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	free(*dst);
	*dst = copy;
	return RTDP_OK;
}

static enum rtdp_rc get_int(const cJSON *parent, const char *key, const char *field, int lo, int hi,
                            int *dst, struct rtdp_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(parent, key);

	if (!v)
		return RTDP_OK;
	/* compare as doubles first: casting an out-of-range double to int is undefined */
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
	    v->valuedouble < -1e9 || v->valuedouble > 1e9)
		return bad(err, field, "must be an integer");
	if (v->valuedouble < lo || v->valuedouble > hi)
		return rtdp_error_set(err, RTDP_ERR_INVALID, "%s: %d is out of range [%d, %d]",
		                      field, (int)v->valuedouble, lo, hi);
	*dst = (int)v->valuedouble;
	return RTDP_OK;
}

static enum rtdp_rc get_bool(const cJSON *parent, const char *key, const char *field, bool *dst,
                             struct rtdp_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(parent, key);

	if (!v)
		return RTDP_OK;
	if (!cJSON_IsBool(v))
		return bad(err, field, "must be true or false");
	*dst = cJSON_IsTrue(v);
	return RTDP_OK;
}

static enum rtdp_rc get_list(const cJSON *parent, const char *key, const char *field,
                             struct string_list *dst, struct rtdp_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(parent, key), *it;
	struct string_list fresh = {{NULL}, 0};

	if (!v)
		return RTDP_OK;
	if (!cJSON_IsArray(v))
		return bad(err, field, "must be a list of strings");
	for (it = v->child; it; it = it->next) {
		if (!cJSON_IsString(it) || !it->valuestring[0] || fresh.len == POLICY_MAX_LIST) {
			while (fresh.len > 0)
				free(fresh.items[--fresh.len]);
			return bad(err, field, "must be a list of at most 32 non-empty strings");
		}
		fresh.items[fresh.len] = strdup(it->valuestring);
		if (!fresh.items[fresh.len++]) {
			while (fresh.len > 0)
				free(fresh.items[--fresh.len]);
			return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
		}
	}
	while (dst->len > 0)
		free(dst->items[--dst->len]);
	*dst = fresh;
	return RTDP_OK;
}

static enum rtdp_rc parse_action(const cJSON *v, const char *field, struct rule_setting *s,
                                 bool can_mutate, struct rtdp_error *err)
{
	static const char *const keys[] = {"action", "mutate", NULL};
	const cJSON *a = v;
	enum rtdp_rc rc;

	if (cJSON_IsObject(v)) {
		rc = known_keys(v, field, keys, err);
		if (rc == RTDP_OK)
			rc = get_bool(v, "mutate", field, &s->mutate, err);
		if (rc != RTDP_OK)
			return rc;
		if (s->mutate && !can_mutate)
			return bad(err, field,
			           "this rule has no automatic fix; mutate must be false");
		a = cJSON_GetObjectItemCaseSensitive(v, "action");
		if (!a)
			return RTDP_OK;
	}
	if (cJSON_IsFalse(a)) { /* YAML 1.1 reads a plain off as false */
		s->action = RTDP_ACTION_OFF;
		return RTDP_OK;
	}
	if (!cJSON_IsString(a))
		return bad(err, field, "must be deny, warn or off (or {action, mutate})");
	if (strcmp(a->valuestring, "deny") == 0)
		s->action = RTDP_ACTION_DENY;
	else if (strcmp(a->valuestring, "warn") == 0)
		s->action = RTDP_ACTION_WARN;
	else if (strcmp(a->valuestring, "off") == 0)
		s->action = RTDP_ACTION_OFF;
	else
		return rtdp_error_set(err, RTDP_ERR_INVALID, "%s: '%s' is not deny, warn or off",
		                      field, a->valuestring);
	return RTDP_OK;
}

/* rules: {rule-id: action | {action, mutate}} into settings (set[] marks which were given). */
static enum rtdp_rc parse_rules(const cJSON *rules, const char *field,
                                struct rule_setting *settings, bool *set, struct rtdp_error *err)
{
	const cJSON *r;
	char name[160];
	enum rule_id id;
	enum rtdp_rc rc;

	for (r = rules->child; r; r = r->next) {
		snprintf(name, sizeof(name), "%s.%s", field, r->string);
		id = rule_lookup(r->string);
		if (id == RULE_COUNT)
			return bad(err, name, "unknown rule");
		rc = parse_action(r, name, &settings[id], rule_table[id].can_mutate, err);
		if (rc != RTDP_OK)
			return rc;
		if (set)
			set[id] = true;
	}
	return RTDP_OK;
}

static enum rtdp_rc parse_scope(struct rtdp_policy *p, const cJSON *spec, struct rtdp_error *err)
{
	static const char *const keys[] = {"pipelineLabel", "exemptNamespaces", NULL};
	const cJSON *s = NULL;
	enum rtdp_rc rc = get_map(spec, "scope", "spec.scope", &s, err);

	if (rc != RTDP_OK || !s)
		return rc;
	rc = known_keys(s, "spec.scope", keys, err);
	if (rc == RTDP_OK)
		rc = get_string(s, "pipelineLabel", "spec.scope.pipelineLabel", &p->pipeline_label,
		                err);
	if (rc == RTDP_OK)
		rc = get_list(s, "exemptNamespaces", "spec.scope.exemptNamespaces",
		              &p->exempt_namespaces, err);
	return rc;
}

static enum rtdp_rc parse_labels(struct rtdp_policy *p, const cJSON *spec, struct rtdp_error *err)
{
	static const char *const keys[] = {"deployment", "podTemplate", "service", "managedBy",
	                                   NULL};
	const cJSON *s = NULL;
	enum rtdp_rc rc = get_map(spec, "labels", "spec.labels", &s, err);

	if (rc != RTDP_OK || !s)
		return rc;
	rc = known_keys(s, "spec.labels", keys, err);
	if (rc == RTDP_OK)
		rc = get_list(s, "deployment", "spec.labels.deployment", &p->deployment_labels,
		              err);
	if (rc == RTDP_OK)
		rc = get_list(s, "podTemplate", "spec.labels.podTemplate", &p->template_labels,
		              err);
	if (rc == RTDP_OK)
		rc = get_list(s, "service", "spec.labels.service", &p->service_labels, err);
	if (rc == RTDP_OK)
		rc = get_string(s, "managedBy", "spec.labels.managedBy", &p->managed_by, err);
	return rc;
}

static enum rtdp_rc parse_replicas(const cJSON *s, const char *field, int *min, int *max,
                                   bool *raise_scale, struct rtdp_error *err)
{
	static const char *const keys[] = {"minimum", "maximum", "raiseScale", NULL};
	static const char *const ns_keys[] = {"minimum", "maximum", NULL};
	char name[160];
	enum rtdp_rc rc = known_keys(s, field, raise_scale ? keys : ns_keys, err);

	snprintf(name, sizeof(name), "%s.minimum", field);
	if (rc == RTDP_OK)
		rc = get_int(s, "minimum", name, 0, 100000, min, err);
	snprintf(name, sizeof(name), "%s.maximum", field);
	if (rc == RTDP_OK)
		rc = get_int(s, "maximum", name, 0, 100000, max, err);
	if (rc == RTDP_OK && raise_scale)
		rc = get_bool(s, "raiseScale", "spec.replicas.raiseScale", raise_scale, err);
	if (rc == RTDP_OK && *max > 0 && *min > *max)
		rc = rtdp_error_set(err, RTDP_ERR_INVALID, "%s: minimum %d is above maximum %d",
		                    field, *min, *max);
	return rc;
}

static enum rtdp_rc parse_range(const cJSON *s, const char *field, int *lo, int *hi,
                                struct rtdp_error *err)
{
	static const char *const keys[] = {"minimum", "maximum", NULL};
	char name[160];
	enum rtdp_rc rc = known_keys(s, field, keys, err);

	snprintf(name, sizeof(name), "%s.minimum", field);
	if (rc == RTDP_OK)
		rc = get_int(s, "minimum", name, 1, 65535, lo, err);
	snprintf(name, sizeof(name), "%s.maximum", field);
	if (rc == RTDP_OK)
		rc = get_int(s, "maximum", name, 1, 65535, hi, err);
	if (rc == RTDP_OK && *lo > *hi)
		rc = rtdp_error_set(err, RTDP_ERR_INVALID, "%s: minimum %d is above maximum %d",
		                    field, *lo, *hi);
	return rc;
}

static enum rtdp_rc parse_ports(struct rtdp_policy *p, const cJSON *spec, struct rtdp_error *err)
{
	static const char *const keys[] = {"container", "service", "protocols", NULL};
	const cJSON *s = NULL, *c = NULL, *v = NULL;
	enum rtdp_rc rc = get_map(spec, "ports", "spec.ports", &s, err);

	if (rc != RTDP_OK || !s)
		return rc;
	rc = known_keys(s, "spec.ports", keys, err);
	if (rc == RTDP_OK)
		rc = get_map(s, "container", "spec.ports.container", &c, err);
	if (rc == RTDP_OK && c)
		rc = parse_range(c, "spec.ports.container", &p->container_port_min,
		                 &p->container_port_max, err);
	if (rc == RTDP_OK)
		rc = get_map(s, "service", "spec.ports.service", &v, err);
	if (rc == RTDP_OK && v)
		rc = parse_range(v, "spec.ports.service", &p->service_port_min,
		                 &p->service_port_max, err);
	if (rc == RTDP_OK)
		rc = get_list(s, "protocols", "spec.ports.protocols", &p->protocols, err);
	return rc;
}

static enum rtdp_rc parse_resource_map(const cJSON *m, const char *field,
                                       struct resource_default *r, size_t *n,
                                       struct rtdp_error *err)
{
	const cJSON *it;
	char name[160];
	double value;

	resources_release_defaults(r, n);
	for (it = m->child; it; it = it->next) {
		snprintf(name, sizeof(name), "%s.%s", field, it->string);
		if (*n == 4)
			return bad(err, field, "at most 4 resources");
		if (!cJSON_IsString(it) || !quantity_parse(it->valuestring, &value))
			return bad(err, name,
			           "must be a quantity such as 100m, 1 or 512Mi (quoted)");
		r[*n].name = strdup(it->string);
		r[*n].value = strdup(it->valuestring);
		(*n)++;
		if (!r[*n - 1].name || !r[*n - 1].value)
			return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	}
	return RTDP_OK;
}

static enum rtdp_rc parse_resources(struct rtdp_policy *p, const cJSON *spec,
                                    struct rtdp_error *err)
{
	static const char *const keys[] = {"requests", "limits", NULL};
	const cJSON *s = NULL, *m = NULL;
	enum rtdp_rc rc = get_map(spec, "resources", "spec.resources", &s, err);

	if (rc != RTDP_OK || !s)
		return rc;
	rc = known_keys(s, "spec.resources", keys, err);
	if (rc == RTDP_OK)
		rc = get_map(s, "requests", "spec.resources.requests", &m, err);
	if (rc == RTDP_OK && m)
		rc = parse_resource_map(m, "spec.resources.requests", p->requests, &p->nrequests,
		                        err);
	if (rc == RTDP_OK)
		rc = get_map(s, "limits", "spec.resources.limits", &m, err);
	if (rc == RTDP_OK && m)
		rc = parse_resource_map(m, "spec.resources.limits", p->limits, &p->nlimits, err);
	return rc;
}

static enum rtdp_rc parse_simple_sections(struct rtdp_policy *p, const cJSON *spec,
                                          struct rtdp_error *err)
{
	static const char *const svc_keys[] = {"types", NULL};
	static const char *const img_keys[] = {"disallowedTags", NULL};
	const cJSON *s = NULL;
	enum rtdp_rc rc = get_map(spec, "replicas", "spec.replicas", &s, err);

	if (rc == RTDP_OK && s)
		rc = parse_replicas(s, "spec.replicas", &p->min_replicas, &p->max_replicas,
		                    &p->raise_scale, err);
	if (rc == RTDP_OK)
		rc = get_map(spec, "service", "spec.service", &s, err);
	if (rc == RTDP_OK && s)
		rc = known_keys(s, "spec.service", svc_keys, err);
	if (rc == RTDP_OK && s)
		rc = get_list(s, "types", "spec.service.types", &p->service_types, err);
	if (rc == RTDP_OK)
		rc = get_map(spec, "images", "spec.images", &s, err);
	if (rc == RTDP_OK && s)
		rc = known_keys(s, "spec.images", img_keys, err);
	if (rc == RTDP_OK && s)
		rc = get_list(s, "disallowedTags", "spec.images.disallowedTags",
		              &p->disallowed_tags, err);
	if (rc == RTDP_OK)
		rc = get_map(spec, "rules", "spec.rules", &s, err);
	if (rc == RTDP_OK && s)
		rc = parse_rules(s, "spec.rules", p->rules, NULL, err);
	return rc;
}

/* The bounds in effect in namespace o (its own or the policy's) keep minimum <= maximum. */
static enum rtdp_rc check_effective_replicas(const struct rtdp_policy *p,
                                             const struct namespace_override *o, const char *field,
                                             struct rtdp_error *err)
{
	int min = o->min_replicas >= 0 ? o->min_replicas : p->min_replicas;
	int max = o->max_replicas >= 0 ? o->max_replicas : p->max_replicas;

	if (max > 0 && min > max)
		return rtdp_error_set(err, RTDP_ERR_INVALID, "%s: minimum %d is above maximum %d",
		                      field, min, max);
	return RTDP_OK;
}

static enum rtdp_rc parse_namespace(const struct rtdp_policy *p, struct namespace_override *o,
                                    const cJSON *item, const char *field, struct rtdp_error *err)
{
	static const char *const keys[] = {"name", "replicas", "rules", NULL};
	const cJSON *s = NULL;
	char name[160];
	enum rtdp_rc rc = known_keys(item, field, keys, err);

	o->min_replicas = -1;
	o->max_replicas = -1;
	/* a rule override changes what it names ({mutate: false} keeps the action) */
	memcpy(o->rules, p->rules, sizeof(o->rules));
	snprintf(name, sizeof(name), "%s.name", field);
	if (rc == RTDP_OK)
		rc = get_string(item, "name", name, &o->name, err);
	if (rc == RTDP_OK && !o->name)
		rc = bad(err, name, "is required");
	snprintf(name, sizeof(name), "%s.replicas", field);
	if (rc == RTDP_OK)
		rc = get_map(item, "replicas", name, &s, err);
	if (rc == RTDP_OK && s)
		rc = parse_replicas(s, name, &o->min_replicas, &o->max_replicas, NULL, err);
	if (rc == RTDP_OK && s)
		rc = check_effective_replicas(p, o, name, err);
	snprintf(name, sizeof(name), "%s.rules", field);
	if (rc == RTDP_OK)
		rc = get_map(item, "rules", name, &s, err);
	if (rc == RTDP_OK && s)
		rc = parse_rules(s, name, o->rules, o->rule_set, err);
	return rc;
}

static enum rtdp_rc parse_namespaces(struct rtdp_policy *p, const cJSON *spec,
                                     struct rtdp_error *err)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(spec, "namespaces"), *it;
	char field[64];
	size_t n;
	enum rtdp_rc rc = RTDP_OK;

	if (!list)
		return RTDP_OK;
	n = (size_t)cJSON_GetArraySize(list);
	if (!cJSON_IsArray(list) || n > 1024)
		return bad(err, "spec.namespaces",
		           "must be a list of at most 1024 {name, replicas, rules}");
	p->namespaces = calloc(n ? n : 1, sizeof(*p->namespaces));
	if (!p->namespaces)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	for (it = list->child; rc == RTDP_OK && it; it = it->next) {
		snprintf(field, sizeof(field), "spec.namespaces[%zu]", p->nnamespaces);
		if (!cJSON_IsObject(it))
			return bad(err, field, "must be a mapping");
		rc = parse_namespace(p, &p->namespaces[p->nnamespaces++], it, field, err);
	}
	return rc;
}

static enum rtdp_rc parse_header(const cJSON *root, struct rtdp_policy *p, struct rtdp_error *err)
{
	static const char *const keys[] = {"apiVersion", "kind", "metadata", "spec", NULL};
	const cJSON *av = cJSON_GetObjectItemCaseSensitive(root, "apiVersion");
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(root, "kind");
	const cJSON *meta = NULL;
	enum rtdp_rc rc = known_keys(root, "", keys, err);

	if (rc != RTDP_OK)
		return rc;
	if (!cJSON_IsString(av) || strcmp(av->valuestring, RTDP_API_VERSION) != 0)
		return bad(err, "apiVersion", "must be " RTDP_API_VERSION);
	if (!cJSON_IsString(kind) || strcmp(kind->valuestring, "Policy") != 0)
		return bad(err, "kind", "must be Policy");
	rc = get_map(root, "metadata", "metadata", &meta, err);
	if (rc == RTDP_OK && meta)
		rc = get_string(meta, "name", "metadata.name", &p->name, err);
	return rc;
}

static enum rtdp_rc parse_policy(const cJSON *root, struct rtdp_policy *p, struct rtdp_error *err)
{
	static const char *const keys[] = {"scope",      "labels",    "replicas", "ports",
	                                   "service",    "resources", "images",   "rules",
	                                   "namespaces", NULL};
	const cJSON *spec = NULL;
	enum rtdp_rc rc = parse_header(root, p, err);

	if (rc == RTDP_OK)
		rc = get_map(root, "spec", "spec", &spec, err);
	if (rc != RTDP_OK || !spec)
		return rc;
	rc = known_keys(spec, "spec", keys, err);
	if (rc == RTDP_OK)
		rc = parse_scope(p, spec, err);
	if (rc == RTDP_OK)
		rc = parse_labels(p, spec, err);
	if (rc == RTDP_OK)
		rc = parse_ports(p, spec, err);
	if (rc == RTDP_OK)
		rc = parse_resources(p, spec, err);
	if (rc == RTDP_OK)
		rc = parse_simple_sections(p, spec, err);
	if (rc == RTDP_OK)
		rc = parse_namespaces(p, spec, err);
	return rc;
}

enum rtdp_rc rtdp_policy_parse(const char *name, const char *bytes, size_t len,
                               struct rtdp_policy **out, struct rtdp_error *err)
{
	struct rtdp_limits lim;
	cJSON *root = NULL;
	struct rtdp_policy *p = NULL;
	enum rtdp_rc rc;

	*out = NULL;
	rtdp_limits_default(&lim);
	lim.max_bytes = POLICY_MAX_BYTES;
	lim.max_nodes = 100000;
	rc = rtdp_yaml_parse_one(name, bytes, len, &lim, &root, err);
	if (rc != RTDP_OK)
		return rtdp_error_prefix(err, "policy ");
	p = calloc(1, sizeof(*p));
	if (!p || policy_set_defaults(p) != RTDP_OK) {
		rc = rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = parse_policy(root, p, err);
	if (rc != RTDP_OK) {
		rtdp_error_prefix(err, "policy '%s': ", name);
		goto out;
	}
	*out = p;
	p = NULL;
out:
	rtdp_policy_free(p);
	cJSON_Delete(root);
	return rc;
}

enum rtdp_rc rtdp_policy_load_file(const char *path, struct rtdp_policy **out,
                                   struct rtdp_error *err)
{
	char *bytes = NULL;
	size_t len = 0;
	enum rtdp_rc rc;

	*out = NULL;
	rc = rtdp_read_file(path, POLICY_MAX_BYTES, &bytes, &len, err);
	if (rc == RTDP_OK)
		rc = rtdp_policy_parse(path, bytes, len, out, err);
	else
		rtdp_error_prefix(err, "policy: ");
	free(bytes);
	return rc;
}
