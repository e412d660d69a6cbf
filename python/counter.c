/*
 * python/counter.c - counter run by CPython (python/tvp_ref.py: a Counter
 * object whose `value += 1` threads share, with and without a
 * threading.Lock; a multiprocessing.Value for processes). The final count
 * comes back into the shared counter, where the C verify() judges it like
 * any other back end's, lost updates included.
 * Compare: threads/counter.c, processes/counter.c.
 */
#include <inttypes.h>

#include "counter.h"
#include "python/bridge.h"
#include "python/python.h"

static int counter_take(struct cell *c, FILE *in, uint64_t bytes)
{
	struct counter *s = c->state;
	uint64_t final;

	if (bytes != sizeof(final) || fread(&final, sizeof(final), 1, in) != 1) {
		cell_fail(c, "python sent %" PRIu64 " bytes for one count", bytes);
		return -1;
	}
	s->count.plain = final;
	return 0;
}

int python_counter_run(struct cell *c)
{
	return py_run(c, counter_take);
}
