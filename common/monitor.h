/*
 * monitor.h - the monitor workload (the tutorial's TaskMonitor):
 * its shared state and the calls threads/monitor.c makes. Not to
 * be confused with common/run/monitor.h, tvp's own progress line.
 */
#ifndef TVP_MONITOR_LESSON_H
#define TVP_MONITOR_LESSON_H

#include <stdatomic.h>
#include <stdint.h>

#include "tvp.h"

enum mon_param { MON_COST, MON_INTERVAL };
enum mon_variant { MON_NONE, MON_ATOMIC_FLAG, MON_CONDVAR, MON_PLAIN_FLAG };

/* one worker's progress: written by it, read by the monitor; padded */
struct mon_progress {
	_Alignas(CACHELINE_SIZE) atomic_uint_fast64_t done;	/* items so far */
	uint64_t sink;		/* XOR of its results, stored once at the end */
};

struct monitor_lesson {
	uint64_t n, cost;
	int workers;
	double interval_s;		/* --interval: time between samples */
	struct mon_progress *worker;	/* shared, [workers] */
	/* written by the monitor thread only, read after it is joined */
	uint64_t samples;		/* samples taken while running */
	uint64_t last_seen;		/* items done, at the final sample */
	int stopped;			/* times the monitor stopped: 1 */
	double stop_asked, stopped_at;	/* CLOCK_MONOTONIC seconds */
};

/* worker k's share of the n items, reporting progress after each one */
void monitor_lesson_work(struct monitor_lesson *m, int k);
/* the monitor's one look at every worker's progress; returns items done */
uint64_t monitor_lesson_sample(struct monitor_lesson *m);
/* main, just before it tells the monitor to stop */
void monitor_lesson_stopping(struct monitor_lesson *m);
/* the monitor, as it leaves its loop: one last sample, and the time */
void monitor_lesson_finish(struct monitor_lesson *m);

#endif
