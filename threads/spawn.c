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
#include "spawn_cost.h"
#include "threads/team.h"
#include "threads/threads.h"

static int spawn_worker(void *arg, int id)
{
	spawn_mark(arg, id);
	return 0;
}

static int spawn_round(struct cell *c, void *arg)
{
	(void)arg;
	return team_run(c, spawn_worker, c->state);
}

int threads_spawn_run(struct cell *c)
{
	return spawn_rounds(c, spawn_round, NULL);
}
