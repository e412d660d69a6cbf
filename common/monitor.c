/*
 * monitor.c - the tutorial's TaskMonitor: a background thread that
 * watches the workers' progress while they work, and is stopped cleanly.
 *
 * MODELS  `class TaskMonitor` with a `running` flag, a thread that prints
 *         progress every so often while running, start() before the work
 *         and stop() after it. W workers square -n items (squares' kernel,
 *         --cost steps each) and count each finished item in their own
 *         padded progress slot; the monitor sums the slots every
 *         --interval until it is told to stop. Variants (threads/
 *         monitor.c): none (no monitor: the baseline), atomic-flag,
 *         condvar (a timed wait that stop() cuts short) and plain-flag, a
 *         plain int read by one thread and written by another: a data race,
 *         DELIBERATELY BROKEN, which ThreadSanitizer reports.
 * COST    Every sample reads every worker's progress line, which then has
 *         to travel back to the worker's core: the detail of each
 *         monitored row says how much slower the workers were than the
 *         `none` row of the same run.
 * CORRECT verify() recomputes every worker's result in closed form and its
 *         item count from block_range; a monitored run must also have
 *         taken at least one sample (each monitor looks before it first
 *         checks its flag), stopped exactly once, and seen all n items in
 *         its final look (stop comes after the workers are joined, so
 *         anything less is a lost update).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "monitor.h"
#include "result.h"
#include "squares.h"
#include "sys/clock.h"
#include "sys/detail.h"
#include "sys/shm.h"

#define MAX_COST 1000000
#define MAX_INTERVAL_MS 10000

static const char *const mon_variants[] = {
	[MON_NONE] = "none", [MON_ATOMIC_FLAG] = "atomic-flag",
	[MON_CONDVAR] = "condvar", [MON_PLAIN_FLAG] = "plain-flag", NULL,
};

static const struct param_def mon_params[] = {
	[MON_COST] = { "cost", PARAM_UINT, "100",
		       "steps of dependent arithmetic per item (as squares)",
		       0, MAX_COST, NULL },
	[MON_INTERVAL] = { "interval", PARAM_MS, "1ms",
			   "time between two of the monitor's samples",
			   0.001, MAX_INTERVAL_MS, NULL },
	{ 0 },
};

/* ---- the worker and the monitor's steps --------------------------------- */

void monitor_lesson_work(struct monitor_lesson *m, int k)
{
	struct mon_progress *p = &m->worker[k];
	uint64_t lo, hi, sink = 0;

	block_range(m->n, m->workers, k, &lo, &hi);
	for (uint64_t i = lo; i < hi; i++) {
		sink ^= squares_item(i, m->cost);
		/* relaxed: a count to look at, not a hand-over of the results */
		atomic_store_explicit(&p->done, i - lo + 1, memory_order_relaxed);
	}
	p->sink = sink;
}

static uint64_t mon_sum(const struct monitor_lesson *m)
{
	uint64_t done = 0;

	for (int k = 0; k < m->workers; k++)
		done += atomic_load_explicit(&m->worker[k].done,
					     memory_order_relaxed);
	return done;
}

uint64_t monitor_lesson_sample(struct monitor_lesson *m)
{
	m->samples++;
	return mon_sum(m);
}

void monitor_lesson_stopping(struct monitor_lesson *m)
{
	m->stop_asked = clock_now();
}

void monitor_lesson_finish(struct monitor_lesson *m)
{
	m->stopped_at = clock_now();
	m->last_seen = mon_sum(m);	/* not a sample: the work is over */
	m->stopped++;
}

/* ---- setup and reference ------------------------------------------------ */

static uint64_t mon_footprint(const struct cell *c)
{
	return (uint64_t)c->workers * sizeof(struct mon_progress);
}

static int mon_setup(struct cell *c)
{
	struct monitor_lesson *m = shm_alloc(sizeof(*m));

	if (!m)
		return -errno;
	m->n = c->size;
	m->cost = c->param[MON_COST].u;
	m->workers = c->workers;
	m->interval_s = c->param[MON_INTERVAL].d / 1e3;
	m->worker = shm_alloc((size_t)m->workers * sizeof(*m->worker));
	if (!m->worker) {
		int rc = -errno;

		shm_free(m, sizeof(*m));
		return rc;
	}
	c->state = m;
	return 0;
}

static void mon_reset(struct cell *c)
{
	struct monitor_lesson *m = c->state;

	memset(m->worker, 0, (size_t)m->workers * sizeof(*m->worker));
	m->samples = m->last_seen = 0;
	m->stopped = 0;
	m->stop_asked = m->stopped_at = 0;
}

