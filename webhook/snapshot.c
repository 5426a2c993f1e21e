#include <stdatomic.h>
#include <stdlib.h>

#include "snapshot.h"
#include "rtdp/banned.h"

struct snapshot_ref {
	atomic_uint refs;
	void *obj; /* owned */
	void (*destroy)(void *obj);
};

void snapshot_init(struct snapshot *s, void (*destroy)(void *obj))
{
	pthread_mutex_init(&s->lock, NULL);
	s->cur = NULL;
	s->destroy = destroy;
}

void snapshot_release(struct snapshot *s)
{
	struct snapshot_ref *old;

	pthread_mutex_lock(&s->lock);
	old = s->cur;
	s->cur = NULL;
	pthread_mutex_unlock(&s->lock);
	snapshot_put(old);
	pthread_mutex_destroy(&s->lock);
}

enum rtdp_rc snapshot_publish(struct snapshot *s, void *obj, struct rtdp_error *err)
{
	struct snapshot_ref *ref = malloc(sizeof(*ref));
	struct snapshot_ref *old;

	if (!ref) {
		s->destroy(obj);
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "cannot publish: out of memory");
	}
	atomic_init(&ref->refs, 1);
	ref->obj = obj;
	ref->destroy = s->destroy;
	pthread_mutex_lock(&s->lock);
	old = s->cur;
	s->cur = ref;
	pthread_mutex_unlock(&s->lock);
	snapshot_put(old);
	return RTDP_OK;
}

struct snapshot_ref *snapshot_acquire(struct snapshot *s)
{
	struct snapshot_ref *ref;

	pthread_mutex_lock(&s->lock);
	ref = s->cur;
	if (ref)
		atomic_fetch_add_explicit(&ref->refs, 1, memory_order_relaxed);
	pthread_mutex_unlock(&s->lock);
	return ref;
}

void *snapshot_get(const struct snapshot_ref *ref)
{
	return ref ? ref->obj : NULL;
}

void snapshot_put(struct snapshot_ref *ref)
{
	if (!ref)
		return;
	if (atomic_fetch_sub_explicit(&ref->refs, 1, memory_order_acq_rel) != 1)
		return;
	ref->destroy(ref->obj);
	free(ref);
}
