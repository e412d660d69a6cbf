/*
 * fault.c - TVP_FAULT=kill:worker=K, the test-only fault hook (fault.h).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fault.h"

/* K from TVP_FAULT=kill:worker=K, or -1 */
static int fault_worker(void)
{
	const char *spec = getenv("TVP_FAULT");
	int k, end = 0;

	if (!spec || sscanf(spec, "kill:worker=%d%n", &k, &end) != 1 ||
	    spec[end] != 0 || k < 0 || k >= MAX_WORKERS)
		return -1;
	return k;
}

int fault_point(const struct cell *c, enum fault_site site, int worker)
{
	(void)c;
	if (site != FAULT_WORKER || worker != fault_worker())
		return 0;
	kill(getpid(), SIGKILL);
	_exit(137);	/* not reached: SIGKILL cannot be caught or ignored */
}
