/*
 * info.c - the machine behind the numbers: CPU, topology, caches, memory,
 * kernel, libc, compiler and OpenMP version, clock, and how busy the
 * machine was. Everything is read from /proc and /sys as the kernel shows
 * it; what a virtual machine hides is reported as unknown, not guessed.
 */
#include <gnu/libc-version.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sys/clock.h"
#include "sys/info.h"
#include "tvp.h"

#define MAX_SYSFS_CPUS 4096
#define MAX_CACHE_INDEX 8
#define MAX_PACKAGES 256

static int read_line(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fgets(out, (int)len, f) != NULL;
	(void)fclose(f);	/* read-only: nothing buffered to lose */
	if (!ok)
		return -1;
	out[strcspn(out, "\n")] = 0;
	return 0;
}

static int read_int(const char *path, int *out)
{
	char buf[32];

	return read_line(path, buf, sizeof(buf)) || sscanf(buf, "%d", out) != 1 ?
	       -1 : 0;
}

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
	(void)fclose(f);	/* read-only: nothing buffered to lose */
}

int info_cpu_topology(int cpu, int *package, int *core)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/physical_package_id", cpu);
	if (read_int(path, package))
		return -1;
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/core_id", cpu);
	return read_int(path, core);
}

/* distinct packages and (package, core) pairs over the CPUs sysfs lists */
static void read_topology(struct machine_info *m)
{
	static int pairs[MAX_SYSFS_CPUS][2];
	int seen_pkg[MAX_PACKAGES] = { 0 }, n_pairs = 0, n_cpus = 0;
	char path[128], buf[256];

	for (int cpu = 0, pkg, core, k; cpu < MAX_SYSFS_CPUS; cpu++, n_cpus++) {
		if (info_cpu_topology(cpu, &pkg, &core))
			break;
		if (pkg >= 0 && pkg < MAX_PACKAGES && !seen_pkg[pkg]++)
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
	m->threads_per_core = n_pairs ? n_cpus / n_pairs : 0;
	for (int node = 0; node < MAX_SYSFS_CPUS; node++) {
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

static size_t caches_sysfs(char *out, size_t len)
{
	size_t used = 0;

	for (int i = 0; i < MAX_CACHE_INDEX && used < len; i++) {
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
	return used;
}

/* glibc's answer from the cpuid instruction, when sysfs has no cache dir */
static size_t caches_cpuid(char *out, size_t len)
{
	static const struct { int name; const char *label; } tab[] = {
		{ _SC_LEVEL1_DCACHE_SIZE, "L1d" }, { _SC_LEVEL2_CACHE_SIZE, "L2" },
		{ _SC_LEVEL3_CACHE_SIZE, "L3" }, { _SC_LEVEL4_CACHE_SIZE, "L4" },
	};
	size_t used = 0;

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]) && used < len; i++) {
		long b = sysconf(tab[i].name);

		if (b <= 0)
			continue;
		used += (size_t)snprintf(out + used, len - used, "%s%s %ld%s",
					 used ? ", " : "", tab[i].label,
					 b % (1L << 20) ? b >> 10 : b >> 20,
					 b % (1L << 20) ? "K" : "M");
	}
	return used;
}

/* the unit caches move between cores: what false sharing is made of */
static int read_cacheline(void)
{
	char buf[16];
	int bytes;
	long sc;

	if (cache_attr(0, "coherency_line_size", buf, sizeof(buf)) == 0 &&
	    sscanf(buf, "%d", &bytes) == 1 && bytes > 0)
		return bytes;
	sc = sysconf(_SC_LEVEL1_DCACHE_LINESIZE);
	return sc > 0 ? (int)sc : 0;
}

static void read_caches(struct machine_info *m)
{
	m->cacheline = read_cacheline();
	if (caches_sysfs(m->caches, sizeof(m->caches))) {
		snprintf(m->caches_source, sizeof(m->caches_source), "sysfs");
	} else if (caches_cpuid(m->caches, sizeof(m->caches))) {
		snprintf(m->caches_source, sizeof(m->caches_source), "cpuid");
	} else {
		snprintf(m->caches, sizeof(m->caches), "unknown");
		snprintf(m->caches_source, sizeof(m->caches_source), "none");
	}
}

/* the CPUs this process may run on, as "0-3,8" */
static void read_allowed(struct machine_info *m)
{
	cpu_set_t set;
	size_t used = 0, len = sizeof(m->cpus_allowed_list);

	m->cpus_allowed_list[0] = 0;
	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return;
	m->cpus_allowed = CPU_COUNT(&set);
	for (int a = 0; a < CPU_SETSIZE && used < len; a++) {
		int b = a;

		if (!CPU_ISSET(a, &set))
			continue;
		while (b + 1 < CPU_SETSIZE && CPU_ISSET(b + 1, &set))
			b++;
		used += (size_t)(a == b ?
			snprintf(m->cpus_allowed_list + used, len - used, "%s%d", used ? "," : "", a) :
			snprintf(m->cpus_allowed_list + used, len - used, "%s%d-%d", used ? "," : "", a, b));
		a = b;
	}
}

static void read_omp_env(char *out, size_t len)
{
	static const char *const names[] = {
		"OMP_NUM_THREADS", "OMP_PLACES", "OMP_PROC_BIND", "OMP_SCHEDULE",
		"OMP_WAIT_POLICY",
	};
	size_t used = 0;

	out[0] = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && used < len; i++)
		if (getenv(names[i]))
			used += (size_t)snprintf(out + used, len - used, "%s%s=%s",
						 used ? " " : "", names[i],
						 getenv(names[i]));
}

