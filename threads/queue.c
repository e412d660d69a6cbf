/*
 * threads/queue.c - the bounded buffer of every operating-systems course: one
 * mutex, two condition variables, a ring of slots.
 *
 * Each operation is the textbook loop, in the open: lock; `while` the
 * condition does not hold, wait (a wake-up is only a hint: another thread
 * may have taken the slot first, or the wake-up may be spurious, so the
 * condition is checked again); fill or empty one slot; signal the other
 * side; unlock. Two condition variables, not one: a put wakes a getter and
 * a get wakes a putter, never a thread of its own kind that would only go
 * back to sleep (OSTEP, chapter 30).
 * Timed waits use CLOCK_MONOTONIC, so setting the wall clock cannot make a
 * timeout fire early or late.
 * Compare processes/queue.c: the same code over a shared mapping, with
 * locks that survive fork() and a holder that dies.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sys/checked.h"
#include "sys/ring.h"
#include "threads/queue.h"

static unsigned char *tq_slot(struct tq *q, uint64_t i)
{
	return ring_slot(q->slot, i, q->capacity, q->item_size);
}

int tq_cond_init(pthread_cond_t *cv)
{
	pthread_condattr_t a;
	int rc = pthread_condattr_init(&a), drc;

	if (rc)
		return rc;
	rc = pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	if (!rc)
		rc = pthread_cond_init(cv, &a);
	drc = pthread_condattr_destroy(&a);
	if (drc && !rc) {	/* cv is made and fine; the caller must not get it */
		WARN_PT(pthread_cond_destroy(cv));
		rc = drc;
	}
	return rc;
}

static int tq_init(struct tq *q)
{
	int rc = pthread_mutex_init(&q->lock, NULL);

	if (rc)
		return rc;
	rc = tq_cond_init(&q->not_full);
	if (rc)
		goto out_mutex;
	rc = tq_cond_init(&q->not_empty);
	if (rc)
		goto out_not_full;
	rc = tq_cond_init(&q->all_done);
	if (rc)
		goto out_not_empty;
	return 0;
out_not_empty:
	WARN_PT(pthread_cond_destroy(&q->not_empty));
out_not_full:
	WARN_PT(pthread_cond_destroy(&q->not_full));
out_mutex:
	WARN_PT(pthread_mutex_destroy(&q->lock));
	return rc;
}

struct tq *tq_create(size_t capacity, size_t item_size)
{
	size_t bytes;
	unsigned char *slot;
	struct tq *q = ring_alloc(sizeof(*q), capacity, item_size, ring_calloc,
				  &bytes, &slot);
	int rc;

	if (!q)
		return NULL;
	q->capacity = capacity;
	q->item_size = item_size;
	q->slot = slot;
	rc = tq_init(q);
	if (rc) {
		free(q);
		errno = rc;
		return NULL;
	}
	return q;
}

void tq_destroy(struct tq *q)
{
	if (!q)
		return;
	/* nobody may wait on q any more, so EBUSY here is a bug: say so */
	WARN_PT(pthread_cond_destroy(&q->all_done));
	WARN_PT(pthread_cond_destroy(&q->not_empty));
	WARN_PT(pthread_cond_destroy(&q->not_full));
	WARN_PT(pthread_mutex_destroy(&q->lock));
	free(q);
}

/* the first failure wins: a wait that failed, else the unlock */
static int tq_unlock(struct tq *q, int rc)
{
	int urc = pthread_mutex_unlock(&q->lock);

	return -(rc ? rc : urc);
}

int tq_put(struct tq *q, const void *item)
{
	int rc = pthread_mutex_lock(&q->lock);

	if (rc)
		return -rc;
	while (q->put - q->got == q->capacity && !q->closed) {
		rc = pthread_cond_wait(&q->not_full, &q->lock);
		if (rc)
			return tq_unlock(q, rc);
	}
	if (q->closed)
		return tq_unlock(q, EPIPE);
	memcpy(tq_slot(q, q->put), item, q->item_size);
	q->put++;
	rc = pthread_cond_signal(&q->not_empty);
	return tq_unlock(q, rc);
}

/* get, waiting until `deadline` (NULL: for ever) */
static int tq_take(struct tq *q, void *item, const struct timespec *deadline)
{
	int rc = pthread_mutex_lock(&q->lock);

	if (rc)
		return -rc;
	while (q->put == q->got && !q->closed) {
		rc = deadline ? pthread_cond_timedwait(&q->not_empty, &q->lock,
						       deadline)
			      : pthread_cond_wait(&q->not_empty, &q->lock);
		if (rc)
			return tq_unlock(q, rc);	/* ETIMEDOUT, or a failure */
	}
	if (q->put == q->got)
		return tq_unlock(q, EPIPE);	/* closed, and nothing left */
	memcpy(item, tq_slot(q, q->got), q->item_size);
	q->got++;
	rc = pthread_cond_signal(&q->not_full);
	return tq_unlock(q, rc);
}

int tq_get(struct tq *q, void *item)
{
	return tq_take(q, item, NULL);
}

int tq_get_timeout(struct tq *q, void *item, double seconds)
{
	struct timespec ts;

	return tq_take(q, item, ring_deadline(seconds, &ts));
}

/*
 * close and task_done return nothing (as in queue.Queue), and on a mutex
 * that tq_create() initialised with default attributes lock and unlock
 * cannot fail: none of their errors (EINVAL, EAGAIN, EDEADLK, EPERM) can
 * arise for a valid, unowned default mutex; a broadcast or signal cannot
 * fail on an initialised condition variable. WARN_PT still says so if
 * one does (a queue overwritten by a bug): there is nobody to return to.
 */
void tq_close(struct tq *q)
{
	WARN_PT(pthread_mutex_lock(&q->lock));
	q->closed = 1;
	WARN_PT(pthread_cond_broadcast(&q->not_empty));
	WARN_PT(pthread_cond_broadcast(&q->not_full));
	WARN_PT(pthread_mutex_unlock(&q->lock));
}

void tq_task_done(struct tq *q)
{
	WARN_PT(pthread_mutex_lock(&q->lock));
	if (q->done < q->got)	/* more task_done()s than gets: ignored */
		q->done++;
	if (q->done == q->put)
		WARN_PT(pthread_cond_broadcast(&q->all_done));
	WARN_PT(pthread_mutex_unlock(&q->lock));
}

int tq_join(struct tq *q)
{
	int rc = pthread_mutex_lock(&q->lock);

	if (rc)
		return -rc;
	while (q->done != q->put) {
		rc = pthread_cond_wait(&q->all_done, &q->lock);
		if (rc)
			return tq_unlock(q, rc);
	}
	return tq_unlock(q, 0);
}
