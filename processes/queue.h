/*
 * processes/queue.h - a bounded FIFO queue that forked processes share: the
 * threads' queue (threads/queue.h) with the same API and return codes,
 * prefix sq_, living entirely in one shm_alloc() mapping.
 *
 * Create it before fork(): the mapping is anonymous MAP_SHARED, so every
 * child sees the same queue at the same address and nothing is left in
 * /dev/shm whatever happens to the processes. The lock and condition
 * variables are PTHREAD_PROCESS_SHARED; the lock is robust, so a process
 * that dies holding it does not wedge the others.
 * A process killed while *waiting* (inside pthread_cond_wait) is another
 * matter: glibc's condition variable keeps counting it as a waiter, so
 * later wake-ups can go to the dead process and pthread_cond_destroy()
 * would wait for it for ever. After any death, do not go on using the
 * queue: kill the survivors (processes/team.c does) and sq_destroy()
 * it, which only unmaps.
 * Compare threads/queue.h.
 */
#ifndef TVP_PROCESSES_QUEUE_H
#define TVP_PROCESSES_QUEUE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Visible so a reader can see what lives in shared memory; use only the
 * functions below. As in struct tq, `put`, `got` and `done` only grow and
 * each operation changes exactly one of them, with one store: a process
 * killed half-way through leaves the queue consistent.
 */
struct sq {
	pthread_mutex_t lock;		/* process-shared; robust unless _plain */
	pthread_cond_t not_full;	/* process-shared, CLOCK_MONOTONIC */
	pthread_cond_t not_empty;
	pthread_cond_t all_done;
	size_t capacity, item_size;
	size_t bytes;			/* of the whole mapping */
	uint64_t put, got, done;
	int closed;
	unsigned char *slot;		/* in the same mapping, after struct sq */
};

/* a shared queue of `capacity` items of `item_size` bytes; NULL + errno */
struct sq *sq_create(size_t capacity, size_t item_size);
/*
 * The same with a lock that is process-shared but not robust, the kind
 * threads/queue.c uses: cheaper per lock, but a process that dies holding
 * it leaves the others blocked until a supervisor kills them.
 */
struct sq *sq_create_plain(size_t capacity, size_t item_size);
/* after every process that used it is gone (or will not touch it again) */
void sq_destroy(struct sq *q);
int sq_put(struct sq *q, const void *item);	/* 0; -EPIPE if closed */
int sq_get(struct sq *q, void *item);		/* 0; -EPIPE: closed and empty */
/* as sq_get, waiting at most `seconds` (<= 0: not at all); -ETIMEDOUT */
int sq_get_timeout(struct sq *q, void *item, double seconds);
void sq_close(struct sq *q);			/* wakes every waiter */
void sq_task_done(struct sq *q);
int sq_join(struct sq *q);			/* every put item is done */

#endif
