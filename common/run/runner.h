/*
 * runner.h - one cell, measured in a supervised child process.
 *
 * The runner sets the cell up once, then runs one repetition each time the
 * driver asks (runner_cycle), so the driver can take the cells of one
 * comparison in turns (schedule.h). Every call waits at most the timeout;
 * a runner that overruns it, dies or is interrupted has ended, and
 * runner_close() says why in the cell's result.
 */
#ifndef TVP_RUNNER_H
#define TVP_RUNNER_H

#include <sys/types.h>

#include "result.h"
#include "tvp.h"

struct measure_opts {
	int reps, warmup;
	double timeout_s;	/* longest a repetition (or setup) may take */
	int interleave;		/* cells of a comparison take turns (default) */
	double busy_threshold;	/* foreign CPUs above which a repetition is busy */
	int retries;		/* busy repetitions run again, per cell */
	double quiet_wait_s;	/* longest wait for a quiet moment before one */
	/* called in the driver as each repetition arrives; may be NULL */
	void (*on_rep)(void *arg, size_t cell, int rep);
	void *arg;
};

struct runner {
	pid_t pid;
	int cmd_fd, msg_fd;
	double timeout_s;
	double cpu_s;		/* the runner's CPU at its last message */
	double cycle_cpu_s;	/* ... and what it spent since the one before */
	int ended;		/* no more repetitions: failed, wrong, gone */
	int done;		/* it said goodbye properly */
	int timed_out, interrupted;
};

/* what one repetition sent back */
struct runner_rep {
	int rep;		/* < 0: a warm-up */
	enum verdict verdict;
	double wall_s, user_s, sys_s, vol, invol;
	double cycle_cpu_s;	/* all the runner spent: reset, run, verify */
	char text[DETAIL_LEN];	/* verify's detail */
};

/*
 * Fork a runner for the cell and wait until it has set up. 0: ready, or
 * ended with the reason in r (setup failed); -EINTR interrupted; -errno
 * when the driver could not fork.
 */
int runner_spawn(struct runner *rn, struct cell *c, double timeout_s,
		 struct cell_result *r);
/*
 * One repetition (rep < 0: a warm-up). 1: *out holds it; 0: the runner
 * has ended (r->failed and r->detail say why, or runner_close will);
 * -errno when the driver itself failed.
 */
int runner_cycle(struct runner *rn, int rep, struct runner_rep *out,
		 struct cell_result *r);
/* tell it to tear down, reap it and its group, and explain its end in r */
int runner_close(struct runner *rn, struct cell_result *r);
/* after every runner is closed: wait for the orphans that came to us */
void runner_reap_orphans(void);
/* on an interrupt: kill its group now; runner_close() then reaps */
void runner_kill(struct runner *rn);

/*
 * One cell alone, all its repetitions: a comparison of one (schedule.c).
 * 0, -EINTR when SIGINT or SIGTERM stopped it, or -errno.
 */
int runner_measure(struct cell *c, const struct measure_opts *o,
		   struct cell_result *r);

#endif
