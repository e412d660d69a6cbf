/*
 * schedule.c - the cells of one comparison, repetition by repetition, on
 * a host that may not be ours alone.
 *
 * DESIGN
 * Every repetition is bracketed by two host samples taken in the driver,
 * and the runner reports how much CPU it spent in that cycle, so the
 * window's foreign load is the kernel's busy time minus the driver's and
 * that runner's (the other runners are blocked on their command pipe).
 * Short repetitions are pooled with the next ones, whatever their cell,
 * until the window is long enough for /proc/stat's clock ticks
 * (HOST_MIN_WINDOW_S); every repetition in a window gets its figure, and
 * it is busy only beyond what the ticks could account for. A busy
 * repetition is dropped and its cell runs one more, after a quiet
 * moment, until the cell's retries are used up; after that busy ones stay
 * counted and the cell says so.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "run/interrupt.h"
#include "run/schedule.h"
#include "sys/clock.h"

/* a window closes at this many repetitions even if it is still short */
#define MAX_PENDING 64

struct sample {		/* one counted repetition */
	double wall_s, user_s, sys_s, vol, invol;
	double foreign;	/* NAN until its window is judged */
	int busy;
	int dropped;	/* busy and run again: not counted */
};

struct slot {
	struct cell *c;
	struct cell_result *r;
	size_t index;	/* in the plan, for progress */
	struct runner rn;
	int warm_left;	/* warm-ups still to run */
	int kept;	/* counted repetitions not dropped */
	int retried;
	int quiet_first;	/* wait for a quiet moment before the next one */
	struct sample *s;
	size_t n_s;
};

struct pending {	/* repetitions whose window is not judged yet */
	struct host_window w;
	struct slot *slot[MAX_PENDING];
	size_t sample[MAX_PENDING];
	size_t n;
};

struct sched {
	struct slot *slots;
	size_t n;
	const struct measure_opts *o;
	struct pending pend;
	struct host_log *log;
	int stays_busy;	/* a wait found no quiet moment: wait no more */
	/*
	 * The last cycle's closing sample opens the next cycle: pooled
	 * windows then join end to end and carry one tick's counting error,
	 * not one per repetition, which for millisecond repetitions would
	 * exceed the busy threshold by itself.
	 */
	struct host_sample last;
	int chained;
};

static void log_add(struct host_log *log, const struct host_window *w,
		   double foreign)
{
	if (log->windows++ == 0 || foreign > log->foreign_max)
		log->foreign_max = foreign;
	log->steal_s += w->steal_s;
	log->wall_s += w->wall_s;
	if (w->psi_s >= 0) {
		log->psi_s += w->psi_s;
		log->psi_wall_s += w->wall_s;
	}
}

/* a busy repetition is dropped while its cell has retries left */
static void judge_one(struct sched *s, struct slot *sl, size_t i, double f,
		      int busy)
{
	struct sample *x = &sl->s[i];

	x->foreign = f;
	x->busy = busy;
	if (!x->busy || sl->retried >= s->o->retries)
		return;
	x->dropped = 1;
	sl->retried++;
	sl->kept--;
	sl->quiet_first = 1;
}

static void judge(struct sched *s)
{
	struct pending *p = &s->pend;
	double f = host_foreign(&p->w);
	int busy = host_window_busy(&p->w, s->o->busy_threshold, host_cpus());

	if (p->n == 0)
		return;
	if (isfinite(f))
		log_add(s->log, &p->w, f);
	for (size_t i = 0; i < p->n; i++)
		judge_one(s, p->slot[i], p->sample[i], f, busy);
	p->n = 0;
	p->w = (struct host_window){ 0 };
}

static void pend_add(struct sched *s, const struct host_window *w,
		    struct slot *sl, size_t sample)
{
	struct pending *p = &s->pend;

	host_window_add(&p->w, w);
	p->slot[p->n] = sl;
	p->sample[p->n++] = sample;
	if (p->w.wall_s >= HOST_MIN_WINDOW_S || p->n == MAX_PENDING)
		judge(s);
}

static void sleep_s(double s)
{
	struct timespec ts = { .tv_sec = (time_t)s,
			       .tv_nsec = (long)((s - (double)(time_t)s) * 1e9) };

	(void)nanosleep(&ts, NULL);	/* EINTR: a signal; the caller looks at it */
}

