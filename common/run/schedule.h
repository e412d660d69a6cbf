/*
 * schedule.h - the cells of one comparison, measured in turns.
 *
 * A comparison is every cell of one workload, variant and size: the
 * reference and each back end at each worker count. Their runners are set
 * up together and take turns, one repetition each (A B C A B C ...), so a
 * slow drift of the host touches them all alike and a speedup compares
 * repetitions taken moments apart. Each repetition is judged against the
 * host (host.h); a busy one is run again after a quiet moment, a bounded
 * number of times per cell, and whatever stays busy is reported as such.
 */
#ifndef TVP_SCHEDULE_H
#define TVP_SCHEDULE_H

#include <stddef.h>

#include "result.h"
#include "run/runner.h"
#include "sys/host.h"

/* every window the run judged, for the run's host figures */
/* what every window of the run added up to, for the footer */
struct host_log {
	size_t windows;
	double foreign_max;		/* CPUs */
	double steal_s, wall_s;		/* CPU-seconds stolen, over the windows */
	double psi_s, psi_wall_s;	/* PSI "some" time over the windows that had it */
};

/*
 * Measure cells[0..n) as one comparison: res[i] gets cell i's result.
 * `first` is cell 0's index in the plan, for o->on_rep. 0; -EINTR when a
 * signal stopped it (then no result of the comparison is complete); -errno.
 */
int schedule_run(struct cell *cells, struct cell_result *res, size_t n,
		 size_t first, const struct measure_opts *o,
		 struct host_log *log);

/* the run's figures from its log and its rows */
void host_log_summary(const struct host_log *log,
		      const struct cell_result *rows, size_t n,
		      double threshold, struct host_run *out);

#endif
