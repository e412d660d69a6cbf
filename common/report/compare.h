/*
 * compare.h - `tvp compare OLD.json NEW.json`: did a change make it faster,
 * or is it noise? Cells are matched by (workload, variant, backend,
 * workers, size); for each, the ratio of medians NEW/OLD with a rank-test
 * confidence interval, and a verdict.
 */
#ifndef TVP_COMPARE_H
#define TVP_COMPARE_H

#include <stddef.h>

#define COMPARE_CONFIDENCE 0.95
/* changes smaller than this are "no change" even when significant */
#define DEFAULT_THRESHOLD_PCT 5.0
#define COMPARE_NAME_LEN 64

struct compare_cell {
	char workload[COMPARE_NAME_LEN], variant[COMPARE_NAME_LEN];
	char backend[COMPARE_NAME_LEN];
	long long workers, size;
	double *samples;	/* seconds, one per counted repetition */
	size_t n;
	int busy;		/* busy_reps > 0: other work ran beside it */
	int matched;		/* found in the other file */
};

struct compare_run {
	const char *path;
	struct compare_cell *cells;
	size_t n;
	char machine[256];	/* cpu model and load, for the heading */
	char options[512];	/* the workload options, "--cost 200 ..." */
};

/*
 * Read a tvp JSON report. 0; or -1 with err naming the file and what is
 * wrong (not JSON, not a tvp report, a schema it cannot read, a result
 * without its samples); -ENOMEM.
 */
int compare_load(const char *path, struct compare_run *run, char *err,
		 size_t len);
void compare_run_free(struct compare_run *run);

/*
 * The interval for NEW/OLD at `conf` from the Mann-Whitney rank test on
 * log times (Hodges-Lehmann): the order statistics of the n*m pairwise
 * ratios new_j/old_i that the test's critical value picks. Exact for
 * n*m <= COMPARE_EXACT_MAX, normal approximation beyond. 0; 1 when the
 * samples are too few for any interval at that confidence (fewer than 4
 * a side at 95%); -ENOMEM.
 */
#define COMPARE_EXACT_MAX 20000
int compare_interval(const double *old, size_t n, const double *new_,
		     size_t m, double conf, double *lo, double *hi);

/*
 * The between-run floor. Within-run repetitions do not see what moves a
 * whole run (CPU frequency, other work, cache and NUMA placement), so the
 * floor a change must clear is estimated across cells: the spread of
 * log(NEW/OLD) over the matched cells, around their median, at
 * COMPARE_FLOOR_SIGMAS (as a fraction: 0.25 is 25%); 0 with fewer than
 * COMPARE_FLOOR_MIN_CELLS cells; NAN out of memory. A cell's own floor is
 * that, or COMPARE_SPREAD_FACTOR times its larger relative spread (median
 * absolute deviation over median, compare_cell_spread) when more: a cell
 * that jitters within a run moves more between runs.
 */
#define COMPARE_FLOOR_SIGMAS 3.0
#define COMPARE_FLOOR_MIN_CELLS 6
#define COMPARE_SPREAD_FACTOR 2.0
double compare_between_run_noise(const double *ratios, size_t n);
double compare_cell_spread(const double *samples, size_t n);
double compare_cell_floor(double run_floor, double spread_old,
			  double spread_new);

enum compare_verdict { CMP_SAME, CMP_FASTER, CMP_SLOWER, CMP_TOO_FEW, CMP_NONE };

/* faster or slower only when the whole interval lies beyond
 * [1/(1+t), 1+t], t = threshold_pct / 100 */
enum compare_verdict compare_verdict(double ratio, double lo, double hi,
				     double threshold_pct);

int compare_main(int argc, char **argv);

#endif
