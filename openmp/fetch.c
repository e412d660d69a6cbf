/*
 * openmp/fetch.c - fetch with OpenMP.
 *
 * No pool, no futures: a `parallel` region is the team, each thread sets
 * up its own connection at the top and closes it at the bottom, and a
 * `for` with schedule(dynamic, 1) deals tasks out one at a time, so a
 * thread that finishes early takes the next task (a static schedule would
 * fix each thread's share in advance, and one slow download would hold
 * up its whole block). Each outcome is recorded as it happens, so the
 * completion order is still seen; a failure is recorded like any result.
 * Compare threads/fetch.c and processes/fetch.c.
 */
#include <omp.h>

#include "fetch.h"
#include "openmp/openmp.h"
#include "sys/fault.h"

int openmp_fetch_run(struct cell *c)
{
	struct fetch *f = c->state;

#pragma omp parallel num_threads(c->workers)
	{
		int k = omp_get_thread_num();
		int init_error;

		fault_point(c, FAULT_WORKER, k);	/* tests */
		init_error = fetch_worker_init(f, k);

#pragma omp for schedule(dynamic, 1)
		for (uint64_t i = 0; i < f->n; i++) {
			int64_t result = 0;
			int error = init_error ? init_error :
				    fetch_task_run(&f->job[i], k, &result);

			fetch_collect(f, i, error, result);
		}
		fetch_worker_fini(f, k);
	}
	return 0;
}
