/*
 * threads/counter.c - the shared counter with POSIX threads.
 *
 * Threads share one address space, so any variable is shared: the lesson
 * is how to add to one without losing updates. The lock-free variants
 * (unsynchronised, atomic, sharded, sharded-unpadded) are the very same
 * functions in every back end, in common/counter.c: on shared memory a
 * thread and a forked process run the same instructions. What differs is
 * the lock, which is here: an ordinary pthread mutex, a plain global next to
 * the code, as in the tutorial's `lock = threading.Lock()`.
 * Compare: processes/counter.c (a robust mutex in shared memory),
 * openmp/counter.c (critical, omp_lock_t, atomic, reduction).
 */
#include <pthread.h>

#include "counter.h"
#include "sys/checked.h"
#include "sys/fault.h"
#include "threads/team.h"
#include "threads/threads.h"

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Tests only: TVP_FAULT=kill:locked,worker=K makes worker K die here,
 * holding the lock (which, in one process, ends the runner). Inert (one
 * lock and unlock, before any counting) otherwise; as processes/counter.c.
 */
static int counter_fault_holding_lock(struct cell *c, int id)
{
	CHECK_PT(c, pthread_mutex_lock(&counter_lock));
	fault_point(c, FAULT_LOCKED, id);
	CHECK_PT(c, pthread_mutex_unlock(&counter_lock));
	return 0;
}

/*
 * Lock, add, unlock, n times. The lock and unlock calls also keep the
 * compiler from holding the count in a register across them: they are
 * opaque calls and, to the memory model, acquire and release.
 */
static int counter_mutex_worker(void *arg, int id)
{
	struct cell *c = arg;
	struct counter *s = c->state;
	uint64_t n = s->n;

	if (counter_fault_holding_lock(c, id))
		return -1;
	for (uint64_t i = 0; i < n; i++) {
		CHECK_PT(c, pthread_mutex_lock(&counter_lock));
		s->count.plain++;
		CHECK_PT(c, pthread_mutex_unlock(&counter_lock));
	}
	return 0;
}

static const team_fn counter_workers[CV_COUNT] = {
	[CV_UNSYNCHRONISED] = counter_unsynchronised_worker,
	[CV_MUTEX] = counter_mutex_worker,
	[CV_ATOMIC] = counter_atomic_worker,
	[CV_SHARDED] = counter_sharded_worker,
	[CV_SHARDED_UNPADDED] = counter_sharded_unpadded_worker,
};

int threads_counter_run(struct cell *c)
{
	if (team_run(c, counter_workers[c->variant], c) != 0)
		return -1;
	counter_gather(c->state, c->variant);	/* sharded: sum the slots */
	return 0;
}
