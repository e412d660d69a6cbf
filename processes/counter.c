/*
 * processes/counter.c - the shared counter with forked processes.
 *
 * Children share nothing but what lives in shm_alloc() memory, so the
 * counter, the shards and the lock all live there. The lock-free variants
 * (unsynchronised, atomic, sharded, sharded-unpadded) are the very same
 * functions as in threads/, from common/counter.c: an atomic add on a
 * MAP_SHARED page is the same instruction on the same cache line whether
 * the other worker is a thread or a process.
 * The mutex differs from threads/ in two ways. It is PROCESS_SHARED and
 * lives in the mapping (a mutex in ordinary memory would be copied into
 * each child). And it is ROBUST: a child that dies holding it (killed, or
 * crashed) must not leave its siblings waiting forever; the next locker gets
 * EOWNERDEAD and repairs the lock (see shm_mutex_lock in common/shm.c).
 * Compare: threads/counter.c, openmp/counter.c.
 */
#include <string.h>
#include <unistd.h>

#include "counter.h"
#include "fault.h"
#include "shm.h"
#include "supervisor.h"

/*
 * Tests only: TVP_FAULT=kill:locked,worker=K makes worker K die here,
 * holding the lock, so the tests can show the robust mutex recovering.
 * Inert (one lock and unlock, before any counting) otherwise.
 */
static int counter_fault_holding_lock(struct cell *c, struct counter *s, int id)
{
	int rc = shm_mutex_lock(&s->lock);

	if (rc < 0)
		return rc;
	fault_point(c, FAULT_LOCKED, id);
	return shm_mutex_unlock(&s->lock);
}

static int counter_mutex_worker(void *arg, int id)
{
	struct cell *c = arg;
	struct counter *s = c->state;
	uint64_t n = s->n;
	int rc;

	rc = counter_fault_holding_lock(c, s, id);
	if (rc < 0) {
		cell_fail(c, "pthread_mutex_lock: %s", strerror(-rc));
		return -1;
	}
	for (uint64_t i = 0; i < n; i++) {
		/*
		 * 1: the last owner died holding the lock; it is ours and
		 * consistent again. It guarded one 8-byte store, done or not,
		 * so there is nothing to repair; the supervisor reports the
		 * dead worker and fails the run.
		 */
		rc = shm_mutex_lock(&s->lock);
		if (rc < 0) {
			cell_fail(c, "pthread_mutex_lock: %s", strerror(-rc));
			return -1;
		}
		s->count.plain++;
		rc = shm_mutex_unlock(&s->lock);
		if (rc < 0) {
			cell_fail(c, "pthread_mutex_unlock: %s", strerror(-rc));
			return -1;
		}
	}
	return 0;
}

static const proc_fn counter_workers[CV_COUNT] = {
	[CV_UNSYNCHRONISED] = counter_unsynchronised_worker,
	[CV_MUTEX] = counter_mutex_worker,
	[CV_ATOMIC] = counter_atomic_worker,
	[CV_SHARDED] = counter_sharded_worker,
	[CV_SHARDED_UNPADDED] = counter_sharded_unpadded_worker,
};

int processes_counter_run(struct cell *c)
{
	struct counter *s = c->state;
	int rc = shm_mutex_init(&s->lock);

	if (rc) {
		cell_fail(c, "pthread_mutex_init: %s", strerror(-rc));
		return -1;
	}
	if (proc_team_run(c, counter_workers[c->variant], c) != 0)
		return -1;	/* the lock may be held by a dead child: keep it */
	rc = -pthread_mutex_destroy(&s->lock);
	if (rc) {
		cell_fail(c, "pthread_mutex_destroy: %s", strerror(-rc));
		return -1;
	}
	counter_gather(s, c->variant);	/* sharded: sum the slots */
	return 0;
}
