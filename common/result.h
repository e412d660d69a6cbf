/*
 * result.h - what the driver knows about one measured cell, for the reports.
 */
#ifndef TVP_RESULT_H
#define TVP_RESULT_H

#include "stats/stats.h"
#include "tvp.h"

struct cell_result {
	const struct workload *wl;
	const struct backend *be;
	int variant;
	int workers;
	uint64_t size;
	int reps;		/* counted repetitions that finished */
	double *wall;		/* their wall-clock seconds, reps of them */
	struct stats st;
	double user_s, sys_s;	/* CPU seconds per repetition, runner and workers */
	double ctxsw_vol, ctxsw_invol;	/* per repetition */
	long maxrss_kb;
	double work;		/* units of work in one run (workload's unit) */
	enum verdict verdict;
	int failed;		/* the runner crashed, timed out or a run failed */
	/*
	 * The host during the counted repetitions (host.h): CPUs' worth that
	 * other processes and the hypervisor took, median over repetitions
	 * (NAN: not measured); how many repetitions were above the busy
	 * threshold; how many were run again because of it.
	 */
	double foreign_cpus;
	int busy_reps;
	int retried;
	int suspect;		/* a figure that cannot be true (driver.c) */
	char detail[DETAIL_LEN];
	/* derived by the driver; NAN where there is no sequential row */
	double speedup, efficiency, throughput;
	double karp_flatt;	/* serial fraction, for W > 1 with a speedup */
};

/* a cell's empty result, with room for its repetitions' times */
void result_init(struct cell_result *r, const struct cell *c, int reps);
void result_free(struct cell_result *r);
/* the driver itself failed (fork, memory): the cell failed with why */
void result_driver_error(struct cell_result *r, int rc);

#endif
