/*
 * mpi/programs/counter.c - the shared counter with MPI ranks.
 *
 * Ranks share no memory, so the one shared counter has to be made: rank 0
 * exposes a 64-bit word in an MPI window, and every rank reaches it with
 * one-sided calls (RMA) that need no receive on rank 0's side:
 *   unsynchronised  MPI_Get, add one, MPI_Put, under a *shared* lock that
 *                   every rank holds at once: two ranks can read the same
 *                   value and one update is lost. A deliberate race: MPI
 *                   leaves the result of conflicting puts undefined.
 *   mutex           the same get, add, put under an *exclusive*
 *                   MPI_Win_lock: one rank at a time, as with a mutex.
 *   atomic          MPI_Fetch_and_op(MPI_SUM): one indivisible remote add.
 *   sharded         each rank counts in a variable of its own and
 *                   MPI_Reduce sums the counts at rank 0: message passing's
 *                   own answer, with nothing shared while counting.
 * No sharded-unpadded: ranks share no cache line to share falsely. On
 * one machine Open MPI keeps the window in shared memory, so an RMA call
 * costs a few instructions and a fence; across hosts each one is a
 * network round trip.
 * Compare: threads/counter.c, processes/counter.c, openmp/counter.c.
 */
#include <stdlib.h>

#include "counter.h"
#include "mpi/programs/rank.h"
#include "sys/fault.h"

struct counter_rank {
	MPI_Win win;
	uint64_t *word;		/* rank 0: the counter, inside the window */
	uint64_t *final;	/* rank 0: the count handed to tvp */
};

static void counter_setup(struct cell *c, int rank, struct rank_out *out)
{
	struct counter_rank *s = rank_alloc(1, sizeof(*s));
	MPI_Aint bytes = rank == 0 ? (MPI_Aint)sizeof(uint64_t) : 0;

	MPI_Win_allocate(bytes, sizeof(uint64_t), MPI_INFO_NULL,
			 MPI_COMM_WORLD, &s->word, &s->win);
	s->final = NULL;
	if (rank == 0) {
		/* our own window memory: touched under a lock, like anyone's */
		MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, s->win);
		*s->word = 0;
		MPI_Win_unlock(0, s->win);
		s->final = rank_alloc(1, sizeof(*s->final));
		rank_out_add(out, s->final, sizeof(*s->final));
	}
	c->state = s;
}

/* get, add, put: the read-modify-write a lock is meant to make whole */
static void counter_get_add_put(MPI_Win win)
{
	uint64_t v;

	MPI_Get(&v, 1, MPI_UINT64_T, 0, 0, 1, MPI_UINT64_T, win);
	MPI_Win_flush(0, win);	/* the value is here now */
	v = v + 1;
	MPI_Put(&v, 1, MPI_UINT64_T, 0, 0, 1, MPI_UINT64_T, win);
	MPI_Win_flush(0, win);	/* and back there */
}

/* a shared lock lets every rank in at once: updates get lost */
static void counter_unsynchronised_rank(struct counter_rank *s, uint64_t n)
{
	MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, s->win);
	for (uint64_t i = 0; i < n; i++)
		counter_get_add_put(s->win);
	MPI_Win_unlock(0, s->win);
}

static void counter_mutex_rank(struct counter_rank *s, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, s->win);
		counter_get_add_put(s->win);
		MPI_Win_unlock(0, s->win);
	}
}

static void counter_atomic_rank(struct counter_rank *s, uint64_t n)
{
	const uint64_t one = 1;
	uint64_t before;

	MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, s->win);
	for (uint64_t i = 0; i < n; i++) {
		MPI_Fetch_and_op(&one, &before, MPI_UINT64_T, 0, 0, MPI_SUM, s->win);
		MPI_Win_flush(0, s->win);	/* each add done before the next */
	}
	MPI_Win_unlock(0, s->win);
}

/* rank 0 reads the word once every rank is done with it */
static void counter_read(struct counter_rank *s, int rank)
{
	MPI_Barrier(MPI_COMM_WORLD);
	if (rank != 0)
		return;
	MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, s->win);
	*s->final = *s->word;
	MPI_Win_unlock(0, s->win);
}

static void counter_sharded_rank(struct counter_rank *s, uint64_t n)
{
	uint64_t mine = 0;

	counter_add(&mine, n);	/* the same loop as every back end's shard */
	MPI_Reduce(&mine, s->final, 1, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
}

static void (*const counter_ranks[CV_COUNT])(struct counter_rank *, uint64_t) = {
	[CV_UNSYNCHRONISED] = counter_unsynchronised_rank,
	[CV_MUTEX] = counter_mutex_rank,
	[CV_ATOMIC] = counter_atomic_rank,
	[CV_SHARDED] = counter_sharded_rank,
};

/*
 * Tests only: TVP_FAULT=kill:locked,worker=K makes rank K die here, in
 * the exclusive lock, as processes/counter.c does with its mutex. Inert
 * (one lock and unlock, before any counting) otherwise.
 */
static void counter_fault_holding_lock(struct cell *c, struct counter_rank *s,
				       int rank)
{
	MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, s->win);
	fault_point(c, FAULT_LOCKED, rank);
	MPI_Win_unlock(0, s->win);
}

static void counter_run(struct cell *c, int rank)
{
	struct counter_rank *s = c->state;

	if (!counter_ranks[c->variant])
		rank_fail("-V %s: not a variant MPI has",
			  workload_variant_name(c->wl, c->variant));
	if (c->variant == CV_MUTEX)
		counter_fault_holding_lock(c, s, rank);
	counter_ranks[c->variant](s, c->size);
	if (c->variant != CV_SHARDED)	/* the count is in rank 0's window */
		counter_read(s, rank);
}

static void counter_teardown(struct cell *c)
{
	struct counter_rank *s = c->state;

	MPI_Win_free(&s->win);
	free(s->final);
	free(s);
	c->state = NULL;
}

RANK_PROGRAM(counter, .setup = counter_setup, .run = counter_run,
	     .teardown = counter_teardown);
