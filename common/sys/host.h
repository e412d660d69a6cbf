/*
 * host.h - how much of the machine was someone else's during a measurement.
 *
 * DESIGN
 * A benchmark on a shared machine is only as good as its knowledge of the
 * machine. The kernel counts, for all CPUs together, the time they were
 * busy (/proc/stat) and how long tasks waited for a CPU (/proc/pressure/cpu,
 * PSI, where the kernel has it). tvp knows its own CPU time exactly
 * (getrusage of the driver, and every runner's report), so what the CPUs
 * did beyond that was done for somebody else: other processes, or the
 * hypervisor (steal). Divided by the wall time of the window, that is
 * "foreign CPUs": 0.0 on a quiet machine, 1.0 when another process kept
 * one CPU busy throughout.
 *
 * /proc/stat counts in clock ticks (USER_HZ, 100 per second), so a window
 * of 10 ms is a coin toss. The driver therefore pools consecutive
 * repetitions into windows of at least HOST_MIN_WINDOW_S before it judges
 * them (schedule.c); a repetition gets its window's figure.
 *
 * irq and softirq time is left out: on this kind of machine it is mostly
 * the loopback traffic and timers of tvp's own workers, which getrusage
 * does not charge to any process.
 */
#ifndef TVP_HOST_H
#define TVP_HOST_H

#include <stddef.h>
#include <stdint.h>

/* shortest window whose /proc/stat figure is within ~0.1 CPU of the truth */
#define HOST_MIN_WINDOW_S 0.3
/* default --busy-threshold: never reached on a quiet machine */
#define DEFAULT_BUSY_THRESHOLD 0.25
/* default --retries and --quiet-wait */
#define DEFAULT_RETRIES 3
#define MAX_RETRIES 100
#define DEFAULT_QUIET_WAIT_S 3.0
#define MAX_QUIET_WAIT_S 600.0
/* how long one look for a quiet moment lasts */
#define HOST_PROBE_S 0.1

/* the kernel's counters at one moment */
struct host_sample {
	double t;		/* CLOCK_MONOTONIC seconds */
	double busy_s;		/* CPU-seconds busy, all CPUs: user..system, steal */
	double steal_s;		/* CPU-seconds the hypervisor took */
	double psi_some_s;	/* seconds some task waited for a CPU; < 0: no PSI */
	double own_s;		/* CPU-seconds of this process (the driver) */
	double step_s;		/* busy_s is counted in steps of this: a tick */
	int ok;			/* 0: /proc/stat could not be read */
};

/* what one window showed, once tvp's own CPU time is taken out */
struct host_window {
	double t0, t1;		/* from, to (CLOCK_MONOTONIC seconds) */
	double wall_s;		/* the parts' wall time, gaps left out */
	double busy_s;		/* all CPUs, from the kernel */
	double own_s;		/* tvp's own: driver and runners */
	double steal_s;
	double psi_s;		/* < 0: no PSI */
	double error_s;		/* busy_s's readings were truncated by up to this */
	double step_s;		/* the counters' tick */
	int ok;
	int parts;		/* windows added into this one (host_window_add) */
};

/* the run's host figures, for the reports' footers */
struct host_run {
	int cpus;
	size_t windows;
	double foreign_median, foreign_max;	/* CPUs; NAN: nothing measured */
	double steal;			/* CPUs the hypervisor took, mean */
	double pressure;	/* share of the time some task waited; NAN: no PSI */
	double threshold;	/* --busy-threshold */
	size_t busy_cells, cells, retried;
};

/* parse the aggregate "cpu" line of /proc/stat text into busy and steal */
int host_parse_stat(const char *text, long ticks_per_s, double *busy_s,
		    double *steal_s);
/* parse "some ... total=N" of /proc/pressure/cpu text into seconds */
int host_parse_psi(const char *text, double *some_s);

/*
 * Read the counters now. Tests may replace the reader with their own
 * (a fake busy host): host_set_reader(NULL) restores the kernel's.
 */
typedef void (*host_reader_fn)(struct host_sample *s);
void host_set_reader(host_reader_fn fn);
void host_read(struct host_sample *s);
void host_read_kernel(struct host_sample *s);

/* the window from a to b; the driver's own CPU is taken from the samples */
void host_window_between(const struct host_sample *a,
			 const struct host_sample *b, struct host_window *w);
/*
 * Pool w into sum. A part that starts where sum ends (the same sample)
 * shares its end's counting error, so consecutive parts cost one error in
 * all; a part after a gap brings its own.
 */
void host_window_add(struct host_window *sum, const struct host_window *w);
/*
 * CPUs' worth that others took in the window: (busy - own) / wall, never
 * below 0. NAN when the window could not be read or has no length; a
 * counter that went backwards (a wrapped or reset counter) reads as NAN too.
 */
double host_foreign(const struct host_window *w);
/*
 * Busy: others took more than `threshold` CPUs even after the counters'
 * own error is given to tvp. The kernel charges each clock tick wholly to
 * whatever ran at that tick, so busy_s is a sample of ticks: off by the
 * readings' truncation, plus a standard deviation of the count of busy
 * ticks (binomial). A short window is not called busy on a tick's evidence.
 */
int host_window_busy(const struct host_window *w, double threshold, int cpus);

/* "busy: other processes took 0.9 of 2 CPUs in 4 of 5 repetitions; ..." */
void host_busy_note(double foreign, int cpus, int busy_reps, int reps,
		    int retried, char *buf, size_t len);
int host_cpus(void);

#endif
