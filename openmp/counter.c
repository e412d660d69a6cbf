/*
 * openmp/counter.c - the shared counter with OpenMP.
 *
 * `parallel num_threads(W)` makes the team; every thread runs the block,
 * each doing its n increments, and the region's end is the join. What
 * changes between variants is one pragma or one clause:
 *   critical     a lock the compiler inserts around one statement;
 *   omp_lock_t   the same lock made by hand, as pthreads would
 *                (`tvp run --lock omp-lock`, this back end's knob);
 *   atomic       the increment made one indivisible instruction;
 *   reduction(+) a private copy per thread, summed at the join: OpenMP's
 *                built-in sharding, padded for free, since each thread's
 *                copy lives on its own stack.
 * unsynchronised and sharded-unpadded call the same workers as threads/
 * and processes/ (common/counter.c), with omp_get_thread_num() as the id.
 * Compare: threads/counter.c, processes/counter.c.
 */
#include <omp.h>

#include "counter.h"
#include "openmp/openmp.h"
#include "sys/fault.h"

/*
 * Tests only (TVP_FAULT): each parallel region starts with a worker fault
 * point; the locked variants have one inside their lock too, before any
 * counting, to die holding it.
 */
#define COUNTER_WORKER_FAULT(c) \
	fault_point((c), FAULT_WORKER, omp_get_thread_num())

static void counter_unsynchronised(struct cell *c)
{
#pragma omp parallel num_threads(c->workers)
	{
		COUNTER_WORKER_FAULT(c);
		counter_unsynchronised_worker(c, omp_get_thread_num());
	}
}

/* critical: at most one thread at a time in the statement that follows */
static void counter_mutex(struct cell *c)
{
	struct counter *s = c->state;
	uint64_t n = s->n;

#pragma omp parallel num_threads(c->workers)
	{
		COUNTER_WORKER_FAULT(c);
#pragma omp critical(counter)
		fault_point(c, FAULT_LOCKED, omp_get_thread_num());
		for (uint64_t i = 0; i < n; i++) {
#pragma omp critical(counter)
			s->count.plain++;
		}
	}
}

/* the lock is declared outside the region, so the whole team shares it */
static void counter_omp_lock(struct cell *c)
{
	struct counter *s = c->state;
	uint64_t n = s->n;
	omp_lock_t lock;

	omp_init_lock(&lock);
#pragma omp parallel num_threads(c->workers)
	{
		COUNTER_WORKER_FAULT(c);
		omp_set_lock(&lock);
		fault_point(c, FAULT_LOCKED, omp_get_thread_num());
		omp_unset_lock(&lock);
		for (uint64_t i = 0; i < n; i++) {
			omp_set_lock(&lock);
			s->count.plain++;
			omp_unset_lock(&lock);
		}
	}
	omp_destroy_lock(&lock);
}

static void counter_atomic(struct cell *c)
{
	struct counter *s = c->state;
	uint64_t n = s->n;

#pragma omp parallel num_threads(c->workers)
	{
		COUNTER_WORKER_FAULT(c);
		for (uint64_t i = 0; i < n; i++) {
#pragma omp atomic update
			s->count.plain++;
		}
	}
}

/*
 * Inside the region `total` names the thread's private copy. counter_add()
 * stores to it every time, through a volatile pointer, so the increments
 * cost what they cost in the other back ends' shards.
 */
static void counter_sharded(struct cell *c)
{
	struct counter *s = c->state;
	uint64_t n = s->n, total = 0;

#pragma omp parallel num_threads(c->workers) reduction(+ : total)
	{
		COUNTER_WORKER_FAULT(c);
		counter_add(&total, n);
	}
	s->count.plain = total;
}

static void counter_sharded_unpadded(struct cell *c)
{
#pragma omp parallel num_threads(c->workers)
	{
		COUNTER_WORKER_FAULT(c);
		counter_sharded_unpadded_worker(c, omp_get_thread_num());
	}
	counter_gather(c->state, CV_SHARDED_UNPADDED);	/* sum the slots */
}

static void (*const counter_teams[CV_COUNT])(struct cell *c) = {
	[CV_UNSYNCHRONISED] = counter_unsynchronised,
	[CV_MUTEX] = counter_mutex,
	[CV_ATOMIC] = counter_atomic,
	[CV_SHARDED] = counter_sharded,
	[CV_SHARDED_UNPADDED] = counter_sharded_unpadded,
};

int openmp_counter_run(struct cell *c)
{
	/* exactly W threads, never fewer: the expected total is W*n */
	omp_set_dynamic(0);
	if (c->variant == CV_MUTEX &&
	    c->be_param[OPENMP_LOCK].choice == OPENMP_OMP_LOCK) {
		c->note = "omp_lock_t";
		counter_omp_lock(c);
		return 0;
	}
	counter_teams[c->variant](c);
	return 0;
}
