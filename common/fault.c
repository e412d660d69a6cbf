/*
 * fault.c - TVP_FAULT=die:worker=K, the test-only fault hook (fault.h).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fault.h"
#include "tvp.h"

int fault_die_worker(void)
{
	const char *spec = getenv("TVP_FAULT");
	int k, end = 0;

	if (!spec || sscanf(spec, "die:worker=%d%n", &k, &end) != 1 ||
	    spec[end] != 0 || k < 0 || k >= MAX_WORKERS)
		return -1;
	return k;
}

void fault_die(void)
{
	raise(SIGKILL);
	_exit(137);	/* not reached: SIGKILL cannot be caught or ignored */
}
