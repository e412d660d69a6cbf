/*
 * threads/team.c - the pthreads fork-join: create W threads, join W threads.
 *
 * The tutorial's threading.Thread(target=...).start() and .join(), in C.
 * Compare with processes/team.c (the same shape with fork/waitpid)
 * and an OpenMP `parallel` region, which does both in one pragma.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sys/fault.h"
#include "sys/pin.h"
#include "threads/team.h"

struct member {
	pthread_t tid;
	const struct cell *c;
	team_fn fn;
	void *arg;
	int id;
	int rc;
	int pin_rc;	/* kept apart: two threads must not both write c->error */
};

static void *team_member_main(void *p)
{
	struct member *m = p;

	fault_point(m->c, FAULT_WORKER, m->id);	/* tests only: TVP_FAULT */
	/* --pin: a thread binds itself before it does any work */
	m->pin_rc = pin_worker(m->c, m->id);
	m->rc = m->pin_rc ? -1 : m->fn(m->arg, m->id);
	return NULL;
}

/* join the first n members; report the first failure */
static int team_join(struct cell *c, struct member *m, int n)
{
	int failed = 0;

	for (int k = 0; k < n; k++) {
		int rc = pthread_join(m[k].tid, NULL);

		if (rc && !failed++)
			cell_fail(c, "pthread_join: %s", strerror(rc));
		else if (m[k].pin_rc && !failed++)
			cell_fail(c, "sched_setaffinity (worker %d): %s", k,
				  strerror(-m[k].pin_rc));
		else if (m[k].rc && !failed++ && !c->error[0])
			cell_fail(c, "worker %d failed", k);
	}
	return failed ? -1 : 0;
}

int team_run(struct cell *c, team_fn fn, void *arg)
{
	return team_run_stop(c, fn, arg, NULL);
}

int team_run_stop(struct cell *c, team_fn fn, void *arg, team_stop_fn stop)
{
	struct member *m = calloc((size_t)c->workers, sizeof(*m));
	int started, rc = 0;

	if (!m) {
		cell_fail(c, "calloc: %s", strerror(ENOMEM));
		return -1;
	}
	/* learn the CPU order once per runner, not once per thread */
	if (c->pin && (rc = pin_prepare()) != 0) {
		cell_fail(c, "--pin: reading the CPU topology: %s", strerror(-rc));
		free(m);
		return -1;
	}
	for (started = 0; started < c->workers; started++) {
		m[started] = (struct member){ .c = c, .fn = fn, .arg = arg,
					      .id = started };
		rc = fault_point(c, FAULT_CREATE, started);	/* tests: EAGAIN */
		if (!rc)
			rc = pthread_create(&m[started].tid, NULL,
					    team_member_main, &m[started]);
		if (rc)
			break;
	}
	/* the started ones may wait for one that never came: release them */
	if (rc && stop)
		stop(arg);
	if (team_join(c, m, started))
		rc = rc ? rc : -1;
	if (rc > 0)	/* creation failed: say so, after the others are joined */
		cell_fail(c, "pthread_create (worker %d of %d): %s", started,
			  c->workers, strerror(rc));
	free(m);
	return rc ? -1 : 0;
}
