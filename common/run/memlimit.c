/*
 * memlimit.c - how much memory a run may have: the machine's RAM, and the
 * limits a user or a container puts on it (ulimit -v, a memory cgroup), so that a -n too big for any of them is refused before anything
 * runs rather than ending in "Cannot allocate memory" or the OOM killer.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "run/memlimit.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

static uint64_t physical_memory(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);

	return pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page : UINT64_MAX;
}

/* bytes of address space this process has mapped already */
static uint64_t mapped_now(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long long pages = 0;
	long page = sysconf(_SC_PAGESIZE);

	if (f) {
		if (fscanf(f, "%llu", &pages) != 1)
			pages = 0;
		(void)fclose(f);	/* read-only: nothing buffered to lose */
	}
	return page > 0 ? pages * (uint64_t)page : 0;
}

static uint64_t rlimit_of(int resource)
{
	struct rlimit r;

	if (getrlimit(resource, &r) != 0 || r.rlim_cur == RLIM_INFINITY)
		return UINT64_MAX;
	return (uint64_t)r.rlim_cur;
}

/* a number in a file ("max" and anything unreadable: no limit) */
static uint64_t limit_file(const char *path)
{
	FILE *f = fopen(path, "r");
	unsigned long long v;
	int ok;

	if (!f)
		return UINT64_MAX;
	ok = fscanf(f, "%llu", &v) == 1;
	(void)fclose(f);	/* read-only: nothing buffered to lose */
	return ok ? (uint64_t)v : UINT64_MAX;
}

/*
 * The smallest memory limit on the way from our cgroup up to the root:
 * cgroup v2 (0::/path, memory.max) or the v1 memory controller
 * (N:memory:/path, memory.limit_in_bytes). Where /path is not under the
 * mount (a cgroup namespace shows it as the root), the mount's own counts.
 */
static uint64_t cgroup_one(const char *line)
{
	char path[PATH_MAX + 32], dir[PATH_MAX];
	const char *rel = strchr(line, ':') ? strchr(strchr(line, ':') + 1, ':') : NULL;
	int v2 = strncmp(line, "0::", 3) == 0;
	const char *file = v2 ? "memory.max" : "memory.limit_in_bytes";
	uint64_t min = UINT64_MAX, v;

	if (!rel)
		return UINT64_MAX;
	snprintf(dir, sizeof(dir), "%s%s%.*s", CGROUP_ROOT, v2 ? "" : "/memory",
		 (int)strcspn(rel + 1, "\n"), rel + 1);
	for (;;) {
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		v = limit_file(path);
		min = v < min ? v : min;
		if (strrchr(dir, '/') <= dir + strlen(CGROUP_ROOT))
			break;
		*strrchr(dir, '/') = 0;
	}
	return min;
}

static uint64_t cgroup_limit(void)
{
	FILE *f = fopen("/proc/self/cgroup", "r");
	char line[PATH_MAX];
	uint64_t min = UINT64_MAX, v;

	if (!f)
		return UINT64_MAX;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "0::", 3) == 0 || strstr(line, ":memory:")) {
			v = cgroup_one(line);
			min = v < min ? v : min;
		}
	(void)fclose(f);	/* read-only: nothing buffered to lose */
	return min;
}

int mem_fits(uint64_t need, char *why, size_t len)
{
	uint64_t ram = physical_memory(), as = rlimit_of(RLIMIT_AS);
	uint64_t cg = cgroup_limit();
	uint64_t now = mapped_now();
	const double gib = 1 << 30;

	/*
	 * Not RLIMIT_DATA (ulimit -d): the kernel counts private writable
	 * mappings against it, and a cell's buffers are MAP_SHARED (shm.c),
	 * so a run it cannot stop would be refused.
	 */
	/* leave the machine (or the cgroup) a fifth */
	if (need > ram - ram / 5)
		snprintf(why, len, "this machine's %.1f GiB of memory", ram / gib);
	else if (cg != UINT64_MAX && need > cg - cg / 5)
		snprintf(why, len, "the memory cgroup's limit of %.1f GiB (memory.max, or v1's memory.limit_in_bytes)",
			 cg / gib);
	else if (as != UINT64_MAX && (as < now || need > as - now))
		snprintf(why, len, "the address-space limit of %.1f GiB (ulimit -v, RLIMIT_AS) with %.1f GiB in use",
			 as / gib, now / gib);
	else
		return 1;
	return 0;
}
