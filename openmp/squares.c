/*
 * openmp/squares.c - squares with OpenMP.
 *
 * `parallel` makes the team and joins it; `for` splits the index range
 * among its threads; the loop body is the sequential one. (The two pragmas
 * are often written as one, `parallel for`; they are apart here so that
 * each thread passes the test-only fault point once, as the workers of
 * threads/ and processes/ do.) `schedule(runtime)` lets --schedule pick how
 * iterations are dealt out (static blocks, like threads/ and processes/;
 * dynamic or guided chunks, which pay for balance with coordination).
 * Compare: threads/squares.c, processes/squares.c.
 */
#include <omp.h>

#include "fault.h"
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
#pragma omp parallel num_threads(c->workers)
	{
		fault_point(c, FAULT_WORKER, omp_get_thread_num());	/* tests */
#pragma omp for schedule(runtime)
		for (uint64_t i = 0; i < s->n; i++)
			s->out[i] = squares_item(i, s->cost);
	}
	return 0;
}
