#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline_query.h"
#include "status_report.h"
#include "rtdp/banned.h"

#define TABLE_MAX_COLS 8
#define CELL_MAX 256

enum rtdp_rc status_doc_new(const char *name, const char *ns, cJSON **out, struct rtdp_error *err)
{
	cJSON *doc = cJSON_CreateObject(), *meta, *st;

	*out = NULL;
	if (!doc || !cJSON_AddStringToObject(doc, "apiVersion", "rtdp.io/v1alpha1") ||
	    !cJSON_AddStringToObject(doc, "kind", "PipelineStatus") ||
	    !(meta = cJSON_AddObjectToObject(doc, "metadata")) ||
	    !cJSON_AddStringToObject(meta, "name", name) ||
	    !cJSON_AddStringToObject(meta, "namespace", ns) ||
	    !(st = cJSON_AddObjectToObject(doc, "status")) ||
	    !cJSON_AddFalseToObject(st, "ready") || !cJSON_AddArrayToObject(st, "stages") ||
	    !cJSON_AddArrayToObject(st, "services")) {
		cJSON_Delete(doc);
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	}
	*out = doc;
	return RTDP_OK;
}

static cJSON *section(cJSON *doc, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "status"),
	                                        name);
}

/* A copy of the Deployment's conditions with the fields worth showing. */
static bool add_conditions(cJSON *stage, const cJSON *deploy)
{
	static const char *const keys[] = {"type", "status", "reason", "message", "lastUpdateTime"};
	cJSON *out = cJSON_AddArrayToObject(stage, "conditions");
	const cJSON *c;
	size_t i;

	if (!out)
		return false;
	cJSON_ArrayForEach(
	        c, cJSON_GetObjectItemCaseSensitive(
	                   cJSON_GetObjectItemCaseSensitive(deploy, "status"), "conditions"))
	{
		cJSON *o = cJSON_CreateObject();

		if (!o || !cJSON_AddItemToArray(out, o))
			return cJSON_Delete(o), false;
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (!cJSON_AddStringToObject(o, keys[i], pipeline_str(c, keys[i], "")))
				return false;
	}
	return true;
}

enum rtdp_rc status_add_stage(cJSON *doc, const cJSON *deploy, struct rtdp_error *err)
{
	cJSON *stage = cJSON_CreateObject();
	long desired = pipeline_num(deploy, "spec.replicas", 1);
	long available = pipeline_num(deploy, "status.availableReplicas", 0);
	char avail[64];

	snprintf(avail, sizeof(avail), "%ld/%ld", available, desired);
	if (!stage || !cJSON_AddItemToArray(section(doc, "stages"), stage)) {
		cJSON_Delete(stage);
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	}
	if (!cJSON_AddStringToObject(stage, "name", pipeline_str(deploy, "metadata.name", "")) ||
	    !cJSON_AddNumberToObject(stage, "desiredReplicas", (double)desired) ||
	    !cJSON_AddNumberToObject(stage, "updatedReplicas",
	                             (double)pipeline_num(deploy, "status.updatedReplicas", 0)) ||
	    !cJSON_AddNumberToObject(stage, "readyReplicas",
	                             (double)pipeline_num(deploy, "status.readyReplicas", 0)) ||
	    !cJSON_AddNumberToObject(stage, "availableReplicas", (double)available) ||
	    !cJSON_AddStringToObject(stage, "availability", avail) ||
	    !cJSON_AddBoolToObject(stage, "ready", desired > 0 && available >= desired) ||
	    !add_conditions(stage, deploy))
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	return RTDP_OK;
}

/* Counts endpoints over slices: ready unless conditions.ready is false. */
static void count_endpoints(const cJSON *slices, long *ready, long *total)
{
	const cJSON *slice, *ep;

	*ready = *total = 0;
	cJSON_ArrayForEach(slice, cJSON_GetObjectItemCaseSensitive(slices, "items"))
	{
		cJSON_ArrayForEach(ep, cJSON_GetObjectItemCaseSensitive(slice, "endpoints"))
		{
			const cJSON *r = cJSON_GetObjectItemCaseSensitive(
			        cJSON_GetObjectItemCaseSensitive(ep, "conditions"), "ready");

			(*total)++;
			if (!cJSON_IsFalse(r))
				(*ready)++;
		}
	}
}