/*
 * Look for a quiet moment, at most --quiet-wait; the runners are idle.
 * 0: found one; -1: the host stayed busy, and the caller stops waiting
 * for the rest of the comparison, so a machine that is busy throughout
 * costs one wait, not one per retry.
 */
static int wait_quiet(const struct measure_opts *o)
{
	double end = clock_now() + o->quiet_wait_s;

	while (clock_now() + HOST_PROBE_S <= end && !interrupt_signal()) {
		struct host_sample a, b;
		struct host_window w;
		double f;

		host_read(&a);
		sleep_s(HOST_PROBE_S);
		host_read(&b);
		host_window_between(&a, &b, &w);
		f = host_foreign(&w);
		if (!isfinite(f) || f <= o->busy_threshold)
			return 0;
	}
	return -1;
}

/* a cell is "no" if any run was wrong, "expected-race" if any raced */
static void take_verdict(struct cell_result *r, const struct runner_rep *x)
{
	if (x->verdict == VERDICT_NO)
		r->verdict = VERDICT_NO;
	else if (x->verdict == VERDICT_RACE && r->verdict == VERDICT_YES)
		r->verdict = VERDICT_RACE;
	if (r->verdict != VERDICT_NO || x->verdict == VERDICT_NO)
		snprintf(r->detail, sizeof(r->detail), "%s", x->text);
}

static void keep_sample(struct sched *s, struct slot *sl,
		       const struct runner_rep *x, const struct host_sample *a,
		       const struct host_sample *b)
{
	struct host_window w;

	sl->s[sl->n_s] = (struct sample){
		.wall_s = x->wall_s, .user_s = x->user_s, .sys_s = x->sys_s,
		.vol = x->vol, .invol = x->invol, .foreign = NAN,
	};
	sl->kept++;
	host_window_between(a, b, &w);
	w.own_s += x->cycle_cpu_s;
	pend_add(s, &w, sl, sl->n_s++);
}

/* one repetition of one cell: 0 (whatever became of the cell), or < 0 */
static int cycle(struct sched *s, struct slot *sl)
{
	struct host_sample a, b;
	struct runner_rep x;
	int warm = sl->warm_left > 0;
	int rep = warm ? -sl->warm_left : (int)sl->n_s, rc;

	if (sl->quiet_first && s->o->quiet_wait_s > 0 && !s->stays_busy) {
		s->stays_busy = wait_quiet(s->o) != 0;
		s->chained = 0;	/* the wait is nobody's repetition */
	}
	sl->quiet_first = 0;
	if (s->chained)
		a = s->last;
	else
		host_read(&a);
	rc = runner_cycle(&sl->rn, rep, &x, sl->r);
	host_read(&b);
	s->last = b;
	s->chained = 1;
	if (interrupt_signal())
		return -EINTR;
	if (rc <= 0)
		return rc;
	if (s->o->on_rep)
		s->o->on_rep(s->o->arg, sl->index, rep);
	take_verdict(sl->r, &x);
	if (warm) {
		sl->warm_left--;
		return 0;
	}
	if (x.verdict == VERDICT_NO)
		return 0;	/* wrong runs are not counted */
	keep_sample(s, sl, &x, &a, &b);
	return 0;
}

static int wants(const struct slot *sl, int reps)
{
	return !sl->rn.ended && (sl->warm_left > 0 || sl->kept < reps);
}

/* turns until every cell has its repetitions, judged */
static int rounds(struct sched *s)
{
	for (;;) {
		int any = 0, rc;

		for (size_t i = 0; i < s->n; i++) {
			if (!wants(&s->slots[i], s->o->reps))
				continue;
			any = 1;
			rc = cycle(s, &s->slots[i]);
			if (rc)
				return rc;
		}
		if (any)
			continue;
		if (s->pend.n == 0)
			return 0;
		judge(s);	/* the last, short window: may ask for more */
	}
}

static int slot_open(struct slot *sl, const struct measure_opts *o)
{
	int rc;

	sl->warm_left = o->warmup;
	sl->r->verdict = VERDICT_YES;
	if (!sl->r->wall) {	/* the caller's allocation failed */
		result_driver_error(sl->r, -ENOMEM);
		sl->rn.ended = 1;
		return 0;
	}
	rc = runner_spawn(&sl->rn, sl->c, o->timeout_s, sl->r);
	if (rc == -EINTR || interrupt_signal())
		return -EINTR;
	if (rc) {
		result_driver_error(sl->r, rc);
		sl->rn.ended = 1;
	}
	return 0;
}

