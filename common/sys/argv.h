/*
 * argv.h - a command line for execv(), built one printf-formatted word at a
 * time in fixed storage (so it can be built before fork and used after).
 * The MPI and CPython back ends both launch a program this way.
 */
#ifndef TVP_ARGV_H
#define TVP_ARGV_H

#include <stddef.h>

#define ARGV_MAX_WORDS 96
#define ARGV_MAX_TEXT 8192

struct argv_buf {
	char *argv[ARGV_MAX_WORDS + 1];	/* NULL-terminated, for execv */
	int argc;
	char text[ARGV_MAX_TEXT];	/* the words argv points into */
	size_t used;
	int full;	/* a word did not fit; sticky, so one check at the end will do */
};

void argv_reset(struct argv_buf *a);
/* append one word: 0, or -E2BIG (and a->full set) when it does not fit */
int argv_add(struct argv_buf *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
