/*
 * Starting and stopping the server. Threads: libmicrohttpd's pool
 * (--threads, each polling its share of the connections and running the
 * handler inline: an AdmissionReview takes microseconds), the watcher, and
 * the caller's (main waits for a signal, then calls server_stop).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "server.h"
#include "server_impl.h"
#include "wlog.h"
#include "rtdp/banned.h"

/* TLS 1.2 at least; GnuTLS's NORMAL set otherwise. */
#define TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"
/* Idle keep-alive connections are closed once no request was in flight for this long. */
#define DRAIN_IDLE_MS 200

union sockaddr_any {
	struct sockaddr sa;
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
};

static enum rtdp_rc parse_bind(const struct webhook_config *cfg, union sockaddr_any *addr, bool *v6,
                               struct rtdp_error *err)
{
	memset(addr, 0, sizeof(*addr));
	*v6 = false;
	if (inet_pton(AF_INET, cfg->bind, &addr->v4.sin_addr) == 1) {
		addr->v4.sin_family = AF_INET;
		addr->v4.sin_port = htons((uint16_t)cfg->port);
		return RTDP_OK;
	}
	if (inet_pton(AF_INET6, cfg->bind, &addr->v6.sin6_addr) == 1) {
		addr->v6.sin6_family = AF_INET6;
		addr->v6.sin6_port = htons((uint16_t)cfg->port);
		*v6 = true;
		return RTDP_OK;
	}
	return rtdp_error_set(err, RTDP_ERR_USAGE, "--bind '%s': not an IPv4 or IPv6 address",
	                      cfg->bind);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t len;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	len = strlen(msg);
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == '.'))
		msg[--len] = '\0';
	wlog(WLOG_DEBUG, "libmicrohttpd: %s", msg);
}

static enum rtdp_rc start_daemon(struct server *s, struct rtdp_error *err)
{
	unsigned flags = MHD_USE_TLS | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
	                 MHD_USE_ITC | MHD_USE_ERROR_LOG;
	unsigned timeout = (s->cfg.connection_timeout_ms + 999) / 1000;
	union sockaddr_any addr;
	const union MHD_DaemonInfo *info;
	bool v6;

	if (parse_bind(&s->cfg, &addr, &v6, err) != RTDP_OK)
		return err->rc;
	if (v6)
		flags |= MHD_USE_IPv6;
	s->daemon = MHD_start_daemon(
	        flags, (uint16_t)s->cfg.port, NULL, NULL, http_on_request, s,
	        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_SOCK_ADDR, &addr.sa,
	        MHD_OPTION_HTTPS_PRIORITIES, TLS_PRIORITIES, MHD_OPTION_HTTPS_CERT_CALLBACK,
	        tls_serve_retrieve, MHD_OPTION_THREAD_POOL_SIZE, s->cfg.threads,
	        MHD_OPTION_CONNECTION_LIMIT, s->cfg.max_connections,
	        MHD_OPTION_PER_IP_CONNECTION_LIMIT, s->cfg.max_connections_per_ip,
	        MHD_OPTION_CONNECTION_TIMEOUT, timeout, MHD_OPTION_NOTIFY_COMPLETED,
	        http_on_completed, s, MHD_OPTION_NOTIFY_CONNECTION, tls_serve_on_connection, s,
	        MHD_OPTION_END);
	if (!s->daemon)
		return rtdp_error_set(err, RTDP_ERR_IO,
		                      "cannot listen on %s port %u (in use, or not allowed?)",
		                      s->cfg.bind, s->cfg.port);
	info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : s->cfg.port;
	return RTDP_OK;
}

static void remember_files(struct server *s)
{
	file_id_get(s->cfg.policy_file, &s->watch.policy);
	file_id_get(s->cfg.cert_file, &s->watch.cert);
	file_id_get(s->cfg.key_file, &s->watch.key);
}

