/*
 * info.h - what machine a number was measured on (`tvp info`, JSON "machine").
 */
#ifndef TVP_INFO_H
#define TVP_INFO_H

#include <stdio.h>

struct machine_info {
	char cpu_model[128];
	long cpus_online;
	int cpus_allowed;		/* this process's affinity (taskset, cgroup) */
	char cpus_allowed_list[64];	/* "0-3,8" */
	int cores, sockets, numa_nodes;	/* as sysfs shows them; 0 unknown */
	int threads_per_core;		/* SMT: 2 with hyperthreads; 0 unknown */
	char caches[128];		/* "L1d 32K, L2 1M, L3 32M" */
	char caches_source[16];		/* "sysfs", "cpuid" (sysconf) or "none" */
	int cacheline;			/* L1d line bytes (coherency_line_size); 0 unknown */
	double memory_gib;
	char kernel[256];
	char libc[64];
	char compiler[96];
	char openmp[32];		/* "4.5 (201511)" from _OPENMP */
	char omp_env[128];		/* OMP_PLACES/OMP_PROC_BIND/... if set */
	char governor[32];		/* cpufreq scaling governor, "" unknown */
	char clocksource[32];		/* kernel clocksource behind the clock */
	double clock_res_s;
	double loadavg_1m;		/* how busy the machine was: < 0 unknown */
	char hostname[64];
};

void info_collect(struct machine_info *m);
void info_print(FILE *f, const struct machine_info *m);
/* one line for under a Markdown table */
void info_summary(const struct machine_info *m, char *buf, size_t len);
/* package and core id of a CPU from sysfs; 0, or -1 when sysfs lacks them */
int info_cpu_topology(int cpu, int *package, int *core);

#endif
