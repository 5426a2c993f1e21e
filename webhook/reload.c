/*
 * Loading the policy and the serving certificate, at start and whenever the
 * watcher sees their files change. A new version is published only when it
 * loads and checks cleanly; otherwise the previous one stays in force, the
 * failure is logged and counted, and the next change is tried again.
 */
#include <stdlib.h>

#include "server_impl.h"
#include "tls_cert.h"
#include "wlog.h"
#include "rtdp/policy.h"
#include "rtdp/banned.h"

static void policy_destroy(void *p)
{
	rtdp_policy_free(p);
}

void reload_init(struct server *s)
{
	snapshot_init(&s->policy, policy_destroy);
	snapshot_init(&s->cert, tls_cert_free);
}

static enum rtdp_rc load_policy(const char *path, struct rtdp_policy **out, struct rtdp_error *err)
{
	if (!path)
		return rtdp_policy_default(out, err);
	return rtdp_policy_load_file(path, out, err);
}

enum rtdp_rc reload_policy(struct server *s, bool initial, struct rtdp_error *err)
{
	struct rtdp_policy *p = NULL;
	const char *source = s->cfg.policy_file ? s->cfg.policy_file : "(built-in)";
	enum rtdp_rc rc;

	rc = load_policy(s->cfg.policy_file, &p, err);
	if (rc == RTDP_OK)
		rc = snapshot_publish(&s->policy, p, err);
	if (!initial)
		metrics_policy_reload(s->metrics,
		                      rc == RTDP_OK ? METRICS_SUCCESS : METRICS_FAILURE);
	if (rc == RTDP_OK) {
		wlog(WLOG_INFO, "policy %s: %s", initial ? "loaded" : "reloaded", source);
		return RTDP_OK;
	}
	if (!initial)
		wlog(WLOG_ERROR, "policy reload failed, the previous policy stays in force: %s",
		     err->msg);
	return rc;
}

static void log_cert(const struct tls_cert *c, bool initial)
{
	cJSON *f = cJSON_CreateObject();
	char when[32];
	struct tm tm;

	gmtime_r(&c->info.not_after, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	cJSON_AddStringToObject(f, "subject", c->info.subject);
	cJSON_AddStringToObject(f, "sans", c->info.sans);
	cJSON_AddStringToObject(f, "not_after", when);
	wlog_event(WLOG_INFO, initial ? "certificate loaded" : "certificate reloaded", f);
}

enum rtdp_rc reload_cert(struct server *s, bool initial, struct rtdp_error *err)
{
	struct tls_cert *c = NULL;
	time_t not_after = 0;
	enum rtdp_rc rc;

	rc = tls_cert_load(s->cfg.cert_file, s->cfg.key_file, s->cfg.tls_san, &c, err);
	if (rc == RTDP_OK) {
		log_cert(c, initial);
		not_after = c->info.not_after;
		rc = snapshot_publish(&s->cert, c, err);
	}
	if (!initial)
		metrics_cert_reload(s->metrics, rc == RTDP_OK ? METRICS_SUCCESS : METRICS_FAILURE);
	if (rc == RTDP_OK) {
		metrics_cert_expiry(s->metrics, not_after);
		return RTDP_OK;
	}
	if (!initial)
		wlog(WLOG_ERROR,
		     "certificate reload failed, the previous certificate is still served: %s",
		     err->msg);
	return rc;
}
