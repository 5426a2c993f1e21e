/*
 * libFuzzer harness for what the plugin reads back from an apiserver: any
 * bytes as an error answer (kube_status_parse), and as a Deployment, Service
 * or EndpointSlice list for rollout waiting and `status` (rollout_check and
 * the status report). An answer is either understood or ignored, never a
 * crash or a leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "kube_client.h"
#include "rollout.h"
#include "status_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void as_status(const uint8_t *data, size_t size)
{
	struct kube_status *st = NULL;
	struct rtdp_error err;

	rtdp_error_init(&err);
	if (kube_status_parse((const char *)data, size, &st, &err) != RTDP_OK && st)
		abort();
	kube_status_free(st);
}

static void as_objects(const cJSON *obj)
{
	struct rtdp_error err;
	cJSON *doc = NULL;
	char msg[512];
	FILE *devnull;

	rollout_check(obj, msg, sizeof(msg));
	rtdp_error_init(&err);
	if (status_doc_new("fuzz", "fuzz", &doc, &err) != RTDP_OK)
		return;
	status_add_stage(doc, obj, &err);
	rtdp_error_init(&err);
	status_add_service(doc, obj, obj, &err);
	status_finish(doc);
	devnull = fopen("/dev/null", "w");
	if (devnull) {
		status_print_text(devnull, doc);
		fclose(devnull);
	}
	cJSON_Delete(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *obj;

	as_status(data, size);
	obj = cJSON_ParseWithLength((const char *)data, size);
	if (obj)
		as_objects(obj);
	cJSON_Delete(obj);
	return 0;
}