static bool add_ports(cJSON *out, const cJSON *svc)
{
	cJSON *ports = cJSON_AddArrayToObject(out, "ports");
	const cJSON *p;

	if (!ports)
		return false;
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(
	                              cJSON_GetObjectItemCaseSensitive(svc, "spec"), "ports"))
	{
		cJSON *o = cJSON_CreateObject();
		cJSON *tp = cJSON_GetObjectItemCaseSensitive(p, "targetPort");

		if (!o || !cJSON_AddItemToArray(ports, o))
			return cJSON_Delete(o), false;
		if (!cJSON_AddStringToObject(o, "name", pipeline_str(p, "name", "")) ||
		    !cJSON_AddNumberToObject(o, "port", (double)pipeline_num(p, "port", 0)) ||
		    !cJSON_AddStringToObject(o, "protocol", pipeline_str(p, "protocol", "TCP")))
			return false;
		if (tp && !cJSON_AddItemToObject(o, "targetPort", cJSON_Duplicate(tp, true)))
			return false;
	}
	return true;
}

enum rtdp_rc status_add_service(cJSON *doc, const cJSON *svc, const cJSON *slices,
                                struct rtdp_error *err)
{
	cJSON *out = cJSON_CreateObject(), *eps;
	long ready, total;

	count_endpoints(slices, &ready, &total);
	if (!out || !cJSON_AddItemToArray(section(doc, "services"), out)) {
		cJSON_Delete(out);
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	}
	if (!cJSON_AddStringToObject(out, "name", pipeline_str(svc, "metadata.name", "")) ||
	    !cJSON_AddStringToObject(out, "type", pipeline_str(svc, "spec.type", "ClusterIP")) ||
	    !cJSON_AddStringToObject(out, "clusterIP", pipeline_str(svc, "spec.clusterIP", "")) ||
	    !add_ports(out, svc) || !(eps = cJSON_AddObjectToObject(out, "endpoints")) ||
	    !cJSON_AddNumberToObject(eps, "ready", (double)ready) ||
	    !cJSON_AddNumberToObject(eps, "total", (double)total))
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	return RTDP_OK;
}

bool status_finish(cJSON *doc)
{
	const cJSON *stage;
	bool ready = cJSON_GetArraySize(section(doc, "stages")) > 0;

	cJSON_ArrayForEach(
	        stage,
	        section(doc,
	                "stages")) if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(stage,
	                                                                              "ready")))
	        ready = false;
	cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "status"),
	                                       "ready", cJSON_CreateBool(ready));
	return ready;
}

/* An aligned table, kubectl's way: columns padded to the widest cell + 3. */
struct table {
	char cells[64][TABLE_MAX_COLS][CELL_MAX];
	int ncols, nrows;
};

static void table_row(struct table *t, const char *const *cells)
{
	int c;

	if (t->nrows == 64)
		return;
	for (c = 0; c < t->ncols; c++)
		snprintf(t->cells[t->nrows][c], CELL_MAX, "%s", cells[c] ? cells[c] : "");
	t->nrows++;
}

static void table_print(FILE *out, const struct table *t)
{
	size_t w[TABLE_MAX_COLS] = {0};
	int r, c;

	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++)
			if (strlen(t->cells[r][c]) > w[c])
				w[c] = strlen(t->cells[r][c]);
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols - 1; c++)
			fprintf(out, "%-*s   ", (int)w[c], t->cells[r][c]);
		fprintf(out, "%s\n", t->cells[r][t->ncols - 1]);
	}
}

static void num(char *buf, const cJSON *o, const char *key)
{
	snprintf(buf, 32, "%ld", pipeline_num(o, key, 0));
}

