/*
 * monitor.h - live progress on stderr, drawn by a background thread.
 *
 * The tutorial's TaskMonitor: a thread that wakes on its own clock and
 * reports what the main thread is doing, without the main thread ever
 * waiting for it. The driver tells it when a cell starts and when a
 * repetition ends; the monitor draws which cell and repetition runs, the
 * time elapsed and an estimate of the time left. On a terminal it redraws
 * one line in place; into a file or pipe (--progress) it writes a line per
 * cell, so logs stay readable. It never writes to stdout.
 */
#ifndef TVP_MONITOR_H
#define TVP_MONITOR_H

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

#define MONITOR_TTY_INTERVAL_S 0.25	/* redraw period on a terminal */
#define MONITOR_LOG_INTERVAL_S 10.0	/* a line at least this often in a log */
#define MONITOR_LABEL_LEN 96

struct monitor {
	pthread_t tid;
	pthread_mutex_t lock;
	pthread_cond_t wake;	/* CLOCK_MONOTONIC: stop() wakes it at once */
	FILE *f;
	int tty;
	int stop;
	/* what the driver is doing; guarded by lock */
	size_t cells, cell;
	int warmup, reps;
	int rep;		/* the repetition running: -warmup .. reps-1 */
	size_t units_done;	/* repetitions finished, warm-ups included */
	double t0;
	char label[MONITOR_LABEL_LEN];
	/* the thread's own bookkeeping */
	size_t printed_cell;
	double printed_at;
};

/* start the thread; 0 or -errno (then there is simply no progress) */
int monitor_start(struct monitor *m, FILE *f, int tty, size_t cells,
		  int warmup, int reps);
void monitor_cell(struct monitor *m, size_t cell, const char *label);
/* cells of one comparison take turns: name the one running, keep the count */
void monitor_relabel(struct monitor *m, size_t cell, const char *label);
void monitor_rep(struct monitor *m, int rep);	/* repetition `rep` ended */
/* stop and join the thread; clear the line, or log a last one */
void monitor_stop(struct monitor *m);

/* the progress text for the state in m at time `now` (no locking) */
void monitor_line(const struct monitor *m, double now, char *buf, size_t len);
/* "4.2s", "37s", "2m05s" */
void monitor_duration(double s, char *buf, size_t len);

#endif
