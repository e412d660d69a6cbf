/*
 * threads/fetch.c - fetch with a thread pool and futures.
 *
 * The tutorial's ThreadPoolExecutor lesson, step by step: make a pool of
 * W threads, submit every download and keep its future, then take the
 * futures as they complete and look at each one's error before its result,
 * so that a failed download is counted and the others go on. A thread
 * waiting for its download costs no CPU, so W can be far larger than the
 * number of cores. The pool is started before the clock, as an executor
 * made in advance would be; the detail line says what starting it cost.
 * Compare processes/fetch.c (the same steps with forked processes) and
 * openmp/fetch.c (a dynamic loop instead of futures).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "sys/checked.h"
#include "sys/clock.h"
#include "threads/pool.h"
#include "threads/threads.h"

static int fetch_submit_all(struct cell *c, struct pool *p, struct future *fut)
{
	struct fetch *f = c->state;

	for (uint64_t i = 0; i < f->n; i++)
		CHECK_NEG(c, "pool_submit",
			  pool_submit(p, &fut[i], fetch_task_run, &f->job[i]));
	return 0;
}

/* as_completed: each future as it finishes; a failure is just an outcome */
static int fetch_take_all(struct cell *c, struct pool *p)
{
	struct future *done;
	int rc;

	while ((rc = pool_as_completed(p, &done)) == 0) {
		struct fetch_job *job = done->arg;

		fetch_collect(c->state, job->id, done->error, done->result);
	}
	if (rc == -ENOENT)	/* every future collected */
		return 0;
	cell_fail(c, "pool_as_completed: %s", strerror(-rc));
	return -1;
}

int threads_fetch_run(struct cell *c)
{
	struct fetch *f = c->state;
	struct pool_init init = { fetch_worker_init, fetch_worker_fini, f };
	size_t n = f->n ? f->n : 1;
	struct future *fut = calloc(n, sizeof(*fut));
	struct pool *p;
	double t;
	int rc, err;

	if (!fut) {
		cell_fail(c, "calloc: %s", strerror(ENOMEM));
		return -1;
	}
	t = clock_now();
	rc = pool_create(&p, c->workers, n, &init);
	if (rc) {
		cell_fail(c, "pool_create: %s", strerror(-rc));
		goto out_free;
	}
	/* the clock runs from the first submit: the pool is already up */
	fetch_clock_start(c, clock_now() - t);
	rc = fetch_submit_all(c, p, fut);
	if (!rc)
		rc = fetch_take_all(c, p);
	fetch_clock_stop(c);
	if (rc)
		pool_shutdown(p, 1);	/* cancel whatever has not started */
	err = pool_join(p);
	if (err && !rc) {
		cell_fail(c, "pool_join: %s", strerror(-err));
		rc = -1;
	}
	pool_destroy(p);
out_free:
	free(fut);
	return rc ? -1 : 0;
}
