/*
 * processes/pool.h - a fixed pool of pre-forked worker processes that returns
 * futures: threads/pool.h's API (prefix proc_pool_), as Python's
 * ProcessPoolExecutor offers ThreadPoolExecutor's.
 *
 * What changes with processes: a child sees only memory that was mapped
 * before it was forked, and writes back only through shared memory. So
 * the futures must come from shm_alloc(), and a task's argument must point
 * into memory mapped before proc_pool_create(); a result is a value, never
 * a pointer into the child. And a child can die: then as_completed returns
 * -ECHILD (Python's BrokenProcessPool) and proc_pool_error() says who and
 * how, instead of waiting for ever.
 * Compare threads/pool.h.
 */
#ifndef TVP_PROCESSES_POOL_H
#define TVP_PROCESSES_POOL_H

#include <stddef.h>

#include "sys/future.h"

struct proc_pool;

/* fork `workers` children, each running init (may be NULL), then tasks */
int proc_pool_create(struct proc_pool **p, int workers, size_t capacity,
		     const struct pool_init *init);
/* f in shm_alloc() memory; -ENOSPC, -EPIPE as pool_submit() */
int proc_pool_submit(struct proc_pool *p, struct future *f, pool_fn fn,
		     void *arg);
/* as pool_as_completed(); also -ECHILD: a worker died (proc_pool_error) */
int proc_pool_as_completed(struct proc_pool *p, struct future **f);
void proc_pool_shutdown(struct proc_pool *p, int cancel_pending);
/*
 * Shut down and reap every child (a broken pool's are killed first).
 * 0, or -ECHILD if a child failed (proc_pool_error() says how).
 */
int proc_pool_join(struct proc_pool *p);
/* join if not yet joined, and free */
void proc_pool_destroy(struct proc_pool *p);
/* why the pool broke: "worker 3 killed by SIGKILL (Killed)"; "" if not */
const char *proc_pool_error(const struct proc_pool *p);

#endif
