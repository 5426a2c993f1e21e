#include <stdlib.h>
#include <string.h>

#include "rtdp/json_print.h"
#include "validate_report.h"
#include "rtdp/version.h"
#include "rtdp/banned.h"

void validate_summarize(const struct rtdp_object_set *set, const struct rtdp_verdict *verdicts,
                        struct validate_summary *sum)
{
	size_t i, j;

	memset(sum, 0, sizeof(*sum));
	sum->objects = set->len;
	for (i = 0; i < set->len; i++) {
		const struct rtdp_verdict *v = &verdicts[i];

		sum->in_scope += v->in_scope;
		sum->denied += rtdp_verdict_count(v, RTDP_ACTION_DENY);
		sum->warned += rtdp_verdict_count(v, RTDP_ACTION_WARN);
		for (j = 0; j < v->len; j++)
			sum->fixable += v->findings[j].fixed;
	}
}

static const char *meta_string(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(
	        cJSON_GetObjectItemCaseSensitive(obj, "metadata"), key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const char *kind_of(const cJSON *obj)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "kind");

	return cJSON_IsString(v) ? v->valuestring : "?";
}

/* "Deployment real-time-data-processing/controller" into buf. */
static const char *describe(const cJSON *obj, char *buf, size_t n)
{
	const char *ns = meta_string(obj, "namespace"), *name = meta_string(obj, "name");

	if (!name)
		name = meta_string(obj, "generateName") ? meta_string(obj, "generateName")
		                                        : "<unnamed>";
	snprintf(buf, n, "%s %s%s%s", kind_of(obj), ns ? ns : "", ns ? "/" : "", name);
	return buf;
}

void validate_print_text(FILE *out, const struct rtdp_object_set *set,
                         const struct rtdp_verdict *verdicts, const struct validate_summary *sum)
{
	char what[512];
	size_t i, j;

	for (i = 0; i < set->len; i++) {
		const struct rtdp_object *o = &set->items[i];

		for (j = 0; j < verdicts[i].len; j++) {
			const struct rtdp_finding *f = &verdicts[i].findings[j];

			fprintf(out, "%s:%d: %s: %s (%s): %s%s\n", o->source,
			        rtdp_object_line(o, f->pointer),
			        describe(o->json, what, sizeof(what)), f->rule,
			        rtdp_action_name(f->action), f->message,
			        f->fixed ? " [the webhook fixes this]" : "");
		}
	}
	fprintf(out,
	        "%zu object%s checked, %zu in scope: %zu denied, %zu warning%s, %zu fixable by the "
	        "webhook\n",
	        sum->objects, sum->objects == 1 ? "" : "s", sum->in_scope, sum->denied, sum->warned,
	        sum->warned == 1 ? "" : "s", sum->fixable);
}

static cJSON *finding_json(const struct rtdp_object *o, const struct rtdp_finding *f)
{
	cJSON *j = cJSON_CreateObject();

	if (!j || !cJSON_AddStringToObject(j, "rule", f->rule) ||
	    !cJSON_AddStringToObject(j, "action", rtdp_action_name(f->action)) ||
	    !cJSON_AddStringToObject(j, "path", f->path) ||
	    !cJSON_AddStringToObject(j, "pointer", f->pointer) ||
	    !cJSON_AddNumberToObject(j, "line", rtdp_object_line(o, f->pointer)) ||
	    !cJSON_AddStringToObject(j, "message", f->message) ||
	    !cJSON_AddBoolToObject(j, "fixed", f->fixed)) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

static int add_ref(cJSON *j, const cJSON *obj)
{
	cJSON *ref = cJSON_AddObjectToObject(j, "object");
	const cJSON *av = cJSON_GetObjectItemCaseSensitive(obj, "apiVersion");
	const char *ns = meta_string(obj, "namespace"), *name = meta_string(obj, "name");

	return ref &&
	       cJSON_AddStringToObject(ref, "apiVersion",
	                               cJSON_IsString(av) ? av->valuestring : "") &&
	       cJSON_AddStringToObject(ref, "kind", kind_of(obj)) &&
	       cJSON_AddStringToObject(ref, "namespace", ns ? ns : "") &&
	       cJSON_AddStringToObject(ref, "name", name ? name : "");
}

static cJSON *result_json(const struct rtdp_object *o, const struct rtdp_verdict *v)
{
	cJSON *j = cJSON_CreateObject(), *src, *list, *f;
	size_t k;

	if (!j || !(src = cJSON_AddObjectToObject(j, "source")) ||
	    !cJSON_AddStringToObject(src, "file", o->source) ||
	    !cJSON_AddNumberToObject(src, "document", o->document) ||
	    !cJSON_AddNumberToObject(src, "line", o->line) || !add_ref(j, o->json) ||
	    !cJSON_AddBoolToObject(j, "inScope", v->in_scope) ||
	    !(list = cJSON_AddArrayToObject(j, "findings")))
		goto fail;
	if (o->item >= 0 && !cJSON_AddNumberToObject(src, "item", o->item))
		goto fail;
	for (k = 0; k < v->len; k++) {
		if (!(f = finding_json(o, &v->findings[k])))
			goto fail;
		cJSON_AddItemToArray(list, f);
	}
	if (v->patch && !cJSON_AddItemToObject(j, "patch", cJSON_Duplicate(v->patch, 1)))
		goto fail;
	return j;
fail:
	cJSON_Delete(j);
	return NULL;
}

static cJSON *report_json(const struct rtdp_object_set *set, const struct rtdp_verdict *verdicts,
                          const struct validate_summary *sum)
{
	cJSON *j = cJSON_CreateObject(), *s, *results, *r;
	size_t i;

	if (!j || !cJSON_AddStringToObject(j, "apiVersion", RTDP_API_VERSION) ||
	    !cJSON_AddStringToObject(j, "kind", "ValidationReport") ||
	    !(s = cJSON_AddObjectToObject(j, "summary")) ||
	    !cJSON_AddNumberToObject(s, "objects", (double)sum->objects) ||
	    !cJSON_AddNumberToObject(s, "inScope", (double)sum->in_scope) ||
	    !cJSON_AddNumberToObject(s, "denied", (double)sum->denied) ||
	    !cJSON_AddNumberToObject(s, "warnings", (double)sum->warned) ||
	    !cJSON_AddNumberToObject(s, "fixable", (double)sum->fixable) ||
	    !(results = cJSON_AddArrayToObject(j, "results")))
		goto fail;
	for (i = 0; i < set->len; i++) {
		if (!(r = result_json(&set->items[i], &verdicts[i])))
			goto fail;
		cJSON_AddItemToArray(results, r);
	}
	return j;
fail:
	cJSON_Delete(j);
	return NULL;
}

int validate_print_json(FILE *out, const struct rtdp_object_set *set,
                        const struct rtdp_verdict *verdicts, const struct validate_summary *sum)
{
	cJSON *j = report_json(set, verdicts, sum);
	struct rtdp_buf text;
	enum rtdp_rc rc;

	rtdp_buf_init(&text, (size_t)1 << 31);
	rc = j ? rtdp_json_print(j, &text) : RTDP_ERR_NOMEM;
	cJSON_Delete(j);
	if (rc == RTDP_OK)
		fwrite(text.data, 1, text.len, out);
	rtdp_buf_release(&text);
	return rc == RTDP_OK ? 0 : -1;
}
