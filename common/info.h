/*
 * info.h - what machine a number was measured on (`tvp info`, JSON "machine").
 */
#ifndef TVP_INFO_H
#define TVP_INFO_H

#include <stdio.h>

struct machine_info {
	char cpu_model[128];
	long cpus_online;
	int cores, sockets, numa_nodes;	/* as sysfs shows them; 0 unknown */
	char caches[128];		/* "L1d 32K, L2 1M, L3 32M" */
	char kernel[256];
	char libc[64];
	char compiler[96];
	char openmp[32];		/* "4.5 (201511)" from _OPENMP */
	double clock_res_s;
	char hostname[64];
};

void info_collect(struct machine_info *m);
void info_print(FILE *f, const struct machine_info *m);
/* one line for under a Markdown table */
void info_summary(const struct machine_info *m, char *buf, size_t len);

#endif
