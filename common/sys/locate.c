/*
 * locate.c - companion files (the posix_spawn helper bin/tvp-nop, the
 * CPython script python/tvp_ref.py) found next to the executable, not in
 * the current directory: tvp must work from wherever it is run.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sys/locate.h"

static int exe_dir(char *dir, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", dir, len - 1);
	char *slash;

	if (n < 0)
		return -errno;
	if ((size_t)n >= len - 1)
		return -ENAMETOOLONG;
	dir[n] = 0;
	slash = strrchr(dir, '/');
	if (!slash)
		return -ENOENT;
	*slash = 0;
	return 0;
}

static int usable(const char *path, int mode, char *out, size_t len)
{
	if (access(path, mode) != 0)
		return -errno;
	if ((size_t)snprintf(out, len, "%s", path) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int locate_file(const char *env, const char *const *rel, int mode, char *out,
		size_t len)
{
	const char *set = env ? getenv(env) : NULL;
	char dir[PATH_MAX], path[PATH_MAX + 64];
	int rc;

	if (set && *set)	/* an explicit choice is not second-guessed */
		return usable(set, mode, out, len);
	rc = exe_dir(dir, sizeof(dir));
	if (rc)
		return rc;
	for (; *rel; rel++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, *rel) >=
		    sizeof(path))
			continue;
		if (usable(path, mode, out, len) == 0)
			return 0;
	}
	return -ENOENT;
}
