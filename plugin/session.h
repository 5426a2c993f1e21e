/*
 * A command's connection to the cluster: the kubeconfig resolved from the
 * connection flags, and an API client over it.
 */
#ifndef RTDP_PLUGIN_SESSION_H
#define RTDP_PLUGIN_SESSION_H

#include "conn_flags.h"
#include "kube_client.h"
#include "kubeconfig.h"

struct session {
	struct kube_config *cfg; /* owned */
	struct kube_client *client; /* owned; uses cfg */
};

/*
 * Opens a session for flags. On failure prints "error: ..." (kubectl's form)
 * and returns -1; the session is then empty.
 */
int session_open(struct session *s, const struct kube_conn_flags *flags);
void session_close(struct session *s);

/* The namespace commands use: -n, else the context's, else "default". Borrowed. */
const char *session_namespace(const struct session *s);

#endif
