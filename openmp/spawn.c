/*
 * openmp/spawn.c - the price of entering and leaving a parallel region.
 *
 * The region's closing brace is a join (an implicit barrier), but the
 * threads are not destroyed: the runtime parks them and wakes the same team
 * for the next region. So a "start" here costs a wake-up and a barrier,
 * not a thread creation: compare threads/spawn.c and processes/spawn.c.
 * The very first region pays the creation (the runner's warm-up absorbs
 * it), and a team left idle goes to sleep: like EPCC, each run first enters
 * one untimed region, so the rounds measure the steady state a loop of
 * regions sees, not one sleeper's wake-up spread over the rounds.
 */
#include <omp.h>

#include "openmp/openmp.h"
#include "spawn_cost.h"
#include "sys/fault.h"

static int spawn_round(struct cell *c, void *arg)
{
	struct spawn *s = c->state;

	(void)arg;
#pragma omp parallel num_threads(c->workers)
	spawn_mark(s, omp_get_thread_num());
	return 0;
}

int openmp_spawn_run(struct cell *c)
{
	/* wake the team: not timed, no marks; tests: TVP_FAULT's worker */
#pragma omp parallel num_threads(c->workers)
	fault_point(c, FAULT_WORKER, omp_get_thread_num());
	return spawn_rounds(c, spawn_round, NULL);
}
