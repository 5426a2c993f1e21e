/*
 * A published object shared between request threads (the loaded policy, the
 * serving certificate). Once published an object is immutable: readers take
 * a reference, a writer publishes a whole new object, and the last reference
 * dropped destroys the old one. Nothing is ever edited in place.
 *
 * The slot's mutex covers only "load the pointer and add a reference" and the
 * pointer swap (a few instructions); the reference count itself is atomic, so
 * dropping a reference never takes the lock.
 */
#ifndef RTDP_WEBHOOK_SNAPSHOT_H
#define RTDP_WEBHOOK_SNAPSHOT_H

#include <pthread.h>

#include "rtdp/error.h"

struct snapshot_ref; /* one published object and its reference count */

struct snapshot {
	pthread_mutex_t lock;
	struct snapshot_ref *cur; /* owned reference; NULL until the first publish */
	void (*destroy)(void *obj); /* frees a published object; NULL is never passed */
};

/* An empty slot; destroy frees objects published into it. Cannot fail. */
void snapshot_init(struct snapshot *s, void (*destroy)(void *obj));
/* Drops the slot's own reference (readers may still hold theirs). */
void snapshot_release(struct snapshot *s);

/*
 * Publishes obj (ownership moves to the slot, also on failure, when obj is
 * destroyed at once). Readers that already hold the previous object keep it
 * until they put it back.
 */
enum rtdp_rc snapshot_publish(struct snapshot *s, void *obj, struct rtdp_error *err);

/* A new reference to the current object, or NULL when none was published. */
struct snapshot_ref *snapshot_acquire(struct snapshot *s);
/* The object behind ref (borrowed while ref is held). ref may be NULL. */
void *snapshot_get(const struct snapshot_ref *ref);
/* Drops a reference; the last one destroys the object. NULL is a no-op. */
void snapshot_put(struct snapshot_ref *ref);

#endif
