/*
 * info.c - the machine behind the numbers: CPU, topology, caches, kernel,
 * libc, compiler and OpenMP version, clock resolution.
 */
#include <gnu/libc-version.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "clock.h"
#include "info.h"

static void read_cpu_model(char *out, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];

	snprintf(out, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (colon && strncmp(line, "model name", 10) == 0) {
			colon[strcspn(colon, "\n")] = 0;
			snprintf(out, len, "%s", colon + 2);
			break;
		}
	}
	fclose(f);
}

static int read_line(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fgets(out, (int)len, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	out[strcspn(out, "\n")] = 0;
	return 0;
}

/* distinct (package, core) pairs over the online CPUs */
static void read_topology(struct machine_info *m)
{
	int seen_pkg[64] = { 0 }, pairs[1024][2], n_pairs = 0;
	char path[128], buf[32];

	for (int cpu = 0; cpu < 1024; cpu++) {
		int pkg, core, k;

		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/physical_package_id", cpu);
		if (read_line(path, buf, sizeof(buf)) || sscanf(buf, "%d", &pkg) != 1)
			break;
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/core_id", cpu);
		if (read_line(path, buf, sizeof(buf)) || sscanf(buf, "%d", &core) != 1)
			break;
		if (pkg >= 0 && pkg < 64 && !seen_pkg[pkg]++)
			m->sockets++;
		for (k = 0; k < n_pairs; k++)
			if (pairs[k][0] == pkg && pairs[k][1] == core)
				break;
		if (k == n_pairs) {
			pairs[n_pairs][0] = pkg;
			pairs[n_pairs++][1] = core;
		}
	}
	m->cores = n_pairs;
	for (int node = 0; node < 1024; node++) {
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/cpulist", node);
		if (read_line(path, buf, sizeof(buf)))
			break;
		m->numa_nodes++;
	}
}

static int cache_attr(int index, const char *attr, char *out, size_t len)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cache/index%d/%s",
		 index, attr);
	return read_line(path, out, len);
}

static void read_caches(char *out, size_t len)
{
	size_t used = 0;

	out[0] = 0;
	for (int i = 0; i < 8 && used < len; i++) {
		char level[8], type[32], size[32];

		if (cache_attr(i, "level", level, sizeof(level)) ||
		    cache_attr(i, "type", type, sizeof(type)) ||
		    cache_attr(i, "size", size, sizeof(size)))
			break;
		if (strcmp(type, "Instruction") == 0)
			continue;
		used += (size_t)snprintf(out + used, len - used, "%sL%s%s %s",
					 used ? ", " : "", level,
					 strcmp(type, "Data") == 0 ? "d" : "", size);
	}
	if (!out[0])
		snprintf(out, len, "unknown");
}

void info_collect(struct machine_info *m)
{
	struct utsname u;

	memset(m, 0, sizeof(*m));
	read_cpu_model(m->cpu_model, sizeof(m->cpu_model));
	m->cpus_online = sysconf(_SC_NPROCESSORS_ONLN);
	read_topology(m);
	read_caches(m->caches, sizeof(m->caches));
	if (uname(&u) == 0)
		snprintf(m->kernel, sizeof(m->kernel), "%.64s %.64s %.32s", u.sysname,
			 u.release, u.machine);
	snprintf(m->libc, sizeof(m->libc), "glibc %s", gnu_get_libc_version());
#if defined(__clang__)
	snprintf(m->compiler, sizeof(m->compiler), "clang %s", __clang_version__);
#elif defined(__GNUC__)
	snprintf(m->compiler, sizeof(m->compiler), "gcc %s", __VERSION__);
#endif
#ifdef _OPENMP
	snprintf(m->openmp, sizeof(m->openmp), "%s (%d)",
		 _OPENMP >= 201811 ? "5.0" : _OPENMP >= 201511 ? "4.5" :
		 _OPENMP >= 201307 ? "4.0" : "3.x", _OPENMP);
#else
	snprintf(m->openmp, sizeof(m->openmp), "none");
#endif
	m->clock_res_s = clock_resolution();
	if (gethostname(m->hostname, sizeof(m->hostname)) != 0)
		snprintf(m->hostname, sizeof(m->hostname), "unknown");
}

void info_print(FILE *f, const struct machine_info *m)
{
	fprintf(f, "cpu:          %s\n", m->cpu_model);
	fprintf(f, "cpus online:  %ld\n", m->cpus_online);
	fprintf(f, "topology:     %d core(s), %d socket(s), %d NUMA node(s)\n",
		m->cores, m->sockets, m->numa_nodes);
	fprintf(f, "caches:       %s\n", m->caches);
	fprintf(f, "kernel:       %s\n", m->kernel);
	fprintf(f, "libc:         %s\n", m->libc);
	fprintf(f, "compiler:     %s\n", m->compiler);
	fprintf(f, "openmp:       %s\n", m->openmp);
	fprintf(f, "clock:        CLOCK_MONOTONIC, resolution %.0f ns\n",
		m->clock_res_s * 1e9);
}

void info_summary(const struct machine_info *m, char *buf, size_t len)
{
	snprintf(buf, len, "%s, %ld CPUs, %s, %s, OpenMP %s", m->cpu_model,
		 m->cpus_online, m->kernel, m->compiler, m->openmp);
}
