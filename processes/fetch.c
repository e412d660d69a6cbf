/*
 * processes/fetch.c - fetch with a pool of forked processes and futures.
 *
 * The steps of threads/fetch.c, with ProcessPoolExecutor's differences:
 * the futures are shared memory, allocated before the pool forks, because
 * a child fills them in; and a child can die, which the pool reports as a
 * broken pool (with the worker and the signal) rather than a hang. Each
 * child is a whole process waiting on its download, so W = 64 means 64
 * processes; they still cost no CPU while they wait. Forking them is not
 * free (milliseconds each on some virtual machines): the pool is started
 * before the clock, and the detail line says what that cost.
 * Compare threads/fetch.c and openmp/fetch.c.
 */
#include <errno.h>
#include <string.h>

#include "fetch.h"
#include "processes/pool.h"
#include "processes/processes.h"
#include "sys/checked.h"
#include "sys/clock.h"
#include "sys/shm.h"

static int fetch_submit_all(struct cell *c, struct proc_pool *p,
			    struct future *fut)
{
	struct fetch *f = c->state;

	for (uint64_t i = 0; i < f->n; i++)
		CHECK_NEG(c, "proc_pool_submit", proc_pool_submit(p, &fut[i],
				fetch_task_run, &f->job[i]));
	return 0;
}

/* as_completed: each future as it finishes; a failure is just an outcome */
static int fetch_take_all(struct cell *c, struct proc_pool *p)
{
	struct future *done;
	int rc;

	while ((rc = proc_pool_as_completed(p, &done)) == 0) {
		struct fetch_job *job = done->arg;

		fetch_collect(c->state, job->id, done->error, done->result);
	}
	if (rc == -ENOENT)	/* every future collected */
		return 0;
	if (rc == -ECHILD)
		cell_fail(c, "%s", proc_pool_error(p));
	else
		cell_fail(c, "proc_pool_as_completed: %s", strerror(-rc));
	return -1;
}

int processes_fetch_run(struct cell *c)
{
	struct fetch *f = c->state;
	struct pool_init init = { fetch_worker_init, fetch_worker_fini, f };
	size_t n = f->n ? f->n : 1;
	/* shared, and mapped before the fork: the children write into it */
	struct future *fut = shm_alloc(n * sizeof(*fut));
	struct proc_pool *p;
	double t;
	int rc, err;

	if (!fut) {
		cell_fail(c, "mmap: %s", strerror(errno));
		return -1;
	}
	t = clock_now();
	rc = proc_pool_create(&p, c->workers, n, &init);
	if (rc) {
		cell_fail(c, "proc_pool_create: %s", strerror(-rc));
		goto out_unmap;
	}
	/* the clock runs from the first submit: the pool is already up */
	fetch_clock_start(c, clock_now() - t);
	rc = fetch_submit_all(c, p, fut);
	if (!rc)
		rc = fetch_take_all(c, p);
	fetch_clock_stop(c);
	if (rc)
		proc_pool_shutdown(p, 1);	/* cancel whatever has not started */
	err = proc_pool_join(p);
	if (err && !rc) {
		cell_fail(c, "%s", proc_pool_error(p));
		rc = -1;
	}
	proc_pool_destroy(p);
out_unmap:
	err = shm_free(fut, n * sizeof(*fut));
	if (err && !rc) {
		cell_fail(c, "munmap: %s", strerror(-err));
		rc = -1;
	}
	return rc ? -1 : 0;
}
