#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "rtdp/buf.h"
#include "rtdp/image.h"
#include "scaffold.h"
#include "rtdp/banned.h"

void scaffold_spec_default(struct scaffold_spec *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->pipeline, sizeof(s->pipeline), "%s", SCAFFOLD_DEFAULT_PIPELINE);
	snprintf(s->namespace, sizeof(s->namespace), "%s", SCAFFOLD_DEFAULT_PIPELINE);
	snprintf(s->stages[0].name, sizeof(s->stages[0].name), "%s", SCAFFOLD_DEFAULT_STAGE);
	s->stages[0].port = SCAFFOLD_DEFAULT_PORT;
	s->stages[0].replicas = SCAFFOLD_DEFAULT_REPLICAS;
	s->nstages = 1;
}

/* An RFC 1123 label: lowercase alphanumerics and '-', alphanumeric at both ends. */
static bool dns_label(const char *s, size_t max)
{
	size_t len = strlen(s), i;

	if (len == 0 || len > max || !isalnum((unsigned char)s[0]) ||
	    !isalnum((unsigned char)s[len - 1]))
		return false;
	for (i = 0; i < len; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
			return false;
	return true;
}

/* Image references: registry/path:tag@digest characters only (nothing to escape). */
static bool image_chars(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("./:@_-", *s))
			return false;
	return true;
}

static enum rtdp_rc check_stage(const struct scaffold_spec *s, const struct scaffold_stage *st,
                                struct rtdp_error *err)
{
	char full[2 * SCAFFOLD_NAME_MAX];
	const char *tag = NULL;
	enum rtdp_image_pin pin = st->image[0] ? rtdp_image_pin(st->image, &tag) : RTDP_IMAGE_TAG;

	snprintf(full, sizeof(full), "%s-%s", s->pipeline, st->name);
	if (!dns_label(st->name, 63))
		return rtdp_error_set(err, RTDP_ERR_USAGE,
		                      "stage name \"%s\" is not a valid name: use lowercase "
		                      "letters, digits and '-'",
		                      st->name);
	if (!dns_label(full, 63))
		return rtdp_error_set(
		        err, RTDP_ERR_USAGE,
		        "\"%s\" (pipeline-stage) is longer than 63 characters: use shorter names",
		        full);
	if (st->image[0] && !image_chars(st->image))
		return rtdp_error_set(
		        err, RTDP_ERR_USAGE,
		        "image \"%s\" for stage \"%s\" is not a valid image reference", st->image,
		        st->name);
	if (pin == RTDP_IMAGE_UNTAGGED ||
	    (pin == RTDP_IMAGE_TAG && tag && strcmp(tag, "latest") == 0))
		return rtdp_error_set(err, RTDP_ERR_USAGE,
		                      "image \"%s\" for stage \"%s\" is not pinned: give a version "
		                      "tag or a digest (image:1.2.3, image@sha256:...)",
		                      st->image, st->name);
	if (st->port < 1024 || st->port > 65535)
		return rtdp_error_set(err, RTDP_ERR_USAGE,
		                      "port %d for stage \"%s\" is outside 1024-65535", st->port,
		                      st->name);
	if (st->replicas < 1 || st->replicas > 10000)
		return rtdp_error_set(err, RTDP_ERR_USAGE,
		                      "replicas %d for stage \"%s\" is outside 1-10000",
		                      st->replicas, st->name);
	return RTDP_OK;
}

enum rtdp_rc scaffold_spec_check(const struct scaffold_spec *s, struct rtdp_error *err)
{
	size_t i, j;
	enum rtdp_rc rc = RTDP_OK;

	if (!dns_label(s->pipeline, 52))
		return rtdp_error_set(err, RTDP_ERR_USAGE,
		                      "pipeline name \"%s\" is not valid: use at most 52 lowercase "
		                      "letters, digits and '-'",
		                      s->pipeline);
	if (!dns_label(s->namespace, 63))
		return rtdp_error_set(err, RTDP_ERR_USAGE, "namespace \"%s\" is not a valid name",
		                      s->namespace);
	if (s->nstages == 0)
		return rtdp_error_set(err, RTDP_ERR_USAGE, "a pipeline needs at least one stage");
	for (i = 0; rc == RTDP_OK && i < s->nstages; i++) {
		rc = check_stage(s, &s->stages[i], err);
		for (j = 0; rc == RTDP_OK && j < i; j++)
			if (strcmp(s->stages[i].name, s->stages[j].name) == 0)
				rc = rtdp_error_set(err, RTDP_ERR_USAGE,
				                    "stage \"%s\" is listed twice",
				                    s->stages[i].name);
	}
	return rc;
}

/* The version label's value: the image's tag, or its digest's start. */
static const char *version_of(const struct scaffold_stage *st, char *buf, size_t n)
{
	const char *v =
	        rtdp_image_version(st->image[0] ? st->image : SCAFFOLD_DEFAULT_IMAGE, buf, n);

	return v ? v : "";
}

