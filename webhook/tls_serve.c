/*
 * Certificate rotation without a restart: every TLS handshake asks
 * tls_serve_retrieve for a certificate, which hands out the one published at
 * that moment. The connection keeps a reference to it until it closes, so a
 * rotation never pulls a certificate out from under a live session, and the
 * old one is freed when its last connection ends.
 */
#include <stdlib.h>

#include "server_impl.h"
#include "tls_cert.h"
#include "wlog.h"
#include "rtdp/banned.h"

struct conn_ctx {
	struct server *srv; /* borrowed */
	struct snapshot_ref *cert; /* owned reference once the handshake asked for it */
};

static void on_started(struct server *s, struct MHD_Connection *c, void **socket_ctx)
{
	const union MHD_ConnectionInfo *info;
	struct conn_ctx *ctx = calloc(1, sizeof(*ctx));

	atomic_fetch_add(&s->connections, 1);
	metrics_connections(s->metrics, 1);
	*socket_ctx = ctx;
	if (!ctx)
		return; /* the handshake finds no context and fails: the client retries */
	ctx->srv = s;
	info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (info && info->tls_session)
		gnutls_session_set_ptr((gnutls_session_t)info->tls_session, ctx);
}

void tls_serve_on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
                             enum MHD_ConnectionNotificationCode toe)
{
	struct server *s = cls;
	struct conn_ctx *ctx;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		on_started(s, c, socket_ctx);
		return;
	}
	ctx = *socket_ctx;
	*socket_ctx = NULL;
	if (ctx)
		snapshot_put(ctx->cert);
	free(ctx);
	atomic_fetch_sub(&s->connections, 1);
	metrics_connections(s->metrics, -1);
}

int tls_serve_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_dn, int nreqs,
                       const gnutls_pk_algorithm_t *algos, int nalgos, gnutls_pcert_st **pcert,
                       unsigned int *pcert_len, gnutls_privkey_t *key)
{
	struct conn_ctx *ctx = gnutls_session_get_ptr(session);
	struct tls_cert *cert;

	(void)req_ca_dn;
	(void)nreqs;
	(void)algos;
	(void)nalgos;
	if (!ctx)
		return -1;
	if (!ctx->cert)
		ctx->cert = snapshot_acquire(&ctx->srv->cert);
	cert = snapshot_get(ctx->cert);
	if (!cert) {
		wlog(WLOG_ERROR, "tls handshake without a certificate");
		return -1;
	}
	*pcert = cert->chain;
	*pcert_len = cert->chain_len;
	*key = cert->key;
	return 0;
}
