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
 * `--mutex shared` (this back end's knob) takes instead the processes'
 * mutex, PROCESS_SHARED and where they keep it, in the shared mapping;
 * `--mutex robust` makes it robust as well. Between threads neither is
 * needed: their rows show what the kind costs apart from the model. On
 * Linux a shared mutex waits on a shared futex, which the kernel finds by
 * the page rather than by the address space.
 * Compare: processes/counter.c (a mutex in shared memory),
 * openmp/counter.c (critical, omp_lock_t, atomic, reduction).
 */
#include <pthread.h>

#include "counter.h"
#include "sys/checked.h"
#include "sys/fault.h"
#include "sys/shm.h"	/* shm_mutex_init*: the processes' kinds */
#include "threads/team.h"
#include "threads/threads.h"

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;

/* the lock the workers take: the static one, or --mutex's in the state */
static pthread_mutex_t *counter_lock_of(struct cell *c)
{
	struct counter *s = c->state;

	return c->be_param[THR_MUTEX].choice == THR_MUTEX_PRIVATE ? &counter_lock
								  : &s->lock;
}

/*
 * Tests only: TVP_FAULT=kill:locked,worker=K makes worker K die here,
 * holding the lock (which, in one process, ends the runner). Inert (one
 * lock and unlock, before any counting) otherwise; as processes/counter.c.
 */
static int counter_fault_holding_lock(struct cell *c, pthread_mutex_t *lock,
				      int id)
{
	CHECK_PT(c, pthread_mutex_lock(lock));
	fault_point(c, FAULT_LOCKED, id);
	CHECK_PT(c, pthread_mutex_unlock(lock));
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
	pthread_mutex_t *lock = counter_lock_of(c);
	uint64_t n = s->n;

	if (counter_fault_holding_lock(c, lock, id))
		return -1;
	for (uint64_t i = 0; i < n; i++) {
		CHECK_PT(c, pthread_mutex_lock(lock));
		s->count.plain++;
		CHECK_PT(c, pthread_mutex_unlock(lock));
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

/* --mutex shared or robust: the processes' kind, made for this run */
static int counter_lock_init(struct cell *c)
{
	struct counter *s = c->state;
	int kind = c->be_param[THR_MUTEX].choice;

	if (c->variant != CV_MUTEX || kind == THR_MUTEX_PRIVATE)
		return 0;
	c->note = kind == THR_MUTEX_ROBUST ? "robust mutex" : "process-shared mutex";
	CHECK_NEG(c, "pthread_mutex_init", kind == THR_MUTEX_ROBUST
		  ? shm_mutex_init(&s->lock) : shm_mutex_init_shared(&s->lock));
	return 1;
}

int threads_counter_run(struct cell *c)
{
	struct counter *s = c->state;
	int made = counter_lock_init(c);

	if (made < 0)
		return -1;
	/* on failure the lock may be held: leave it be, as processes do */
	if (team_run(c, counter_workers[c->variant], c) != 0)
		return -1;
	if (made)
		CHECK_PT(c, pthread_mutex_destroy(&s->lock));
	counter_gather(s, c->variant);	/* sharded: sum the slots */
	return 0;
}