/*
 * The objects are written as JSON text and parsed once: every value in them
 * was checked by scaffold_spec_check (DNS labels, image characters, integers),
 * so none needs escaping, and a failed parse can only mean out of memory.
 */
static enum rtdp_rc add_labels(struct rtdp_buf *b, const struct scaffold_spec *s,
                               const struct scaffold_stage *st, bool with_version)
{
	char buf[80];
	const char *version = version_of(st, buf, sizeof(buf));

	return rtdp_buf_addf(
	        b,
	        "{\"app.kubernetes.io/name\":\"%s-%s\",\"app.kubernetes.io/instance\":\"%s\",%s%s%s"
	        "\"app.kubernetes.io/component\":\"%s\",\"app.kubernetes.io/part-of\":\"%s\","
	        "\"app.kubernetes.io/managed-by\":\"rtdp\",\"rtdp.io/pipeline\":\"%s\"}",
	        s->pipeline, st->name, s->pipeline,
	        with_version && *version ? "\"app.kubernetes.io/version\":\"" : "",
	        with_version && *version ? version : "", with_version && *version ? "\"," : "",
	        st->name, s->pipeline, s->pipeline);
}

static enum rtdp_rc add_selector(struct rtdp_buf *b, const struct scaffold_spec *s,
                                 const struct scaffold_stage *st)
{
	/* name and instance only, never the version: a Deployment's selector is immutable */
	return rtdp_buf_addf(b,
	                     "{\"matchLabels\":{\"app.kubernetes.io/"
	                     "name\":\"%s-%s\",\"app.kubernetes.io/instance\":\"%s\"}}",
	                     s->pipeline, st->name, s->pipeline);
}

static enum rtdp_rc add_metadata(struct rtdp_buf *b, const struct scaffold_spec *s,
                                 const struct scaffold_stage *st, bool with_version)
{
	enum rtdp_rc rc = rtdp_buf_addf(
	        b, "\"metadata\":{\"name\":\"%s-%s\",\"namespace\":\"%s\",\"labels\":", s->pipeline,
	        st->name, s->namespace);

	if (rc == RTDP_OK)
		rc = add_labels(b, s, st, with_version);
	return rc == RTDP_OK ? rtdp_buf_adds(b, "}") : rc;
}

static enum rtdp_rc add_container(struct rtdp_buf *b, const struct scaffold_stage *st)
{
	const char *image = st->image[0] ? st->image : SCAFFOLD_DEFAULT_IMAGE;
	char args[64] = "";

	if (!st->image[0]) /* agnhost serves HTTP on the stage's port */
		snprintf(args, sizeof(args), "\"args\":[\"netexec\",\"--http-port=%d\"],",
		         st->port);
	return rtdp_buf_addf(
	        b,
	        "{\"name\":\"%s\",\"image\":\"%s\",%s"
	        "\"ports\":[{\"name\":\"http\",\"containerPort\":%d,\"protocol\":\"TCP\"}],"
	        "\"readinessProbe\":{\"tcpSocket\":{\"port\":\"http\"},\"periodSeconds\":5,"
	        "\"failureThreshold\":3},"
	        "\"livenessProbe\":{\"tcpSocket\":{\"port\":\"http\"},\"initialDelaySeconds\":10,"
	        "\"periodSeconds\":10},"
	        "\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"128Mi\"},"
	        "\"limits\":{\"cpu\":\"1\",\"memory\":\"512Mi\"}}}",
	        st->name, image, args, st->port);
}

