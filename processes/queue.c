/*
 * processes/queue.c - the bounded buffer again, shared by forked processes.
 *
 * The loop is the one in threads/queue.c, line for line: lock; `while` the
 * condition does not hold, wait; fill or empty one slot; signal the other
 * side; unlock. What changes is where things live and who can die:
 * - the whole queue, slots included, is one anonymous MAP_SHARED mapping
 *   made before fork(), so parent and children use the same bytes;
 * - the lock and condition variables are PTHREAD_PROCESS_SHARED (a
 *   private futex would only ever wake threads of one process);
 * - the lock is robust (sq_create; sq_create_plain's is not, see
 *   processes/queue.h). A process killed while holding it would otherwise
 *   leave every other process blocked for ever; instead the next locker
 *   (or a waiter re-acquiring it on wake-up) gets EOWNERDEAD, and the queue
 *   needs no repair: every operation publishes its effect with one store
 *   (put += 1 after the slot is filled, got += 1 after it is copied out),
 *   so a process killed at any instruction leaves a queue that is either
 *   before or after its operation, never in between.
 * Compare threads/queue.c.
 */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include "processes/queue.h"
#include "sys/checked.h"
#include "sys/ring.h"
#include "sys/shm.h"

static unsigned char *sq_slot(struct sq *q, uint64_t i)
{
	return ring_slot(q->slot, i, q->capacity, q->item_size);
}

/*
 * Publish only after the slot is complete. A dying process stops at an
 * instruction boundary, like a signal handler interrupting it, so a signal
 * fence (which keeps the compiler from moving the stores across) is
 * exactly the ordering needed; the mutex orders them for other CPUs.
 */
static void sq_publish(uint64_t *counter)
{
	atomic_signal_fence(memory_order_seq_cst);
	*counter += 1;
}

static int sq_init(struct sq *q, int robust)
{
	int rc = robust ? shm_mutex_init(&q->lock) : shm_mutex_init_shared(&q->lock);

	if (!rc)
		rc = shm_cond_init(&q->not_full);
	if (!rc)
		rc = shm_cond_init(&q->not_empty);
	if (!rc)
		rc = shm_cond_init(&q->all_done);
	return rc;
}

static struct sq *sq_create_as(size_t capacity, size_t item_size, int robust)
{
	size_t bytes;
	unsigned char *slot;
	struct sq *q = ring_alloc(sizeof(*q), capacity, item_size, shm_alloc,
				  &bytes, &slot);
	int rc;

	if (!q)
		return NULL;
	q->capacity = capacity;
	q->item_size = item_size;
	q->bytes = bytes;
	q->slot = slot;
	rc = sq_init(q, robust);
	if (rc) {
		shm_free(q, bytes);
		errno = -rc;
		return NULL;
	}
	return q;
}

struct sq *sq_create(size_t capacity, size_t item_size)
{
	return sq_create_as(capacity, item_size, 1);
}

struct sq *sq_create_plain(size_t capacity, size_t item_size)
{
	return sq_create_as(capacity, item_size, 0);
}

/*
 * Unmapping is all there is to free: process-shared locks own no kernel
 * object (a futex is just an address). pthread_cond_destroy() is not
 * called on purpose: glibc's waits until every waiter that ever blocked
 * has left, and a waiter that was killed never leaves, so after a dead
 * child it would hang the parent for ever.
 */
void sq_destroy(struct sq *q)
{
	if (q)
		shm_free(q, q->bytes);
}

/* lock; a holder that died is not an error (see the top of the file) */
static int sq_lock(struct sq *q)
{
	int rc = shm_mutex_lock(&q->lock);

	return rc < 0 ? -rc : 0;
}

/* the first failure wins: a wait that failed, else the unlock */
static int sq_unlock(struct sq *q, int rc)
{
	int urc = pthread_mutex_unlock(&q->lock);

	return -(rc ? rc : urc);
}

/* wait on cv until `deadline` (NULL: for ever); 0 or an error number */
static int sq_wait(struct sq *q, pthread_cond_t *cv,
		   const struct timespec *deadline)
{
	int rc = deadline ? pthread_cond_timedwait(cv, &q->lock, deadline)
			  : pthread_cond_wait(cv, &q->lock);

	/* woken holding a lock whose previous owner died: ours, and sound */
	if (rc == EOWNERDEAD)
		rc = pthread_mutex_consistent(&q->lock);
	return rc;
}

int sq_put(struct sq *q, const void *item)
{
	int rc = sq_lock(q);

	if (rc)
		return -rc;
	while (q->put - q->got == q->capacity && !q->closed) {
		rc = sq_wait(q, &q->not_full, NULL);
		if (rc)
			return sq_unlock(q, rc);
	}
	if (q->closed)
		return sq_unlock(q, EPIPE);
	memcpy(sq_slot(q, q->put), item, q->item_size);
	sq_publish(&q->put);
	rc = pthread_cond_signal(&q->not_empty);
	return sq_unlock(q, rc);
}

/* get, waiting until `deadline` (NULL: for ever) */
static int sq_take(struct sq *q, void *item, const struct timespec *deadline)
{
	int rc = sq_lock(q);

	if (rc)
		return -rc;
	while (q->put == q->got && !q->closed) {
		rc = sq_wait(q, &q->not_empty, deadline);
		if (rc)
			return sq_unlock(q, rc);	/* ETIMEDOUT, or a failure */
	}
	if (q->put == q->got)
		return sq_unlock(q, EPIPE);	/* closed, and nothing left */
	memcpy(item, sq_slot(q, q->got), q->item_size);
	sq_publish(&q->got);
	rc = pthread_cond_signal(&q->not_full);
	return sq_unlock(q, rc);
}

int sq_get(struct sq *q, void *item)
{
	return sq_take(q, item, NULL);
}

int sq_get_timeout(struct sq *q, void *item, double seconds)
{
	struct timespec ts;

	return sq_take(q, item, ring_deadline(seconds, &ts));
}

/*
 * close and task_done return nothing (as in queue.Queue). The only way
 * their lock can fail is ENOTRECOVERABLE, which sq_lock() never lets a
 * mutex reach; signalling an initialised condition variable cannot fail.
 * WARN_PT still says so if one does: there is nobody to return to.
 */
void sq_close(struct sq *q)
{
	int rc = sq_lock(q);

	if (rc) {
		check_warn("pthread_mutex_lock", rc);
		return;
	}
	q->closed = 1;
	WARN_PT(pthread_cond_broadcast(&q->not_empty));
	WARN_PT(pthread_cond_broadcast(&q->not_full));
	WARN_PT(pthread_mutex_unlock(&q->lock));
}

void sq_task_done(struct sq *q)
{
	int rc = sq_lock(q);

	if (rc) {
		check_warn("pthread_mutex_lock", rc);
		return;
	}
	if (q->done < q->got)	/* more task_done()s than gets: ignored */
		sq_publish(&q->done);
	if (q->done == q->put)
		WARN_PT(pthread_cond_broadcast(&q->all_done));
	WARN_PT(pthread_mutex_unlock(&q->lock));
}

int sq_join(struct sq *q)
{
	int rc = sq_lock(q);

	if (rc)
		return -rc;
	while (q->done != q->put) {
		rc = sq_wait(q, &q->all_done, NULL);
		if (rc)
			return sq_unlock(q, rc);
	}
	return sq_unlock(q, 0);
}
