/*
 * threads/spawn.c - the price of pthread_create + pthread_join.
 *
 * Every round starts W threads with the team every tvp threads workload
 * uses (threads/team.c) and joins them; each thread only leaves its mark.
 * A thread shares its creator's address space, so starting one is little
 * more than allocating a stack and asking the kernel for a new task.
 * Compare: processes/spawn.c (a whole process each time), openmp/spawn.c
 * (a team the runtime keeps alive between regions).
 */
#include "clock.h"
#include "spawn_cost.h"
#include "team.h"

static int spawn_worker(void *arg, int id)
{
	spawn_mark(arg, id);
	return 0;
}

int threads_spawn_run(struct cell *c)
{
	struct spawn *s = c->state;
	double t0 = clock_now();

	for (s->round = 0; s->round < s->rounds; s->round++)
		if (team_run(c, spawn_worker, s))
			return -1;
	c->self_timed_s = spawn_net_s(s, clock_now() - t0);
	return 0;
}
