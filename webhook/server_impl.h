/* The server's shared state and its internal entry points. Private to webhook/. */
#ifndef RTDP_WEBHOOK_SERVER_IMPL_H
#define RTDP_WEBHOOK_SERVER_IMPL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/stat.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <microhttpd.h>

#include "config.h"
#include "metrics.h"
#include "snapshot.h"

/* What identifies one version of a file: a new inode (rename, symlink swap) or a write. */
struct file_id {
	bool exists;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
};

struct watch {
	pthread_t thread;
	bool running;
	pthread_mutex_t lock; /* guards stop and the ids; held while checking */
	pthread_cond_t cond;
	bool stop;
	struct file_id policy, cert, key; /* the versions last tried */
};

struct server {
	struct webhook_config cfg;
	struct MHD_Daemon *daemon;
	MHD_socket listen_fd; /* after quiesce: ours to close once the daemon stopped */
	unsigned port;
	struct snapshot policy; /* struct rtdp_policy */
	struct snapshot cert; /* struct tls_cert */
	struct metrics *metrics;
	atomic_bool ready;
	atomic_bool draining;
	atomic_int in_flight;
	atomic_int connections;
	struct watch watch;
};

/* http.c: libmicrohttpd's callbacks; cls is the struct server. */
enum MHD_Result http_on_request(void *cls, struct MHD_Connection *c, const char *url,
                                const char *method, const char *version, const char *upload,
                                size_t *upload_size, void **req_cls);
void http_on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                       enum MHD_RequestTerminationCode toe);

/* tls_serve.c: per-connection state and the per-handshake certificate choice. */
void tls_serve_on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
                             enum MHD_ConnectionNotificationCode toe);
int tls_serve_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_dn, int nreqs,
                       const gnutls_pk_algorithm_t *algos, int nalgos, gnutls_pcert_st **pcert,
                       unsigned int *pcert_len, gnutls_privkey_t *key);

/* reload.c: (re)loading the two files; initial loads are not counted as reloads. */
void reload_init(struct server *s); /* the two empty snapshots, with their destructors */
enum rtdp_rc reload_policy(struct server *s, bool initial, struct rtdp_error *err);
enum rtdp_rc reload_cert(struct server *s, bool initial, struct rtdp_error *err);

/* watch.c */
void file_id_get(const char *path, struct file_id *id);
bool file_id_same(const struct file_id *a, const struct file_id *b);
enum rtdp_rc watch_start(struct server *s, struct rtdp_error *err);
void watch_stop(struct server *s);
void watch_check(struct server *s);

#endif
