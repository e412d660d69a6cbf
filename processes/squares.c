/*
 * processes/squares.c - squares with forked processes.
 *
 * Each child takes one contiguous block of indexes and writes its results
 * into the shared array. The array comes from shm_alloc(), an anonymous
 * MAP_SHARED mapping made before fork(), so parent and children see the
 * same pages; an ordinary malloc()ed array would be copied on the child's
 * first write and the parent would never see the results.
 * A new child has no page-table entries for the shared array yet, so it
 * maps its block in one call (shm_prefault) rather than one fault per page:
 * a cost threads never pay, since they share their page tables.
 * Compare: threads/squares.c, openmp/squares.c.
 */
#include "processes/processes.h"
#include "processes/team.h"
#include "squares.h"
#include "sys/checked.h"
#include "sys/shm.h"

static int squares_worker(void *arg, int id)
{
	struct cell *c = arg;
	struct squares *s = c->state;
	uint64_t lo, hi;

	block_range(s->n, c->workers, id, &lo, &hi);
	CHECK_NEG(c, "madvise(MADV_POPULATE_READ)",
		  shm_prefault(s->out + lo, (hi - lo) * sizeof(*s->out)));
	for (uint64_t i = lo; i < hi; i++)
		s->out[i] = squares_item(i, s->cost);
	return 0;
}

int processes_squares_run(struct cell *c)
{
	return proc_team_run(c, squares_worker, c);
}
