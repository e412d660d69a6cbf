/*
 * openmp/hello.c - the tutorial's first lesson with OpenMP.
 *
 * One `parallel` region is the whole start-and-join: the runtime makes a
 * team of W threads, each runs the block once, and the closing brace
 * waits for all of them. If the runtime gave fewer threads than asked,
 * some worker never starts, and verify() says which.
 * Compare: threads/hello.c, processes/hello.c.
 */
#include <omp.h>

#include "hello.h"
#include "openmp/openmp.h"
#include "sys/fault.h"

int openmp_hello_run(struct cell *c)
{
	struct hello *h = c->state;

#pragma omp parallel num_threads(c->workers)
	{
		fault_point(c, FAULT_WORKER, omp_get_thread_num());	/* tests */
		hello_greet(h, omp_get_thread_num());
	}
	return 0;
}
