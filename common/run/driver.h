/*
 * driver.h - plan the cells of a run, measure each in a runner, derive
 * speedup and efficiency. Knows workloads and back ends only by their
 * descriptors.
 */
#ifndef TVP_DRIVER_H
#define TVP_DRIVER_H

#include "config.h"
#include "result.h"
#include "run/runner.h"
#include "run/schedule.h"

/* efficiency above this on the same work is flagged as implausible */
#define IMPLAUSIBLE_EFFICIENCY 1.2

struct plan {
	struct cell *cells;
	struct cell_result *res;
	size_t n, cap;
	struct host_log log;	/* every host window the run judged */
	struct host_run host;	/* and what they add up to, after driver_run */
};

/* 0; -1 for a run that cannot succeed (err says why: exit 2); -ENOMEM */
int driver_plan(const struct config *cfg, struct plan *p, char *err);
/*
 * Measure every cell; returns how many were not verified. When SIGINT or
 * SIGTERM stops the run (interrupt.h), p->n becomes the number of cells
 * that completed.
 */
int driver_run(const struct config *cfg, struct plan *p,
	       const struct measure_opts *o);
void driver_derive(struct plan *p);
void plan_free(struct plan *p);

#endif
