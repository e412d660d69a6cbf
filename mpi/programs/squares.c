/*
 * mpi/programs/squares.c - squares with MPI ranks.
 *
 * Ranks share no memory, possibly not even a machine. Each rank takes one
 * contiguous block of indexes, the same block a thread or a child process
 * would take, and computes it into an array of its own; "returning" the
 * values means sending them. MPI_Gatherv collects the blocks at rank 0 in
 * rank order, which is index order, since block k ends where block k+1
 * starts. Gatherv rather than Gather, because blocks differ by one item
 * when the ranks do not divide n.
 * Compare: threads/squares.c, processes/squares.c, openmp/squares.c.
 */
#include <limits.h>
#include <stdlib.h>

#include "mpi/programs/rank.h"
#include "squares.h"

struct squares_rank {
	uint64_t *mine;		/* this rank's block */
	int count;
	uint64_t *all;		/* rank 0: every block, in index order */
	int *counts, *displs;	/* rank 0: each rank's block size and place */
};

static void squares_setup(struct cell *c, int rank, struct rank_out *out)
{
	struct squares_rank *s = rank_alloc(1, sizeof(*s));
	uint64_t lo, hi;

	if (c->size > INT_MAX)	/* MPI counts and displacements are ints */
		rank_fail("-n %llu: at most %d items", (unsigned long long)c->size,
			  INT_MAX);
	block_range(c->size, c->workers, rank, &lo, &hi);
	s->count = (int)(hi - lo);
	s->mine = rank_alloc(hi - lo, sizeof(*s->mine));
	s->all = NULL;
	s->counts = s->displs = NULL;
	if (rank == 0) {
		s->all = rank_alloc(c->size, sizeof(*s->all));
		s->counts = rank_alloc((uint64_t)c->workers, sizeof(*s->counts));
		s->displs = rank_alloc((uint64_t)c->workers, sizeof(*s->displs));
		for (int k = 0; k < c->workers; k++) {
			block_range(c->size, c->workers, k, &lo, &hi);
			s->counts[k] = (int)(hi - lo);
			s->displs[k] = (int)lo;
		}
		rank_out_add(out, s->all, c->size * sizeof(*s->all));
	}
	c->state = s;
}

static void squares_worker(struct cell *c, int id)
{
	struct squares_rank *s = c->state;
	uint64_t cost = c->param[SQ_COST].u, lo, hi;

	block_range(c->size, c->workers, id, &lo, &hi);
	for (uint64_t i = lo; i < hi; i++)
		s->mine[i - lo] = squares_item(i, cost);
}

static void squares_run(struct cell *c, int rank)
{
	struct squares_rank *s = c->state;

	squares_worker(c, rank);
	MPI_Gatherv(s->mine, s->count, MPI_UINT64_T, s->all, s->counts,
		    s->displs, MPI_UINT64_T, 0, MPI_COMM_WORLD);
}

static void squares_teardown(struct cell *c)
{
	struct squares_rank *s = c->state;

	free(s->mine);
	free(s->all);
	free(s->counts);
	free(s->displs);
	free(s);
	c->state = NULL;
}

RANK_PROGRAM(squares, .setup = squares_setup, .run = squares_run,
	     .teardown = squares_teardown);
