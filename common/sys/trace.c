/*
 * trace.c - appending task timelines to a --trace file (see trace.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>

#include "sys/trace.h"

int trace_open(const char *path, FILE **out)
{
	struct stat st;

	*out = NULL;
	if (strcmp(path, PARAM_NO_OUTPUT) == 0)
		return 0;
	*out = fopen(path, "a");
	if (!*out)
		return -errno;
	/* a new (empty) file gets the header; an old one grows */
	if (fstat(fileno(*out), &st) == 0 && st.st_size == 0)
		fprintf(*out, TRACE_HEADER "\n");
	/*
	 * Nothing may stay buffered: forked workers inherit the buffer, and
	 * one that flushes it on its way out (valgrind's exit does) would
	 * write the header again.
	 */
	if (fflush(*out) != 0) {
		int rc = -errno;

		(void)fclose(*out);	/* failing already: rc says why */
		*out = NULL;
		return rc;
	}
	return 0;
}

void trace_row(FILE *f, const struct cell *c, uint64_t run, uint64_t task,
	       int worker, double start_s, double end_s, int status)
{
	fprintf(f, "%s,%d,%" PRIu64 ",%" PRIu64 ",%d,%.6f,%.6f,%d\n",
		c->be ? c->be->name : "", c->workers, run, task, worker,
		start_s, end_s, status);
}