/* the OpenMP version a compiler's _OPENMP date stands for */
static void openmp_version(char *out, size_t len)
{
#ifdef _OPENMP
	static const struct { long date; const char *version; } tab[] = {
		{ 202111, "5.2" }, { 202011, "5.1" }, { 201811, "5.0" },
		{ 201511, "4.5" }, { 201307, "4.0" }, { 201107, "3.1" },
		{ 0, "3.0 or older" },
	};
	size_t i = 0;

	while (tab[i].date > _OPENMP)
		i++;
	snprintf(out, len, "%s (%ld)", tab[i].version, (long)_OPENMP);
#else
	snprintf(out, len, "none");
#endif
}

static void read_toolchain(struct machine_info *m)
{
	struct utsname u;

	if (uname(&u) == 0)
		snprintf(m->kernel, sizeof(m->kernel), "%.64s %.64s %.32s", u.sysname,
			 u.release, u.machine);
	snprintf(m->libc, sizeof(m->libc), "glibc %s", gnu_get_libc_version());
#if defined(__clang__)
	snprintf(m->compiler, sizeof(m->compiler), "clang %s", __clang_version__);
#elif defined(__GNUC__)
	snprintf(m->compiler, sizeof(m->compiler), "gcc %s", __VERSION__);
#endif
	openmp_version(m->openmp, sizeof(m->openmp));
	read_omp_env(m->omp_env, sizeof(m->omp_env));
}

void info_collect(struct machine_info *m)
{
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	double load;

	memset(m, 0, sizeof(*m));
	read_cpu_model(m->cpu_model, sizeof(m->cpu_model));
	m->cpus_online = sysconf(_SC_NPROCESSORS_ONLN);
	read_allowed(m);
	read_topology(m);
	read_caches(m);
	m->memory_gib = pages > 0 && page > 0 ? (double)pages * (double)page / (1 << 30) : 0;
	read_toolchain(m);
	if (read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor",
		      m->governor, sizeof(m->governor)))
		m->governor[0] = 0;
	if (read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		      m->clocksource, sizeof(m->clocksource)))
		snprintf(m->clocksource, sizeof(m->clocksource), "unknown");
	m->clock_res_s = clock_resolution();
	m->loadavg_1m = getloadavg(&load, 1) == 1 ? load : -1;
	if (gethostname(m->hostname, sizeof(m->hostname)) != 0)
		snprintf(m->hostname, sizeof(m->hostname), "unknown");
}

static const char *or_unknown(const char *s)
{
	return s[0] ? s : "unknown";
}

void info_print(FILE *f, const struct machine_info *m)
{
	fprintf(f, "host:         %s\n", m->hostname);
	fprintf(f, "cpu:          %s\n", m->cpu_model);
	fprintf(f, "cpus:         %ld online, %d allowed to tvp (%s)\n",
		m->cpus_online, m->cpus_allowed, or_unknown(m->cpus_allowed_list));
	fprintf(f, "topology:     %d socket(s), %d core(s), %d thread(s) per core, %d NUMA node(s)\n",
		m->sockets, m->cores, m->threads_per_core, m->numa_nodes);
	fprintf(f, "caches:       %s (from %s)\n", m->caches, m->caches_source);
	if (m->cacheline > 0)
		fprintf(f, "cache line:   %d bytes (tvp pads shared slots to CACHELINE_SIZE, %d)\n",
			m->cacheline, CACHELINE_SIZE);
	else
		fprintf(f, "cache line:   unknown (tvp pads shared slots to CACHELINE_SIZE, %d)\n",
			CACHELINE_SIZE);
	fprintf(f, "memory:       %.1f GiB\n", m->memory_gib);
	fprintf(f, "cpufreq:      governor %s\n", or_unknown(m->governor));
	fprintf(f, "kernel:       %s\n", m->kernel);
	fprintf(f, "libc:         %s\n", m->libc);
	fprintf(f, "compiler:     %s\n", m->compiler);
	fprintf(f, "openmp:       %s%s%s\n", m->openmp, m->omp_env[0] ? ", " : "",
		m->omp_env);
	fprintf(f, "clock:        CLOCK_MONOTONIC via %s, resolution %.0f ns\n",
		m->clocksource, m->clock_res_s * 1e9);
	if (m->loadavg_1m >= 0)
		fprintf(f, "load:         %.2f (1-minute average: other work on the machine makes timings noisy)\n",
			m->loadavg_1m);
}

void info_summary(const struct machine_info *m, char *buf, size_t len)
{
	int used = snprintf(buf, len, "%s, %ld CPUs (%d cores), %s, %s, OpenMP %s",
			    m->cpu_model, m->cpus_online, m->cores, m->kernel,
			    m->compiler, m->openmp);

	/* how busy the machine was tells how far to trust the table */
	if (m->loadavg_1m >= 0 && used >= 0 && (size_t)used < len)
		snprintf(buf + used, len - (size_t)used, ", load %.2f", m->loadavg_1m);
}