static void log_serving(const struct server *s)
{
	cJSON *f = cJSON_CreateObject();

	cJSON_AddStringToObject(f, "bind", s->cfg.bind);
	cJSON_AddNumberToObject(f, "port", s->port);
	cJSON_AddStringToObject(f, "policy", s->cfg.policy_file ? s->cfg.policy_file : "");
	cJSON_AddNumberToObject(f, "threads", s->cfg.threads);
	cJSON_AddNumberToObject(f, "max_body_bytes", (double)s->cfg.max_body_bytes);
	wlog_event(WLOG_INFO, "serving", f);
}

static void server_free(struct server *s)
{
	if (s->daemon)
		MHD_stop_daemon(s->daemon);
	if (s->listen_fd != MHD_INVALID_SOCKET)
		close(s->listen_fd);
	watch_stop(s);
	snapshot_release(&s->cert);
	snapshot_release(&s->policy);
	metrics_free(s->metrics);
	free(s);
}

enum rtdp_rc server_start(const struct webhook_config *cfg, struct server **out,
                          struct rtdp_error *err)
{
	struct server *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "cannot start: out of memory");
	s->cfg = *cfg;
	s->listen_fd = MHD_INVALID_SOCKET;
	remember_files(s);
	reload_init(s);
	if (metrics_new(&s->metrics, err) || reload_policy(s, true, err) ||
	    reload_cert(s, true, err) || start_daemon(s, err) || watch_start(s, err)) {
		server_free(s);
		return err->rc;
	}
	atomic_store(&s->ready, true);
	metrics_set_ready(s->metrics, true);
	log_serving(s);
	*out = s;
	return RTDP_OK;
}

unsigned server_port(const struct server *s)
{
	return s->port;
}

struct metrics *server_metrics(struct server *s)
{
	return s->metrics;
}

void server_check_files(struct server *s)
{
	watch_check(s);
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0)
		;
}

static long elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - since->tv_sec) * 1000 +
	       (now.tv_nsec - since->tv_nsec) / 1000000L;
}

/*
 * Waits until no request is in flight and no connection is open, or, when
 * idle keep-alive connections linger, until no request has been in flight for
 * a short while; at most grace_ms. Returns false when time ran out with
 * requests in flight.
 */
static bool drain(struct server *s, unsigned grace_ms)
{
	struct timespec start;
	long idle_since = -1;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int busy = atomic_load(&s->in_flight);
		long now = elapsed_ms(&start);

		if (busy == 0 && atomic_load(&s->connections) == 0)
			return true;
		if (busy == 0 && idle_since < 0)
			idle_since = now;
		if (busy != 0)
			idle_since = -1;
		if (idle_since >= 0 && now - idle_since >= DRAIN_IDLE_MS)
			return true;
		if (now >= (long)grace_ms)
			return busy == 0;
		sleep_ms(5);
	}
}

bool server_stop(struct server *s)
{
	bool drained;

	if (!s)
		return true;
	atomic_store(&s->draining, true);
	atomic_store(&s->ready, false);
	metrics_set_ready(s->metrics, false);
	wlog(WLOG_INFO, "shutting down: not ready, draining for up to %u ms",
	     s->cfg.shutdown_delay_ms + s->cfg.shutdown_grace_ms);
	if (s->cfg.shutdown_delay_ms)
		sleep_ms(s->cfg.shutdown_delay_ms);
	s->listen_fd = MHD_quiesce_daemon(s->daemon);
	/* Refuse what waits in the backlog now; the socket itself is closed after the daemon. */
	if (s->listen_fd != MHD_INVALID_SOCKET)
		shutdown(s->listen_fd, SHUT_RDWR);
	drained = drain(s, s->cfg.shutdown_grace_ms);
	if (!drained)
		wlog(WLOG_WARN, "shutdown grace period over with %d requests in flight",
		     atomic_load(&s->in_flight));
	server_free(s);
	wlog(WLOG_INFO, "stopped");
	return drained;
}
