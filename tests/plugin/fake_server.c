#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "fake_server.h"

#define MAX_REQUESTS 64

struct fake_server {
	const struct fake_step *steps;
	size_t nsteps, next;
	int listen_fd;
	int conn;
	char url[64];
	pthread_t thread;
	atomic_int stop;
	pthread_mutex_t lock;
	struct fake_request log[MAX_REQUESTS];
	size_t nlog;
	atomic_uint connections;
};

static const char no_more[] = "HTTP/1.1 599 No More Steps\r\nContent-Length: 0\r\n\r\n";

static void close_conn(struct fake_server *s)
{
	if (s->conn >= 0)
		close(s->conn);
	s->conn = -1;
}

/* Waits for fd to be readable; 1 readable, 0 stopping. */
static int wait_readable(struct fake_server *s, int fd)
{
	struct pollfd p = {fd, POLLIN, 0};

	while (!atomic_load(&s->stop)) {
		if (poll(&p, 1, 20) > 0)
			return 1;
	}
	return 0;
}

static void accept_one(struct fake_server *s)
{
	if (!wait_readable(s, s->listen_fd))
		return;
	s->conn = accept(s->listen_fd, NULL, NULL);
	if (s->conn >= 0)
		atomic_fetch_add(&s->connections, 1);
}

/*
 * Waits for the next request's first bytes; a new connection while the current
 * one is idle replaces it (the client gave up on the old one). 0 when stopping.
 */
static int wait_request(struct fake_server *s)
{
	struct pollfd p[2] = {{s->conn, POLLIN, 0}, {s->listen_fd, POLLIN, 0}};

	while (!atomic_load(&s->stop)) {
		if (poll(p, 2, 20) <= 0)
			continue;
		if (p[0].revents)
			return 1;
		close_conn(s);
		accept_one(s);
		p[0].fd = s->conn;
	}
	return 0;
}

static size_t content_length(const char *headers)
{
	const char *p = headers;

	while ((p = strchr(p, '\n')) != NULL) {
		p++;
		if (strncasecmp(p, "Content-Length:", 15) == 0)
			return (size_t)strtoul(p + 15, NULL, 10);
	}
	return 0;
}

/* Reads one request into r; 0 when the connection closed (or the server stops). */
static int read_request(struct fake_server *s, struct fake_request *r)
{
	static char buf[sizeof(((struct fake_request *)0)->headers) +
	                sizeof(((struct fake_request *)0)->body)];
	size_t len = 0, need;
	char *end = NULL;
	ssize_t got;

	memset(r, 0, sizeof(*r));
	for (;;) {
		if (len == 0 && !wait_request(s))
			return 0;
		if (len > 0 && !wait_readable(s, s->conn))
			return 0;
		got = read(s->conn, buf + len, sizeof(buf) - 1 - len);
		if (got <= 0)
			return 0;
		len += (size_t)got;
		buf[len] = '\0';
		end = end ? end : strstr(buf, "\r\n\r\n");
		if (!end)
			continue;
		need = (size_t)(end + 4 - buf) + content_length(buf);
		if (len >= need || len == sizeof(buf) - 1)
			break;
	}
	sscanf(buf, "%15s %2047s", r->method, r->target);
	snprintf(r->headers, sizeof(r->headers), "%.*s", (int)(end - buf), buf);
	r->body_len = len - (size_t)(end + 4 - buf);
	if (r->body_len > sizeof(r->body))
		r->body_len = sizeof(r->body);
	memcpy(r->body, end + 4, r->body_len);
	return 1;
}

static void send_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = send(fd, data, len, MSG_NOSIGNAL);
		if (n <= 0)
			return;
		data += n;
		len -= (size_t)n;
	}
}

static void hang(struct fake_server *s)
{
	char buf[256];

	while (wait_readable(s, s->conn))
		if (read(s->conn, buf, sizeof(buf)) <= 0)
			break;
	close_conn(s);
}

static void act(struct fake_server *s, const struct fake_step *step)
{
	struct linger lg = {1, 0};

	switch (step->action) {
	case FAKE_REPLY:
		send_all(s->conn, step->raw, strlen(step->raw));
		if (strstr(step->raw, "Connection: close"))
			close_conn(s);
		return;
	case FAKE_PARTIAL:
		send_all(s->conn, step->raw, strlen(step->raw));
		close_conn(s);
		return;
	case FAKE_CLOSE:
		close_conn(s);
		return;
	case FAKE_RESET:
		setsockopt(s->conn, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close_conn(s);
		return;
	case FAKE_HANG:
		hang(s);
		return;
	}
}

static void *serve(void *arg)
{
	struct fake_server *s = arg;
	struct fake_request r;
	struct fake_step extra = {FAKE_REPLY, no_more};

	while (!atomic_load(&s->stop)) {
		if (s->conn < 0) {
			accept_one(s);
			continue;
		}
		if (!read_request(s, &r)) {
			close_conn(s);
			continue;
		}
		pthread_mutex_lock(&s->lock);
		if (s->nlog < MAX_REQUESTS)
			s->log[s->nlog++] = r;
		pthread_mutex_unlock(&s->lock);
		act(s, s->next < s->nsteps ? &s->steps[s->next] : &extra);
		s->next++;
	}
	close_conn(s);
	return NULL;
}

struct fake_server *fake_server_start(const struct fake_step *steps, size_t n)
{
	struct fake_server *s = calloc(1, sizeof(*s));
	struct sockaddr_in addr;
	socklen_t alen = sizeof(addr);

	assert_non_null(s);
	s->steps = steps;
	s->nsteps = n;
	s->conn = -1;
	atomic_init(&s->stop, 0);
	atomic_init(&s->connections, 0);
	pthread_mutex_init(&s->lock, NULL);
	s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s->listen_fd >= 0);
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s->listen_fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(listen(s->listen_fd, 16), 0);
	assert_int_equal(getsockname(s->listen_fd, (struct sockaddr *)&addr, &alen), 0);
	snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%u", (unsigned)ntohs(addr.sin_port));
	assert_int_equal(pthread_create(&s->thread, NULL, serve, s), 0);
	return s;
}

const char *fake_server_url(const struct fake_server *s)
{
	return s->url;
}

size_t fake_server_nrequests(struct fake_server *s)
{
	size_t n;

	pthread_mutex_lock(&s->lock);
	n = s->nlog;
	pthread_mutex_unlock(&s->lock);
	return n;
}

void fake_server_request(struct fake_server *s, size_t i, struct fake_request *out)
{
	pthread_mutex_lock(&s->lock);
	assert_true(i < s->nlog);
	*out = s->log[i];
	pthread_mutex_unlock(&s->lock);
}

unsigned fake_server_connections(struct fake_server *s)
{
	return atomic_load(&s->connections);
}

void fake_server_stop(struct fake_server *s)
{
	atomic_store(&s->stop, 1);
	pthread_join(s->thread, NULL);
	close(s->listen_fd);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

int fake_request_has_header(const struct fake_request *r, const char *line)
{
	const char *p = r->headers;
	size_t n = strlen(line);

	while ((p = strstr(p, line)) != NULL) {
		if ((p == r->headers || p[-1] == '\n') && (p[n] == '\r' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}
