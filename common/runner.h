/*
 * runner.h - one cell, measured in a supervised child process.
 */
#ifndef TVP_RUNNER_H
#define TVP_RUNNER_H

#include "result.h"
#include "tvp.h"

struct measure_opts {
	int reps, warmup;
	double timeout_s;	/* longest a repetition (or setup) may take */
	/* called in the driver as each repetition arrives; may be NULL */
	void (*on_rep)(void *arg, int rep);
	void *arg;
};

/*
 * Fork a runner for the cell, let it set up, warm up, run and verify every
 * repetition, and fill r from what it sends back and from wait4(). Returns
 * 0 when the cell could be measured (r->verdict and r->failed tell how it
 * went), -EINTR when SIGINT or SIGTERM stopped it unfinished (interrupt.h),
 * or -errno when the driver itself could not fork or read.
 */
int runner_measure(struct cell *c, const struct measure_opts *o,
		   struct cell_result *r);

/* "SIGSEGV (Segmentation fault)" for reports of dead workers */
const char *runner_signame(int sig, char *buf, size_t len);

#endif
