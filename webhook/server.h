/*
 * rtdp-webhook's HTTPS server: libmicrohttpd (GnuTLS underneath) with a pool
 * of threads, a watcher thread that reloads the policy and the certificate
 * when their files change, and a graceful stop. main.c and the tests drive it.
 */
#ifndef RTDP_WEBHOOK_SERVER_H
#define RTDP_WEBHOOK_SERVER_H

#include <stdbool.h>

#include "config.h"
#include "metrics.h"
#include "rtdp/error.h"

struct server;

/*
 * Loads the policy (cfg->policy_file or the built-in one) and the checked
 * certificate, starts listening and the watcher, then reports ready. Refuses
 * to start (RTDP_ERR_TLS, _IO, _PARSE, _INVALID...) with a message naming the
 * file and the problem. cfg is copied; its strings must outlive the server.
 */
enum rtdp_rc server_start(const struct webhook_config *cfg, struct server **out,
                          struct rtdp_error *err);

/* The port actually listened on (useful with port 0). */
unsigned server_port(const struct server *s);
struct metrics *server_metrics(struct server *s);

/* Checks the watched files now, as the watcher does every --reload-interval. */
void server_check_files(struct server *s);

/*
 * Stops gracefully and frees s: reports not ready, keeps serving for
 * --shutdown-delay, stops accepting, lets in-flight requests finish for up to
 * --shutdown-grace, then closes everything. Returns false when the grace
 * period ran out with requests still in flight. NULL is a no-op (true).
 */
bool server_stop(struct server *s);

#endif
