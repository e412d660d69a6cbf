/*
 * argv.c - building an execv() command line in fixed storage.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "sys/argv.h"

void argv_reset(struct argv_buf *a)
{
	a->argc = 0;
	a->used = 0;
	a->full = 0;
	a->argv[0] = NULL;
}

int argv_add(struct argv_buf *a, const char *fmt, ...)
{
	size_t room = sizeof(a->text) - a->used;
	va_list ap;
	int len;

	if (a->full || a->argc == ARGV_MAX_WORDS)
		goto full;
	va_start(ap, fmt);
	len = vsnprintf(a->text + a->used, room, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= room)
		goto full;
	a->argv[a->argc++] = a->text + a->used;
	a->argv[a->argc] = NULL;
	a->used += (size_t)len + 1;
	return 0;
full:
	a->full = 1;
	return -E2BIG;
}
