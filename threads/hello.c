/*
 * threads/hello.c - the tutorial's first lesson with POSIX threads.
 *
 * Start W threads on the same function, then join them all
 * (threads/team.c: pthread_create W times, pthread_join W times). Each
 * thread sleeps; a sleeping thread needs no CPU, so all W sleep at once
 * and the run takes one sleep, on any number of cores.
 * Compare: processes/hello.c, openmp/hello.c.
 */
#include "hello.h"
#include "threads/team.h"
#include "threads/threads.h"

static int hello_worker(void *arg, int id)
{
	hello_greet(arg, id);
	return 0;
}

int threads_hello_run(struct cell *c)
{
	return team_run(c, hello_worker, c->state);
}
