#include <stdio.h>
#include <string.h>

#include "session.h"
#include "rtdp/banned.h"

int session_open(struct session *s, const struct kube_conn_flags *flags)
{
	struct rtdp_error err;

	memset(s, 0, sizeof(*s));
	rtdp_error_init(&err);
	if (kube_config_load(flags, &s->cfg, &err) != RTDP_OK ||
	    kube_client_new(s->cfg, NULL, &s->client, &err) != RTDP_OK) {
		fprintf(stderr, "error: %s\n", err.msg);
		session_close(s);
		return -1;
	}
	return 0;
}

void session_close(struct session *s)
{
	kube_client_free(s->client);
	kube_config_free(s->cfg);
	s->client = NULL;
	s->cfg = NULL;
}

const char *session_namespace(const struct session *s)
{
	return s->cfg && s->cfg->namespace ? s->cfg->namespace : "default";
}
