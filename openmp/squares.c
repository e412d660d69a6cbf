/*
 * openmp/squares.c - squares with OpenMP.
 *
 * One pragma makes the team, splits the index range and joins: the loop
 * body is the sequential one. `schedule(runtime)` lets --schedule pick how
 * iterations are dealt out (static blocks, like threads/ and processes/;
 * dynamic or guided chunks, which pay for balance with coordination).
 * Compare: threads/squares.c, processes/squares.c.
 */
#include <omp.h>

#include "squares.h"

static const omp_sched_t squares_schedules[] = {
	[SQ_STATIC] = omp_sched_static,
	[SQ_DYNAMIC] = omp_sched_dynamic,
	[SQ_GUIDED] = omp_sched_guided,
};

int openmp_squares_run(struct cell *c)
{
	struct squares *s = c->state;

	omp_set_schedule(squares_schedules[c->param[SQ_SCHEDULE].choice], 0);
#pragma omp parallel for num_threads(c->workers) schedule(runtime)
	for (uint64_t i = 0; i < s->n; i++)
		s->out[i] = squares_item(i, s->cost);
	return 0;
}