static enum rtdp_rc deployment_json(struct rtdp_buf *b, const struct scaffold_spec *s,
                                    const struct scaffold_stage *st)
{
	enum rtdp_rc rc = rtdp_buf_adds(b, "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",");

	if (rc == RTDP_OK)
		rc = add_metadata(b, s, st, true);
	if (rc == RTDP_OK)
		rc = rtdp_buf_addf(b, ",\"spec\":{\"replicas\":%d,\"selector\":", st->replicas);
	if (rc == RTDP_OK)
		rc = add_selector(b, s, st);
	if (rc == RTDP_OK)
		rc = rtdp_buf_adds(b, ",\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":"
		                      "{\"maxSurge\":1,\"maxUnavailable\":0}},"
		                      "\"template\":{\"metadata\":{\"labels\":");
	if (rc == RTDP_OK)
		rc = add_labels(b, s, st, true);
	if (rc == RTDP_OK)
		rc = rtdp_buf_adds(
		        b, "},\"spec\":{\"terminationGracePeriodSeconds\":30,\"containers\":[");
	if (rc == RTDP_OK)
		rc = add_container(b, st);
	return rc == RTDP_OK ? rtdp_buf_adds(b, "]}}}}") : rc;
}

static enum rtdp_rc service_json(struct rtdp_buf *b, const struct scaffold_spec *s,
                                 const struct scaffold_stage *st)
{
	enum rtdp_rc rc = rtdp_buf_adds(b, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",");

	if (rc == RTDP_OK)
		rc = add_metadata(b, s, st, false);
	if (rc == RTDP_OK)
		rc = rtdp_buf_addf(b,
		                   ",\"spec\":{\"type\":\"ClusterIP\",\"selector\":{\"app."
		                   "kubernetes.io/name\":\"%s-%s\","
		                   "\"app.kubernetes.io/"
		                   "instance\":\"%s\"},\"ports\":[{\"name\":\"http\",\"port\":%d,"
		                   "\"targetPort\":\"http\",\"protocol\":\"TCP\"}]}}",
		                   s->pipeline, st->name, s->pipeline, st->port);
	return rc;
}

static enum rtdp_rc pdb_json(struct rtdp_buf *b, const struct scaffold_spec *s,
                             const struct scaffold_stage *st)
{
	enum rtdp_rc rc =
	        rtdp_buf_adds(b, "{\"apiVersion\":\"policy/v1\",\"kind\":\"PodDisruptionBudget\",");

	if (rc == RTDP_OK)
		rc = add_metadata(b, s, st, false);
	if (rc == RTDP_OK)
		rc = rtdp_buf_adds(b, ",\"spec\":{\"maxUnavailable\":1,\"selector\":");
	if (rc == RTDP_OK)
		rc = add_selector(b, s, st);
	return rc == RTDP_OK ? rtdp_buf_adds(b, "}}") : rc;
}

static enum rtdp_rc namespace_json(struct rtdp_buf *b, const struct scaffold_spec *s)
{
	return rtdp_buf_addf(
	        b,
	        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"%s\","
	        "\"labels\":{\"app.kubernetes.io/part-of\":\"%s\",\"app.kubernetes.io/"
	        "managed-by\":\"rtdp\","
	        "\"rtdp.io/pipeline\":\"%s\"}}}",
	        s->namespace, s->pipeline, s->pipeline);
}

typedef enum rtdp_rc (*stage_builder)(struct rtdp_buf *, const struct scaffold_spec *,
                                      const struct scaffold_stage *);

static enum rtdp_rc add_object(struct scaffold_set *set, const char *file, struct rtdp_buf *b,
                               struct rtdp_error *err)
{
	struct scaffold_object *o = &set->items[set->len];

	o->object = cJSON_ParseWithLength(b->data, b->len);
	rtdp_buf_release(b);
	if (!o->object)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	snprintf(o->file, sizeof(o->file), "%s", file);
	set->len++;
	return RTDP_OK;
}

enum rtdp_rc scaffold_build(const struct scaffold_spec *s, struct scaffold_set *out,
                            struct rtdp_error *err)
{
	static const struct {
		const char *suffix;
		stage_builder build;
	} parts[] = {{"deployment", deployment_json}, {"service", service_json}, {"pdb", pdb_json}};
	struct rtdp_buf b;
	char file[SCAFFOLD_NAME_MAX + 32];
	size_t i, k;
	enum rtdp_rc rc;

	memset(out, 0, sizeof(*out));
	rtdp_buf_init(&b, 1 << 16);
	rc = namespace_json(&b, s) == RTDP_OK
	             ? add_object(out, "namespace.yaml", &b, err)
	             : rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	for (i = 0; rc == RTDP_OK && i < s->nstages; i++) {
		for (k = 0; rc == RTDP_OK && k < sizeof(parts) / sizeof(parts[0]); k++) {
			snprintf(file, sizeof(file), "%s-%s.yaml", s->stages[i].name,
			         parts[k].suffix);
			rc = parts[k].build(&b, s, &s->stages[i]);
			rc = rc == RTDP_OK ? add_object(out, file, &b, err)
			                   : rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
		}
	}
	rtdp_buf_release(&b);
	if (rc != RTDP_OK)
		scaffold_set_release(out);
	return rc;
}

void scaffold_set_release(struct scaffold_set *set)
{
	while (set->len > 0)
		cJSON_Delete(set->items[--set->len].object);
}

cJSON *scaffold_kustomization(const struct scaffold_set *set)
{
	cJSON *k = cJSON_CreateObject(), *res;
	size_t i;

	if (!k || !cJSON_AddStringToObject(k, "apiVersion", "kustomize.config.k8s.io/v1beta1") ||
	    !cJSON_AddStringToObject(k, "kind", "Kustomization") ||
	    !(res = cJSON_AddArrayToObject(k, "resources")))
		goto fail;
	for (i = 0; i < set->len; i++) {
		cJSON *f = cJSON_CreateString(set->items[i].file);

		if (!f)
			goto fail;
		cJSON_AddItemToArray(res, f);
	}
	return k;
fail:
	cJSON_Delete(k);
	return NULL;
}
