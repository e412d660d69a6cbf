/*
 * future.c - running one future; the same step in every pool.
 */
#include <errno.h>

#include "future.h"

void future_prepare(struct future *f, pool_fn fn, void *arg)
{
	f->fn = fn;
	f->arg = arg;
	f->result = 0;
	f->error = 0;
	atomic_store_explicit(&f->state, FUTURE_PENDING, memory_order_relaxed);
}

void future_run(struct future *f, int worker, int init_error, int cancel)
{
	int state;

	if (cancel) {
		f->error = -ECANCELED;
		state = FUTURE_CANCELLED;
	} else if (init_error) {
		f->error = init_error;
		state = FUTURE_FAILED;
	} else {
		atomic_store_explicit(&f->state, FUTURE_RUNNING,
				      memory_order_relaxed);
		f->error = f->fn(f->arg, worker, &f->result);
		state = f->error ? FUTURE_FAILED : FUTURE_DONE;
	}
	atomic_store_explicit(&f->state, state, memory_order_release);
}
