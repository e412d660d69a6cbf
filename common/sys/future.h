/*
 * future.h - what a pool hands back for each task it is given: Python's
 * concurrent.futures.Future, reduced to its state, its result and its
 * error.
 *
 * One definition for both pools (threads/pool.h, processes/pool.h),
 * so that their callers read alike. The submitter owns the future's
 * memory; for the process pool it must be shared memory (shm_alloc()),
 * since a child process fills it in.
 */
#ifndef TVP_FUTURE_H
#define TVP_FUTURE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

enum future_state {
	FUTURE_PENDING,		/* submitted, waiting for a worker */
	FUTURE_RUNNING,
	FUTURE_DONE,		/* result holds the task's value */
	FUTURE_FAILED,		/* error holds the task's -errno */
	FUTURE_CANCELLED,	/* the pool shut down before it ran */
};

/* a task: 0 with *result set, or a negative errno (a failure, not a crash) */
typedef int (*pool_fn)(void *arg, int worker, int64_t *result);

/*
 * Per-worker set-up and clean-up (ThreadPoolExecutor's `initializer`):
 * init runs in the worker before its first task; fini after its last,
 * even if init failed, so it can undo what init did. A worker whose init
 * failed fails every task it takes, with init's error.
 */
struct pool_init {
	int (*init)(void *arg, int worker);	/* 0 or -errno */
	void (*fini)(void *arg, int worker);
	void *arg;
};

struct future {
	_Atomic int state;	/* enum future_state */
	pool_fn fn;
	void *arg;
	int64_t result;		/* valid once DONE */
	int error;		/* valid once FAILED (or CANCELLED: -ECANCELED) */
};

/* the state, safe to poll while a worker runs it */
static inline enum future_state future_state(const struct future *f)
{
	return (enum future_state)atomic_load_explicit(&f->state,
						       memory_order_acquire);
}

/*
 * The futures a pool has out: submitted and not yet collected. A pool's
 * two queues hold `capacity` futures each, so while no more than that are
 * out a worker never waits to hand a result back.
 */
struct outstanding {
	atomic_size_t n;
	size_t capacity;
};

/* one more out: 0, or -ENOSPC when `capacity` are */
int outstanding_add(struct outstanding *o);
/* one fewer: 0, or -ENOENT when none is out */
int outstanding_remove(struct outstanding *o);

/* a pool's submit: the fields a worker will read, before it can see them */
void future_prepare(struct future *f, pool_fn fn, void *arg);
/*
 * A worker's step: run f (or cancel it, or fail it with init_error) and
 * publish the outcome. The state is stored last, with release order, so
 * whoever sees FUTURE_DONE also sees the result.
 */
void future_run(struct future *f, int worker, int init_error, int cancel);

#endif
