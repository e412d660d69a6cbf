/*
 * openmp/squares.c - squares with OpenMP.
 *
 * `parallel` makes the team and joins it; `for` splits the index range
 * among its threads; the loop body is the sequential one. (The two pragmas
 * are often written as one, `parallel for`; they are apart here so that
 * each thread passes the test-only fault point once, as the workers of
 * threads/ and processes/ do.) `schedule(runtime)` lets --schedule (this back end's knob) pick how
 * iterations are dealt out (static blocks, like threads/ and processes/;
 * dynamic or guided chunks, which pay for balance with coordination).
 * Compare: threads/squares.c, processes/squares.c.
 */
#include <omp.h>

#include "openmp/openmp.h"
#include "squares.h"
#include "sys/fault.h"

static const omp_sched_t squares_schedules[] = {
	[OPENMP_STATIC] = omp_sched_static,
	[OPENMP_DYNAMIC] = omp_sched_dynamic,
	[OPENMP_GUIDED] = omp_sched_guided,
};
static const char *const squares_notes[] = {
	[OPENMP_DYNAMIC] = "dynamic schedule",
	[OPENMP_GUIDED] = "guided schedule",
};

int openmp_squares_run(struct cell *c)
{
	struct squares *s = c->state;
	int sched = c->be_param[OPENMP_SCHEDULE].choice;

	omp_set_schedule(squares_schedules[sched], 0);
	c->note = squares_notes[sched];	/* static, the default: none */
#pragma omp parallel num_threads(c->workers)
	{
		fault_point(c, FAULT_WORKER, omp_get_thread_num());	/* tests */
#pragma omp for schedule(runtime)
		for (uint64_t i = 0; i < s->n; i++)
			s->out[i] = squares_item(i, s->cost);
	}
	return 0;
}
