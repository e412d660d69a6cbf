/*
 * maps.h - how many mappings this process has: the lines of
 * /proc/self/maps. fork() copies the page tables of each, so the count
 * is the measured reason a fork from tvp's runner costs more than one from
 * a minimal parent. Header-only, so that the minimal parent (tvp-nop)
 * counts its own with the same code and links nothing of tvp's.
 */
#ifndef TVP_MAPS_H
#define TVP_MAPS_H

#include <stdio.h>

/* the count, or 0 when /proc is not there to read */
static inline long maps_count(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	long lines = 0;
	int ch;

	if (!f)
		return 0;
	while ((ch = getc(f)) != EOF)
		lines += ch == '\n';
	(void)fclose(f);	/* read-only: nothing buffered to lose */
	return lines;
}

#endif
