/*
 * threads/pool.h - a fixed pool of worker threads that returns futures:
 * Python's concurrent.futures.ThreadPoolExecutor, with as_completed, in C.
 *
 *	pool_create(&p, W, capacity, &init);
 *	for each task:  pool_submit(p, &futures[i], fn, arg);
 *	while (pool_as_completed(p, &f) == 0)
 *		f->error ? count the failure : use f->result;
 *	pool_join(p);		(after pool_shutdown(p, 1) to cancel the rest)
 *	pool_destroy(p);
 *
 * Return codes: 0, or a negative errno.
 * Compare processes/pool.h: the same API over forked processes.
 */
#ifndef TVP_THREADS_POOL_H
#define TVP_THREADS_POOL_H

#include <stddef.h>

#include "sys/future.h"

struct pool;

/*
 * Start `workers` threads, each running init (may be NULL) and then tasks.
 * `capacity` bounds the futures submitted and not yet collected.
 */
int pool_create(struct pool **p, int workers, size_t capacity,
		const struct pool_init *init);
/*
 * Queue fn(arg) and fill in *f when it has run. -ENOSPC: `capacity`
 * futures are out and none collected; -EPIPE: the pool is shut down.
 */
int pool_submit(struct pool *p, struct future *f, pool_fn fn, void *arg);
/*
 * The next future to finish (done, failed or cancelled), in the order
 * they finished, waiting if none has yet. -ENOENT: none is outstanding.
 */
int pool_as_completed(struct pool *p, struct future **f);
/*
 * No more submits; returns at once. Futures already queued still run, or,
 * with cancel_pending, come back FUTURE_CANCELLED without running.
 */
void pool_shutdown(struct pool *p, int cancel_pending);
/* shut down and wait for every worker to finish; 0 or -errno */
int pool_join(struct pool *p);
/* join if not yet joined, and free */
void pool_destroy(struct pool *p);

#endif
