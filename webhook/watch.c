/*
 * The watcher thread: every --reload-interval it compares the identity of the
 * policy, certificate and key files (device, inode, size, mtime: this sees
 * writes, renames and Kubernetes' symlink swaps of Secret volumes) with the
 * version last tried, and reloads what changed. The interval is the rate limit.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "server_impl.h"
#include "wlog.h"
#include "rtdp/banned.h"

void file_id_get(const char *path, struct file_id *id)
{
	struct stat st;

	memset(id, 0, sizeof(*id));
	if (!path || stat(path, &st) != 0)
		return;
	id->exists = true;
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	id->size = st.st_size;
	id->mtime = st.st_mtim;
}

bool file_id_same(const struct file_id *a, const struct file_id *b)
{
	return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino &&
	       a->size == b->size && a->mtime.tv_sec == b->mtime.tv_sec &&
	       a->mtime.tv_nsec == b->mtime.tv_nsec;
}

/* Caller holds watch.lock. */
static void check_locked(struct server *s)
{
	struct file_id policy, cert, key;
	struct rtdp_error err;

	if (s->cfg.policy_file) {
		file_id_get(s->cfg.policy_file, &policy);
		if (!file_id_same(&policy, &s->watch.policy)) {
			s->watch.policy = policy;
			rtdp_error_init(&err);
			reload_policy(s, false, &err);
		}
	}
	file_id_get(s->cfg.cert_file, &cert);
	file_id_get(s->cfg.key_file, &key);
	if (!file_id_same(&cert, &s->watch.cert) || !file_id_same(&key, &s->watch.key)) {
		s->watch.cert = cert;
		s->watch.key = key;
		rtdp_error_init(&err);
		reload_cert(s, false, &err);
	}
}

void watch_check(struct server *s)
{
	pthread_mutex_lock(&s->watch.lock);
	check_locked(s);
	pthread_mutex_unlock(&s->watch.lock);
}

static void deadline_after(struct timespec *ts, unsigned ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static void *watch_main(void *arg)
{
	struct server *s = arg;
	unsigned interval = s->cfg.reload_interval_ms ? s->cfg.reload_interval_ms : 1000;
	struct timespec deadline;

	pthread_mutex_lock(&s->watch.lock);
	while (!s->watch.stop) {
		deadline_after(&deadline, interval);
		while (!s->watch.stop && pthread_cond_timedwait(&s->watch.cond, &s->watch.lock,
		                                                &deadline) != ETIMEDOUT)
			;
		if (!s->watch.stop)
			check_locked(s);
	}
	pthread_mutex_unlock(&s->watch.lock);
	return NULL;
}

enum rtdp_rc watch_start(struct server *s, struct rtdp_error *err)
{
	pthread_condattr_t attr;
	int rc;

	pthread_mutex_init(&s->watch.lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&s->watch.cond, &attr);
	pthread_condattr_destroy(&attr);
	s->watch.stop = false;
	rc = pthread_create(&s->watch.thread, NULL, watch_main, s);
	if (rc != 0)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "cannot start the file watcher: %s",
		                      strerror(rc));
	s->watch.running = true;
	return RTDP_OK;
}

void watch_stop(struct server *s)
{
	if (!s->watch.running)
		return;
	pthread_mutex_lock(&s->watch.lock);
	s->watch.stop = true;
	pthread_cond_signal(&s->watch.cond);
	pthread_mutex_unlock(&s->watch.lock);
	pthread_join(s->watch.thread, NULL);
	s->watch.running = false;
	pthread_cond_destroy(&s->watch.cond);
	pthread_mutex_destroy(&s->watch.lock);
}
