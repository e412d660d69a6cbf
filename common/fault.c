/*
 * fault.c - parse TVP_FAULT (see fault.h). Unset or malformed: inert.
 */
#include <stdlib.h>
#include <string.h>

#include "fault.h"

int fault_armed(const char *point, int worker)
{
	const char *spec = getenv("TVP_FAULT");
	size_t len = strlen(point);
	char *end;
	long k;

	if (!spec || strncmp(spec, point, len) != 0 || spec[len] != ':')
		return 0;
	k = strtol(spec + len + 1, &end, 10);
	return end != spec + len + 1 && *end == '\0' && k == worker;
}
