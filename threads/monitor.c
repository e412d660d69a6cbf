/*
 * threads/monitor.c - the tutorial's TaskMonitor with POSIX threads.
 *
 * main() starts the monitor thread, runs the workers (threads/team.c) and,
 * once they are joined, stops the monitor and joins it. Three ways to say
 * "stop", one function pair each, in the order of the variants. Each
 * monitor looks once before it first checks its flag, as a monitor that
 * is started must: the work may be over before the thread first runs.
 *
 * atomic-flag: `atomic_bool running`. The monitor re-reads it after every
 *   sleep, so stop() takes effect within one --interval.
 * condvar: a mutex, a condition variable and a `stop` flag under the
 *   mutex. The monitor waits with pthread_cond_timedwait() instead of
 *   sleeping: the timeout is its sampling tick, and stop()'s signal wakes
 *   it at once, so stopping costs no interval at all.
 * plain-flag: DELIBERATELY BROKEN. A plain `int running`, written by main
 *   and read by the monitor with no lock and no atomic: a data race,
 *   undefined behaviour in C11. It usually "works" on x86 because the
 *   sleep call forces a re-read, and that is exactly why it is a lesson:
 *   ThreadSanitizer reports it (`make tsan`; labs/lab7-monitor.md). Its
 *   functions are named *_broken so that tests/tsan.supp lets the test
 *   suites run it; the check in mk/check.mk runs it without that list.
 * Compare: the tutorial's `self.running = False` (safe there only because
 * the GIL serialises the two threads), common/run/monitor.c (tvp's own
 * progress line, an atomic flag and a condition variable).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "monitor.h"
#include "sys/checked.h"
#include "sys/clock.h"
#include "threads/queue.h"
#include "threads/team.h"
#include "threads/threads.h"

struct mon_run {
	struct cell *c;
	struct monitor_lesson *m;
	pthread_t tid;
	atomic_bool running;		/* atomic-flag */
	pthread_mutex_t lock;		/* condvar: guards stop */
	pthread_cond_t wake;
	int stop;
	int running_broken;		/* plain-flag: the data race */
	int rc;				/* the monitor's own failure, if any */
};

/* ---- atomic-flag -------------------------------------------------------- */

static void *monitor_atomic(void *arg)
{
	struct mon_run *r = arg;

	do {
		monitor_lesson_sample(r->m);
		struct timespec next = clock_deadline(r->m->interval_s);
		clock_sleep_until(&next);
	} while (atomic_load(&r->running));
	monitor_lesson_finish(r->m);
	return NULL;
}

static void stop_atomic(struct mon_run *r)
{
	atomic_store(&r->running, false);
}

/* ---- condvar ------------------------------------------------------------ */

static void *monitor_condvar(void *arg)
{
	struct mon_run *r = arg;
	int rc = pthread_mutex_lock(&r->lock);

	while (!rc) {
		struct timespec next = clock_deadline(r->m->interval_s);

		monitor_lesson_sample(r->m);
		if (r->stop)
			break;
		/* ETIMEDOUT is the tick; a signal is stop(); both re-check */
		rc = pthread_cond_timedwait(&r->wake, &r->lock, &next);
		if (rc == ETIMEDOUT)
			rc = 0;
	}
	if (!rc)
		rc = pthread_mutex_unlock(&r->lock);
	r->rc = rc;
	monitor_lesson_finish(r->m);
	return NULL;
}

static void stop_condvar(struct mon_run *r)
{
	/* default mutex and condvar: these cannot fail, but void must not hide it */
	WARN_PT(pthread_mutex_lock(&r->lock));
	r->stop = 1;
	WARN_PT(pthread_cond_signal(&r->wake));
	WARN_PT(pthread_mutex_unlock(&r->lock));
}

/* ---- plain-flag: DELIBERATELY BROKEN ------------------------------------ */

static void *monitor_broken(void *arg)
{
	struct mon_run *r = arg;

	do {
		monitor_lesson_sample(r->m);
		struct timespec next = clock_deadline(r->m->interval_s);
		clock_sleep_until(&next);
	} while (r->running_broken);	/* races with stop_broken() */
	monitor_lesson_finish(r->m);
	return NULL;
}

static void stop_broken(struct mon_run *r)
{
	r->running_broken = 0;	/* a plain store another thread reads */
}

/* ---- start, work, stop -------------------------------------------------- */

static const struct {
	void *(*loop)(void *);
	void (*stop)(struct mon_run *);
} monitors[] = {
	[MON_ATOMIC_FLAG] = { monitor_atomic, stop_atomic },
	[MON_CONDVAR] = { monitor_condvar, stop_condvar },
	[MON_PLAIN_FLAG] = { monitor_broken, stop_broken },
};

static int mon_worker(void *arg, int id)
{
	monitor_lesson_work(arg, id);
	return 0;
}

static int mon_watched(struct mon_run *r)
{
	int rc, work;

	rc = pthread_create(&r->tid, NULL, monitors[r->c->variant].loop, r);
	if (rc) {
		cell_fail(r->c, "pthread_create (monitor): %s", strerror(rc));
		return -1;
	}
	work = team_run(r->c, mon_worker, r->m);
	monitor_lesson_stopping(r->m);
	monitors[r->c->variant].stop(r);
	rc = pthread_join(r->tid, NULL);
	if (rc || r->rc) {
		cell_fail(r->c, "%s (monitor): %s", rc ? "pthread_join" :
			  "pthread_cond_timedwait", strerror(rc ? rc : r->rc));
		return -1;
	}
	return work;
}

int threads_monitor_run(struct cell *c)
{
	struct mon_run r = { .c = c, .m = c->state, .running = true,
			     .running_broken = 1 };
	int rc;

	if (c->variant == MON_NONE)
		return team_run(c, mon_worker, r.m);
	CHECK_PT(c, pthread_mutex_init(&r.lock, NULL));
	rc = tq_cond_init(&r.wake);	/* times out by CLOCK_MONOTONIC */
	if (rc) {
		cell_fail(c, "pthread_cond_init: %s", strerror(rc));
		(void)pthread_mutex_destroy(&r.lock);	/* already failing */
		return -1;
	}
	rc = mon_watched(&r);
	CHECK_PT(c, pthread_cond_destroy(&r.wake));
	CHECK_PT(c, pthread_mutex_destroy(&r.lock));
	return rc;
}
