/*
 * python/squares.c - squares run by CPython (python/tvp_ref.py, functions
 * squares_sequential, squares_threads, squares_processes), its results read
 * back into the same shared array that the C back ends fill, so the same
 * verify() checks every element.
 * Compare: threads/squares.c (the same threads, without a GIL).
 */
#include <inttypes.h>

#include "python/bridge.h"
#include "python/python.h"
#include "squares.h"

static int squares_take(struct cell *c, FILE *in, uint64_t bytes)
{
	struct squares *s = c->state;

	if (bytes != s->n * sizeof(*s->out)) {
		cell_fail(c, "python sent %" PRIu64 " bytes for %" PRIu64 " squares",
			  bytes, s->n);
		return -1;
	}
	if (fread(s->out, sizeof(*s->out), s->n, in) != s->n) {
		cell_fail(c, "python's results end early");
		return -1;
	}
	return 0;
}

int python_squares_run(struct cell *c)
{
	return py_run(c, squares_take);
}
