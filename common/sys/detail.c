/*
 * detail.c - notes for a cell's detail column, and signal names.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sys/detail.h"

void detail_add(char *detail, size_t size, const char *fmt, ...)
{
	size_t used = strnlen(detail, size);
	char note[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(note, sizeof(note), fmt, ap);
	va_end(ap);
	if (!note[0] || used + 1 >= size)
		return;
	snprintf(detail + used, size - used, "%s%s", used ? "; " : "", note);
}

const char *signame(int sig, char *buf, size_t len)
{
	const char *abbrev = sigabbrev_np(sig);

	if (abbrev)
		snprintf(buf, len, "SIG%s (%s)", abbrev, strsignal(sig));
	else
		snprintf(buf, len, "signal %d", sig);
	return buf;
}
