/*
 * future.c - running one future, and counting the futures a pool has out;
 * the same steps in every pool.
 */
#include <errno.h>

#include "sys/future.h"

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

int outstanding_add(struct outstanding *o)
{
	size_t n = atomic_load(&o->n);

	do
		if (n == o->capacity)
			return -ENOSPC;
	while (!atomic_compare_exchange_weak(&o->n, &n, n + 1));
	return 0;
}

int outstanding_remove(struct outstanding *o)
{
	size_t n = atomic_load(&o->n);

	do
		if (n == 0)
			return -ENOENT;
	while (!atomic_compare_exchange_weak(&o->n, &n, n - 1));
	return 0;
}
