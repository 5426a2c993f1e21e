#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rollout.h"
#include "rtdp/json.h"
#include "rtdp/banned.h"

static long member_int(const cJSON *obj, const char *key, long fallback)
{
	int n;

	return rtdp_json_int(cJSON_GetObjectItemCaseSensitive(obj, key), &n) ? n : fallback;
}

static const cJSON *condition(const cJSON *status, const char *type)
{
	const cJSON *conds = cJSON_GetObjectItemCaseSensitive(status, "conditions"), *c;

	cJSON_ArrayForEach(c, conds)
	{
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(c, "type");

		if (cJSON_IsString(t) && strcmp(t->valuestring, type) == 0)
			return c;
	}
	return NULL;
}

static const char *name_of(const cJSON *d)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(
	        cJSON_GetObjectItemCaseSensitive(d, "metadata"), "name");

	return cJSON_IsString(n) ? n->valuestring : "?";
}

enum rollout_state rollout_check(const cJSON *d, char *msg, size_t n)
{
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(d, "metadata");
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(d, "spec");
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(d, "status");
	const cJSON *progressing = condition(status, "Progressing");
	const cJSON *reason = cJSON_GetObjectItemCaseSensitive(progressing, "reason");
	const char *name = name_of(d);
	long desired = member_int(spec, "replicas", 1),
	     updated = member_int(status, "updatedReplicas", 0);
	long replicas = member_int(status, "replicas", 0),
	     available = member_int(status, "availableReplicas", 0);

	if (member_int(meta, "generation", 0) > member_int(status, "observedGeneration", -1)) {
		snprintf(msg, n, "Waiting for deployment spec update to be observed...");
		return ROLLOUT_WAITING;
	}
	if (cJSON_IsString(reason) &&
	    strcmp(reason->valuestring, "ProgressDeadlineExceeded") == 0) {
		snprintf(msg, n, "deployment \"%s\" exceeded its progress deadline", name);
		return ROLLOUT_FAILED;
	}
	if (updated < desired) {
		snprintf(msg, n,
		         "Waiting for deployment \"%s\" rollout to finish: %ld out of %ld new "
		         "replicas have been updated...",
		         name, updated, desired);
		return ROLLOUT_WAITING;
	}
	if (replicas > updated) {
		snprintf(msg, n,
		         "Waiting for deployment \"%s\" rollout to finish: %ld old replicas are "
		         "pending termination...",
		         name, replicas - updated);
		return ROLLOUT_WAITING;
	}
	if (available < updated) {
		snprintf(msg, n,
		         "Waiting for deployment \"%s\" rollout to finish: %ld of %ld updated "
		         "replicas are available...",
		         name, available, updated);
		return ROLLOUT_WAITING;
	}
	snprintf(msg, n, "deployment \"%s\" successfully rolled out", name);
	return ROLLOUT_DONE;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* One GET and check; returns the state, or ROLLOUT_FAILED on a request error (printed). */
static enum rollout_state poll_once(struct kube_client *client, const char *path, char *msg,
                                    size_t n)
{
	struct kube_response resp;
	struct rtdp_error err;
	cJSON *d;
	enum rollout_state state = ROLLOUT_FAILED;

	rtdp_error_init(&err);
	if (kube_get(client, path, &resp, &err) != RTDP_OK) {
		snprintf(msg, n, "%s", err.msg);
	} else if (!(d = cJSON_ParseWithLength(resp.body, resp.body_len))) {
		snprintf(msg, n, "the server's answer for %s is not JSON", path);
	} else {
		state = rollout_check(d, msg, n);
		cJSON_Delete(d);
	}
	kube_response_release(&resp);
	return state;
}

int rollout_wait(struct kube_client *client, const char *path, const char *name, long timeout_ms)
{
	char msg[512], last[512] = "";
	long start = now_ms(), interval = 250;
	enum rollout_state state;

	for (;;) {
		state = poll_once(client, path, msg, sizeof(msg));
		if (state == ROLLOUT_DONE) {
			printf("%s\n", msg);
			return 0;
		}
		if (state == ROLLOUT_FAILED) {
			fprintf(stderr, "error: %s\n", msg);
			return -1;
		}
		if (strcmp(msg, last) != 0) {
			printf("%s\n", msg);
			fflush(stdout);
			snprintf(last, sizeof(last), "%s", msg);
		}
		if (timeout_ms > 0 && now_ms() - start >= timeout_ms) {
			fprintf(stderr,
			        "error: timed out waiting for the condition on deployments/%s\n",
			        name);
			return -1;
		}
		sleep_ms(interval);
		if (interval < 2000)
			interval *= 2;
	}
}