/* the kept samples into the result: times, CPU, host */
static void slot_finish(struct slot *sl, double *scratch)
{
	struct cell_result *r = sl->r;
	double user = 0, sys = 0, vol = 0, invol = 0;
	size_t k = 0;

	if (!r->wall)
		return;
	r->reps = 0;
	for (size_t i = 0; i < sl->n_s; i++) {
		const struct sample *x = &sl->s[i];

		if (x->dropped)
			continue;
		r->wall[r->reps++] = x->wall_s;
		if (isfinite(x->foreign))
			scratch[k++] = x->foreign;
		user += x->user_s;
		sys += x->sys_s;
		vol += x->vol;
		invol += x->invol;
		r->busy_reps += x->busy;
	}
	r->retried = sl->retried;
	if (r->reps > 0) {
		r->user_s = user / r->reps;
		r->sys_s = sys / r->reps;
		r->ctxsw_vol = vol / r->reps;
		r->ctxsw_invol = invol / r->reps;
	}
	r->foreign_cpus = k ? stats_median(scratch, k) : NAN;
	if (stats_compute(r->wall, (size_t)r->reps, &r->st)) {
		r->failed = 1;
		snprintf(r->detail, sizeof(r->detail), "statistics: out of memory");
	}
}

static int close_all(struct sched *s, int rc, double *scratch)
{
	for (size_t i = 0; i < s->n; i++) {
		struct slot *sl = &s->slots[i];
		int rc2;

		if (rc == -EINTR)
			runner_kill(&sl->rn);
		rc2 = runner_close(&sl->rn, sl->r);
		if (rc2 && rc != -EINTR)
			result_driver_error(sl->r, rc2);
		if (rc != -EINTR)
			slot_finish(sl, scratch);
	}
	return rc;
}

int schedule_run(struct cell *cells, struct cell_result *res, size_t n,
		 size_t first, const struct measure_opts *o,
		 struct host_log *log)
{
	struct sched s = { .n = n, .o = o, .log = log };
	/* room for every repetition a cell may run: its own, and retries */
	size_t cap = (size_t)o->reps + (size_t)o->retries;
	struct sample *samples = calloc(n * cap, sizeof(*samples));
	double *scratch = calloc(cap, sizeof(*scratch));
	int rc = 0;

	s.slots = calloc(n, sizeof(*s.slots));
	if (!s.slots || !samples || !scratch) {
		free(s.slots);
		free(samples);
		free(scratch);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		s.slots[i] = (struct slot){ .c = &cells[i], .r = &res[i],
					    .index = first + i,
					    .rn = { .pid = -1 },
					    .s = samples + i * cap };
	for (size_t i = 0; i < n && !rc; i++)
		rc = slot_open(&s.slots[i], o);
	if (!rc)
		rc = rounds(&s);
	rc = close_all(&s, rc, scratch);
	runner_reap_orphans();
	free(scratch);
	free(samples);
	free(s.slots);
	return rc;
}

int runner_measure(struct cell *c, const struct measure_opts *o,
		   struct cell_result *r)
{
	struct host_log log = { 0 };

	result_init(r, c, o->reps);
	return schedule_run(c, r, 1, 0, o, &log);
}

void host_log_summary(const struct host_log *log,
		      const struct cell_result *rows, size_t n,
		      double threshold, struct host_run *out)
{
	double *v = calloc(n + 1, sizeof(*v));
	size_t k = 0;

	*out = (struct host_run){ .cpus = host_cpus(), .windows = log->windows,
				  .foreign_median = NAN, .foreign_max = NAN,
				  .steal = NAN, .pressure = NAN,
				  .threshold = threshold, .cells = n };
	for (size_t i = 0; i < n; i++) {
		out->busy_cells += rows[i].busy_reps > 0;
		out->retried += (size_t)rows[i].retried;
		if (v && isfinite(rows[i].foreign_cpus))
			v[k++] = rows[i].foreign_cpus;
	}
	if (k)
		out->foreign_median = stats_median(v, k);
	free(v);
	if (log->windows) {
		out->foreign_max = log->foreign_max;
		out->steal = log->steal_s / log->wall_s;
	}
	if (log->psi_wall_s > 0)
		out->pressure = log->psi_s / log->psi_wall_s;
}