/* the work alone, one share after another: nobody to watch */
static int mon_reference(struct cell *c)
{
	struct monitor_lesson *m = c->state;

	for (int k = 0; k < m->workers; k++)
		monitor_lesson_work(m, k);
	return 0;
}

/* ---- verify ------------------------------------------------------------- */

static int mon_check_work(const struct monitor_lesson *m, char *d, size_t len)
{
	uint64_t a, b;

	squares_closed_form(m->cost, &a, &b);
	for (int k = 0; k < m->workers; k++) {
		uint64_t lo, hi, sink = 0;

		block_range(m->n, m->workers, k, &lo, &hi);
		for (uint64_t i = lo; i < hi; i++)
			sink ^= a * (i * i) + b;
		if (m->worker[k].done != hi - lo || m->worker[k].sink != sink) {
			snprintf(d, len, "worker %d: %" PRIu64 " of %" PRIu64
				 " items, result %s", k,
				 (uint64_t)m->worker[k].done, hi - lo,
				 m->worker[k].sink == sink ? "right" : "wrong");
			return -1;
		}
	}
	return 0;
}

static int mon_check_monitor(const struct monitor_lesson *m, char *d,
			     size_t len)
{
	if (m->samples >= 1 && m->stopped == 1 && m->last_seen == m->n)
		return 0;
	snprintf(d, len, "monitor: %" PRIu64 " samples, stopped %d times, saw %"
		 PRIu64 " of %" PRIu64 " items at the end; expected >= 1, once, all",
		 m->samples, m->stopped, m->last_seen, m->n);
	return -1;
}

static enum verdict mon_verify(struct cell *c, char *detail, size_t len)
{
	struct monitor_lesson *m = c->state;
	int watched = c->variant != MON_NONE && c->be && c->be->max_workers > 1;

	if (mon_check_work(m, detail, len))
		return VERDICT_NO;
	if (watched && mon_check_monitor(m, detail, len))
		return VERDICT_NO;
	if (!watched) {
		snprintf(detail, len, "%d workers: %" PRIu64 " items exact; no monitor",
			 m->workers, m->n);
		return VERDICT_YES;
	}
	snprintf(detail, len, "%d workers: %" PRIu64 " items exact; %" PRIu64
		 " samples, one per %.3gms; stopped %.3fms after asked",
		 m->workers, m->n, m->samples, m->interval_s * 1e3,
		 (m->stopped_at - m->stop_asked) * 1e3);
	return VERDICT_YES;
}

static double mon_work(const struct cell *c)
{
	return (double)c->size;
}

static void mon_teardown(struct cell *c)
{
	struct monitor_lesson *m = c->state;

	shm_free(m->worker, (size_t)m->workers * sizeof(*m->worker));
	shm_free(m, sizeof(*m));
	c->state = NULL;
}

/* ---- what monitoring cost: each monitored row against `none` ------------ */

static const struct cell_result *mon_baseline(const struct cell_result *r,
					      const struct cell_result *all,
					      size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (all[i].wl == r->wl && all[i].be == r->be &&
		    all[i].variant == MON_NONE && all[i].workers == r->workers &&
		    all[i].size == r->size && !all[i].failed &&
		    all[i].reps > 0 && all[i].st.median > 0)
			return &all[i];
	return NULL;
}

static void mon_annotate(struct cell_result *r, const struct cell_result *all,
			 size_t n)
{
	const struct cell_result *none;

	if (r->variant == MON_NONE || r->be->max_workers == 1 || r->failed ||
	    r->reps == 0 || r->verdict == VERDICT_NO)
		return;
	none = mon_baseline(r, all, n);
	if (none)
		detail_add(r->detail, sizeof(r->detail), "%+.1f%% time against none",
			 (r->st.median / none->st.median - 1) * 100);
}

const struct workload workload_monitor = {
	.name = "monitor",
	.summary = "the TaskMonitor: a thread samples the workers' progress, then is stopped",
	.size_help = "items, squared as in squares",
	.default_size = 2000000,
	.variants = mon_variants,
	.params = mon_params,
	.unit = "items/s",
	.footprint = mon_footprint,
	.setup = mon_setup,
	.reset = mon_reset,
	.reference = mon_reference,
	.verify = mon_verify,
	.work = mon_work,
	.teardown = mon_teardown,
	.annotate = mon_annotate,
};
