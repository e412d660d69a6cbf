/*
 * queue.h - a bounded FIFO queue for the threads of an OpenMP region:
 * the role of threads/queue.h and processes/queue.h (prefix oq_), with
 * the part of their API that OpenMP can give: put, get, close.
 *
 * OpenMP has locks but no condition variables, so a thread that finds the
 * queue full or empty cannot sleep until it changes: it lets go of the
 * lock and looks again (common/sys/backoff.h's spin-then-yield). That is
 * the lesson of openmp/prodcons.c; it is also why there is no get with a
 * timeout, no task_done and no join here.
 * Return codes as in threads/queue.h: 0, or -EPIPE once the queue is
 * closed (put at once; get only when nothing is left).
 */
#ifndef TVP_OPENMP_QUEUE_H
#define TVP_OPENMP_QUEUE_H

#include <omp.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Visible so a reader can see what the lock guards; use only the
 * functions below. `put` and `got` only grow: the items in the queue are
 * put - got, and the slot of item i is i % capacity.
 */
struct oq {
	omp_lock_t lock;	/* guards every field below */
	size_t capacity, item_size;
	uint64_t put, got;
	int closed;
	unsigned char *slot;	/* capacity * item_size bytes */
};

/* a queue of `capacity` items of `item_size` bytes; NULL with errno set */
struct oq *oq_create(size_t capacity, size_t item_size);
void oq_destroy(struct oq *q);
/* copy item in, polling while the queue is full; 0 or -EPIPE if closed */
int oq_put(struct oq *q, const void *item);
/* copy the oldest item out, polling while empty; -EPIPE: closed and empty */
int oq_get(struct oq *q, void *item);
/* no more puts; items already in the queue are still handed out */
void oq_close(struct oq *q);

#endif