static void print_stages(FILE *out, const cJSON *doc, struct table *t)
{
	static const char *const head[] = {"STAGE", "DESIRED",   "UP-TO-DATE",
	                                   "READY", "AVAILABLE", "AVAILABILITY"};
	char d[32], u[32], r[32], a[32];
	const cJSON *s;

	memset(t, 0, sizeof(*t));
	t->ncols = 6;
	table_row(t, head);
	cJSON_ArrayForEach(s, section((cJSON *)doc, "stages"))
	{
		const char *row[6] = {pipeline_str(s, "name", ""),        d, u, r, a,
		                      pipeline_str(s, "availability", "")};

		num(d, s, "desiredReplicas");
		num(u, s, "updatedReplicas");
		num(r, s, "readyReplicas");
		num(a, s, "availableReplicas");
		table_row(t, row);
	}
	table_print(out, t);
}

static void ports_text(char *buf, size_t n, const cJSON *svc)
{
	const cJSON *p;
	size_t o = 0;

	buf[0] = '\0';
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(svc, "ports"))
	{
		int w = snprintf(buf + o, n - o, "%s%ld/%s", o ? "," : "",
		                 pipeline_num(p, "port", 0), pipeline_str(p, "protocol", "TCP"));
		if (w < 0 || (size_t)w >= n - o)
			return;
		o += (size_t)w;
	}
	if (!o)
		snprintf(buf, n, "<none>");
}

static void print_services(FILE *out, const cJSON *doc, struct table *t)
{
	static const char *const head[] = {"SERVICE", "TYPE", "CLUSTER-IP", "PORT(S)", "ENDPOINTS"};
	char ports[CELL_MAX], eps[64];
	const cJSON *s;

	memset(t, 0, sizeof(*t));
	t->ncols = 5;
	table_row(t, head);
	cJSON_ArrayForEach(s, section((cJSON *)doc, "services"))
	{
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(s, "endpoints");
		const char *row[5] = {pipeline_str(s, "name", ""), pipeline_str(s, "type", ""),
		                      pipeline_str(s, "clusterIP", ""), ports, eps};

		ports_text(ports, sizeof(ports), s);
		snprintf(eps, sizeof(eps), "%ld/%ld ready", pipeline_num(e, "ready", 0),
		         pipeline_num(e, "total", 0));
		table_row(t, row);
	}
	if (t->nrows > 1)
		table_print(out, t);
	else
		fprintf(out, "No Services found.\n");
}

static void print_conditions(FILE *out, const cJSON *doc, struct table *t)
{
	static const char *const head[] = {"STAGE", "CONDITION", "STATUS", "REASON", "MESSAGE"};
	const cJSON *s, *c;

	memset(t, 0, sizeof(*t));
	t->ncols = 5;
	table_row(t, head);
	cJSON_ArrayForEach(s, section((cJSON *)doc, "stages"))
	{
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(s, "conditions"))
		{
			const char *row[5] = {
			        pipeline_str(s, "name", ""), pipeline_str(c, "type", ""),
			        pipeline_str(c, "status", ""), pipeline_str(c, "reason", ""),
			        pipeline_str(c, "message", "")};
			table_row(t, row);
		}
	}
	if (t->nrows > 1)
		table_print(out, t);
}

void status_print_text(FILE *out, const cJSON *doc)
{
	struct table *t = calloc(1, sizeof(*t));

	if (!t) {
		fprintf(stderr, "error: out of memory\n");
		return;
	}
	fprintf(out, "Pipeline %s in namespace %s: %s\n\n", pipeline_str(doc, "metadata.name", ""),
	        pipeline_str(doc, "metadata.namespace", ""),
	        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
	                cJSON_GetObjectItemCaseSensitive(doc, "status"), "ready"))
	                ? "Ready"
	                : "NotReady");
	print_stages(out, doc, t);
	fputc('\n', out);
	print_services(out, doc, t);
	fputc('\n', out);
	print_conditions(out, doc, t);
	free(t);
}
