/*
 * threads/squares.c - squares with POSIX threads.
 *
 * Each thread takes one contiguous block of indexes and writes its results
 * straight into the shared array: threads share an address space, so
 * "returning" a value is storing it where the caller will look. No lock is
 * needed because no two threads write the same element.
 * Compare: processes/squares.c, openmp/squares.c.
 */
#include "squares.h"
#include "threads/team.h"
#include "threads/threads.h"

static int squares_worker(void *arg, int id)
{
	struct cell *c = arg;
	struct squares *s = c->state;
	uint64_t lo, hi;

	block_range(s->n, c->workers, id, &lo, &hi);
	for (uint64_t i = lo; i < hi; i++)
		s->out[i] = squares_item(i, s->cost);
	return 0;
}

int threads_squares_run(struct cell *c)
{
	return team_run(c, squares_worker, c);
}
