/*
 * threads/queue.h - a bounded FIFO queue for POSIX threads: Python's
 * queue.Queue in C (put, get, get with a timeout, task_done, join) plus
 * close.
 *
 * Items are fixed-size blobs of `item_size` bytes, copied in and out, so
 * the same queue carries prodcons items, task ids or result records.
 * Return codes: 0, or a negative errno: -EPIPE once the queue is closed
 * (put at once; get only when nothing is left), -ETIMEDOUT from
 * tq_get_timeout, or what a failing pthread call returned.
 * Compare processes/queue.h: the same API and the same loop, over a
 * process-shared mapping.
 */
#ifndef TVP_THREADS_QUEUE_H
#define TVP_THREADS_QUEUE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Visible so a reader can see what the lock guards; use only the
 * functions below. `put`, `got` and `done` only ever grow: the items in the
 * queue are put - got, the slot of item i is i % capacity, and the items
 * still unfinished are put - done.
 */
struct tq {
	pthread_mutex_t lock;		/* guards every field below */
	pthread_cond_t not_full;	/* a get made room */
	pthread_cond_t not_empty;	/* a put added an item, or close */
	pthread_cond_t all_done;	/* task_done finished the last item */
	size_t capacity, item_size;
	uint64_t put, got, done;
	int closed;
	unsigned char *slot;		/* capacity * item_size bytes */
};

/* a condition variable whose timed waits count CLOCK_MONOTONIC; 0 or rc */
int tq_cond_init(pthread_cond_t *cv);
/* a queue of `capacity` items of `item_size` bytes; NULL with errno set */
struct tq *tq_create(size_t capacity, size_t item_size);
void tq_destroy(struct tq *q);
/* copy item in, waiting while the queue is full; 0 or -EPIPE if closed */
int tq_put(struct tq *q, const void *item);
/* copy the oldest item out, waiting while empty; -EPIPE: closed and empty */
int tq_get(struct tq *q, void *item);
/* as tq_get, waiting at most `seconds` (<= 0: not at all); -ETIMEDOUT */
int tq_get_timeout(struct tq *q, void *item, double seconds);
/*
 * No more puts: every put, and every get that finds the queue empty,
 * returns -EPIPE from now on; waiters wake. Items already in the queue
 * are still handed out, so close loses nothing.
 */
void tq_close(struct tq *q);
/* one item that get returned is finished (queue.Queue.task_done) */
void tq_task_done(struct tq *q);
/* wait until every item ever put is finished; 0 or -errno */
int tq_join(struct tq *q);

#endif
