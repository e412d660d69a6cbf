/*
 * processes/counter.c - the shared counter with forked processes.
 *
 * Children share nothing but what lives in shm_alloc() memory, so the
 * counter, the shards and the lock all live there. The lock-free variants
 * (unsynchronised, atomic, sharded, sharded-unpadded) are the very same
 * functions as in threads/, from common/counter.c: an atomic add on a
 * MAP_SHARED page is the same instruction on the same cache line whether
 * the other worker is a thread or a process.
 * The mutex differs from threads/ in one way: it is PROCESS_SHARED and
 * lives in the mapping (a mutex in ordinary memory would be copied into
 * each child). Otherwise it is the same kind of mutex as the threads'. But
 * PROCESS_SHARED is not free: it waits on a shared futex, and on some
 * hosts that alone costs up to twice a private one under contention;
 * `-b threads,processes --mutex shared` compares like with like.
 * Its risk: a child that dies holding it (killed, or crashed) leaves it
 * locked, and its siblings wait until the supervisor kills them.
 * `tvp run --mutex robust` (this back end's knob) makes it ROBUST: the
 * next locker gets EOWNERDEAD and repairs the lock (shm_mutex_lock in
 * common/sys/shm.h); its row against the default one's shows what that
 * costs. The threads take the same words (--mutex shared, robust) to run
 * this very mutex between threads.
 * Compare: threads/counter.c, openmp/counter.c.
 */
#include <pthread.h>

#include "counter.h"
#include "processes/processes.h"
#include "processes/team.h"
#include "sys/checked.h"
#include "sys/fault.h"
#include "sys/shm.h"

/*
 * Tests only: TVP_FAULT=kill:locked,worker=K makes worker K die here,
 * holding the lock, so the tests can show the robust one recovering and
 * the default one failing the run instead of hanging it.
 * Inert (one lock and unlock, before any counting) otherwise.
 */
static int counter_fault_holding_lock(struct cell *c, int id)
{
	struct counter *s = c->state;

	CHECK_NEG(c, "pthread_mutex_lock", shm_mutex_lock(&s->lock));
	fault_point(c, FAULT_LOCKED, id);
	CHECK_NEG(c, "pthread_mutex_unlock", shm_mutex_unlock(&s->lock));
	return 0;
}

/*
 * Lock, add, unlock, n times: the loop of threads/counter.c, for both
 * mutexes (processes_counter_run makes the lock robust or not).
 */
static int counter_mutex_worker(void *arg, int id)
{
	struct cell *c = arg;
	struct counter *s = c->state;
	uint64_t n = s->n;

	if (counter_fault_holding_lock(c, id))
		return -1;
	for (uint64_t i = 0; i < n; i++) {
		/*
		 * 1 (robust only): the last owner died holding the lock; it is
		 * ours and consistent again. It guarded one 8-byte store, done
		 * or not, so there is nothing to repair; the supervisor reports
		 * the dead worker and fails the run.
		 */
		CHECK_NEG(c, "pthread_mutex_lock", shm_mutex_lock(&s->lock));
		s->count.plain++;
		CHECK_NEG(c, "pthread_mutex_unlock",
			  shm_mutex_unlock(&s->lock));
	}
	return 0;
}

static const proc_team_fn counter_workers[CV_COUNT] = {
	[CV_UNSYNCHRONISED] = counter_unsynchronised_worker,
	[CV_MUTEX] = counter_mutex_worker,
	[CV_ATOMIC] = counter_atomic_worker,
	[CV_SHARDED] = counter_sharded_worker,
	[CV_SHARDED_UNPADDED] = counter_sharded_unpadded_worker,
};

/* --mutex: shared (the default) or robust, made for this run */
static int counter_lock_init(struct cell *c)
{
	struct counter *s = c->state;
	int robust = c->variant == CV_MUTEX &&
		     c->be_param[PROC_MUTEX].choice == PROC_MUTEX_ROBUST;

	if (robust)
		c->note = "robust mutex";
	CHECK_NEG(c, "pthread_mutex_init", robust ? shm_mutex_init(&s->lock)
					: shm_mutex_init_shared(&s->lock));
	return 0;
}

int processes_counter_run(struct cell *c)
{
	struct counter *s = c->state;

	if (counter_lock_init(c) != 0)
		return -1;
	/* on failure the lock may be held by a dead child: leave it be */
	if (proc_team_run(c, counter_workers[c->variant], c) != 0)
		return -1;
	CHECK_PT(c, pthread_mutex_destroy(&s->lock));
	counter_gather(s, c->variant);	/* sharded: sum the slots */
	return 0;
}
