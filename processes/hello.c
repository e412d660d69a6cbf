/*
 * processes/hello.c - the tutorial's first lesson with forked processes.
 *
 * fork() W children on the same function, then waitpid() them all
 * (processes/team.c). Each child records its start and finish in
 * the shared timeline (an anonymous MAP_SHARED mapping made before fork),
 * which is how the parent, and verify(), see them: a child's ordinary
 * variables are its own copy.
 * Compare: threads/hello.c, openmp/hello.c.
 */
#include "hello.h"
#include "processes/processes.h"
#include "processes/team.h"

static int hello_worker(void *arg, int id)
{
	hello_greet(arg, id);
	return 0;
}

int processes_hello_run(struct cell *c)
{
	return proc_team_run(c, hello_worker, c->state);
}
