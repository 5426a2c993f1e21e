#include <pthread.h>
#include <string.h>

#include "review_request.h"
#include "rtdp/banned.h"

#define API_VERSION "admission.k8s.io/v1"

/* clang-format off */
static const char *const op_names[] = {
	[REVIEW_OP_CREATE] = "CREATE",
	[REVIEW_OP_UPDATE] = "UPDATE",
	[REVIEW_OP_DELETE] = "DELETE",
	[REVIEW_OP_CONNECT] = "CONNECT",
};
/* clang-format on */

static const char *type_name(const cJSON *v)
{
	if (cJSON_IsObject(v))
		return "an object";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	return "null";
}

/*
 * cJSON 1.7.15 writes a global error record on every parse, a data race when
 * request threads parse at once; parsing is serialised here (microseconds per
 * review) rather than patching the library.
 */
static pthread_mutex_t parse_lock = PTHREAD_MUTEX_INITIALIZER;

static enum rtdp_rc parse_json(const char *body, size_t len, cJSON **root, struct rtdp_error *err)
{
	const char *end = body;
	size_t at;

	pthread_mutex_lock(&parse_lock);
	*root = cJSON_ParseWithLengthOpts(body, len, &end, 0);
	pthread_mutex_unlock(&parse_lock);
	at = end && end >= body ? (size_t)(end - body) : 0;
	if (at > len)
		at = len;
	if (!*root)
		return rtdp_error_set(err, RTDP_ERR_PARSE, "malformed JSON at byte %zu", at);
	while (at < len && strchr(" \t\r\n", body[at]) && body[at] != '\0')
		at++;
	if (at < len)
		return rtdp_error_set(err, RTDP_ERR_PARSE,
		                      "unexpected data after the JSON value at byte %zu", at);
	return RTDP_OK;
}

/*
 * The string member name of parent into *out: "" when absent or null (or an
 * error when required), an error naming path when of another type.
 */
static enum rtdp_rc get_string(const cJSON *parent, const char *path, const char *name,
                               bool required, const char **out, struct rtdp_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(parent, name);

	*out = "";
	if (cJSON_IsString(v)) {
		*out = v->valuestring;
		if (required && !**out)
			return rtdp_error_set(err, RTDP_ERR_INVALID, "%s.%s: empty", path, name);
		return RTDP_OK;
	}
	if ((!v || cJSON_IsNull(v)) && !required)
		return RTDP_OK;
	if (!v)
		return rtdp_error_set(err, RTDP_ERR_INVALID, "%s.%s: missing", path, name);
	return rtdp_error_set(err, RTDP_ERR_INVALID, "%s.%s: want a string, got %s", path, name,
	                      type_name(v));
}

static enum rtdp_rc check_envelope(const cJSON *root, const cJSON **request, struct rtdp_error *err)
{
	const char *api_version, *kind;

	if (!cJSON_IsObject(root))
		return rtdp_error_set(err, RTDP_ERR_INVALID,
		                      "an AdmissionReview must be a JSON object, got %s",
		                      type_name(root));
	if (get_string(root, "AdmissionReview", "apiVersion", true, &api_version, err) ||
	    get_string(root, "AdmissionReview", "kind", true, &kind, err))
		return err->rc;
	if (strcmp(api_version, API_VERSION) != 0)
		return rtdp_error_set(err, RTDP_ERR_INVALID,
		                      "apiVersion '%s' is not supported: want " API_VERSION
		                      " (admissionReviewVersions: [v1])",
		                      api_version);
	if (strcmp(kind, "AdmissionReview") != 0)
		return rtdp_error_set(err, RTDP_ERR_INVALID, "kind '%s': want AdmissionReview",
		                      kind);
	*request = cJSON_GetObjectItemCaseSensitive(root, "request");
	if (!cJSON_IsObject(*request))
		return rtdp_error_set(err, RTDP_ERR_INVALID, "request: want an object, got %s",
		                      type_name(*request));
	return RTDP_OK;
}

static enum rtdp_rc get_operation(const cJSON *request, struct review_request *req,
                                  struct rtdp_error *err)
{
	size_t i;

	if (get_string(request, "request", "operation", true, &req->operation, err))
		return err->rc;
	for (i = 0; i < sizeof(op_names) / sizeof(op_names[0]); i++) {
		if (strcmp(req->operation, op_names[i]) == 0) {
			req->op = (enum review_op)i;
			return RTDP_OK;
		}
	}
	return rtdp_error_set(err, RTDP_ERR_INVALID,
	                      "request.operation '%s': want CREATE, UPDATE, DELETE or CONNECT",
	                      req->operation);
}

static enum rtdp_rc get_kind(const cJSON *request, struct review_request *req,
                             struct rtdp_error *err)
{
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(request, "kind");

	if (!cJSON_IsObject(kind))
		return rtdp_error_set(err, RTDP_ERR_INVALID, "request.kind: want an object, got %s",
		                      type_name(kind));
	return get_string(kind, "request.kind", "kind", true, &req->kind, err);
}

static enum rtdp_rc get_dry_run(const cJSON *request, struct review_request *req,
                                struct rtdp_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(request, "dryRun");

	req->dry_run = cJSON_IsTrue(v);
	if (!v || cJSON_IsNull(v) || cJSON_IsBool(v))
		return RTDP_OK;
	return rtdp_error_set(err, RTDP_ERR_INVALID, "request.dryRun: want a boolean, got %s",
	                      type_name(v));
}

static enum rtdp_rc get_object(const cJSON *request, struct review_request *req,
                               struct rtdp_error *err)
{
	const cJSON *obj = cJSON_GetObjectItemCaseSensitive(request, "object");
	const cJSON *meta, *name;

	req->object = NULL;
	if (req->op == REVIEW_OP_DELETE || req->op == REVIEW_OP_CONNECT)
		return RTDP_OK;
	if (!cJSON_IsObject(obj))
		return rtdp_error_set(err, RTDP_ERR_INVALID,
		                      "request.object: want an object on %s, got %s",
		                      req->operation, obj ? type_name(obj) : "nothing");
	req->object = obj;
	meta = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	name = cJSON_GetObjectItemCaseSensitive(meta, "name");
	if (!*req->name && cJSON_IsString(name))
		req->name = name->valuestring;
	return RTDP_OK;
}

static enum rtdp_rc check_request(const cJSON *request, struct review_request *req,
                                  struct rtdp_error *err)
{
	if (get_string(request, "request", "uid", true, &req->uid, err) ||
	    get_operation(request, req, err) || get_kind(request, req, err) ||
	    get_string(request, "request", "namespace", false, &req->namespace, err) ||
	    get_string(request, "request", "name", false, &req->name, err) ||
	    get_string(request, "request", "subResource", false, &req->sub_resource, err) ||
	    get_dry_run(request, req, err) || get_object(request, req, err))
		return err->rc;
	return RTDP_OK;
}

enum rtdp_rc review_request_parse(const char *body, size_t len, cJSON **root,
                                  struct review_request *req, struct rtdp_error *err)
{
	const cJSON *request = NULL;

	memset(req, 0, sizeof(*req));
	req->uid = req->kind = req->operation = req->namespace = req->name = "";
	req->sub_resource = "";
	if (parse_json(body, len, root, err) != RTDP_OK)
		return err->rc;
	if (check_envelope(*root, &request, err) != RTDP_OK)
		return err->rc;
	return check_request(request, req, err);
}
