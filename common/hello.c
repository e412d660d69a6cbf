/*
 * hello.c - the tutorial's first lesson: W workers that each sleep, then
 * are joined.
 *
 * MODELS  `threading.Thread(target=task, args=(i,))`, start them all, join
 *         them all: each task prints "starting", sleeps, prints
 *         "finishing". The lesson is the order those lines come in: all
 *         start before any finishes, because a sleeping worker holds no
 *         CPU, so W sleeps of --sleep take about one --sleep, not W.
 * TIMELINE Instead of printing, worker k records its start and finish (in
 *         seconds since the run's start) in shared memory from shm_alloc(),
 *         so forked children record it exactly as threads do. --trace FILE
 *         appends it in fetch's format; `tvp plot --trace FILE` draws it.
 * CORRECT verify() reads only the timeline: every worker started exactly
 *         once and finished no sooner than its -n sleeps after it started.
 *         The sequential reference runs the W workers one after another,
 *         so its run takes W sleeps; a parallel back end must overlap them:
 *         the last worker to start must have started before the first one
 *         finished, so that at one moment all W were asleep at once (the
 *         tutorial's "all start before any finishes"). That leaves a whole
 *         sleep for starting W workers, slack enough for a busy or
 *         instrumented machine, and no queue of workers can pass it. The
 *         detail gives the run, first start to last finish, in sleeps.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hello.h"
#include "sys/checked.h"
#include "sys/clock.h"
#include "sys/shm.h"
#include "sys/trace.h"

#define MAX_SLEEP_MS 60000
#define MAX_SLEEPS 1000
#define MAX_ORDER_LISTED 16

static const char *const hello_variants[] = { "default", NULL };

static const struct param_def hello_params[] = {
	[HE_SLEEP] = { "sleep", PARAM_MS, "100ms",
		       "how long each worker sleeps (time.sleep in the tutorial)",
		       0, MAX_SLEEP_MS, NULL },
	[HE_TRACE] = { "trace", PARAM_OUTPUT, PARAM_NO_OUTPUT,
		       "append one CSV row per worker (start, end) to this file",
		       0, 0, NULL },
	{ 0 },
};

/* ---- the worker: what every back end runs W of ------------------------- */

static struct timespec hello_after(struct timespec t, double s)
{
	long ns = t.tv_nsec + (long)((s - (double)(time_t)s) * 1e9);

	t.tv_sec += (time_t)s + ns / 1000000000L;
	t.tv_nsec = ns % 1000000000L;
	return t;
}

static double hello_seconds(const struct timespec *t)
{
	return (double)t->tv_sec + (double)t->tv_nsec * 1e-9;
}

/*
 * Sleeping to absolute deadlines counted from the recorded start, so
 * `end - start >= sleeps * sleep` holds exactly, whatever wakes us late.
 */
void hello_greet(struct hello *h, int k)
{
	struct hello_line *l = &h->line[k];
	struct timespec start, deadline;

	clock_gettime(CLOCK_MONOTONIC, &start);
	atomic_fetch_add(&l->starts, 1);
	l->start_s = hello_seconds(&start) - h->t0;
	for (uint64_t i = 1; i <= h->sleeps; i++) {
		deadline = hello_after(start, (double)i * h->sleep_s);
		clock_sleep_until(&deadline);
	}
	l->end_s = clock_now() - h->t0;
	l->finished = atomic_fetch_add(&h->finished, 1) + 1;
}

/* ---- setup --------------------------------------------------------------- */

static uint64_t hello_footprint(const struct cell *c)
{
	return (uint64_t)c->workers * sizeof(struct hello_line);
}

static void hello_teardown(struct cell *c);

static int hello_setup(struct cell *c)
{
	struct hello *h = shm_alloc(sizeof(*h));
	int rc;

	if (!h)
		return -errno;
	c->state = h;
	h->workers = c->workers;
	h->sleeps = c->size;
	h->sleep_s = c->param[HE_SLEEP].d / 1e3;
	h->line = shm_alloc((size_t)h->workers * sizeof(*h->line));
	if (!h->line) {
		rc = -errno;
		hello_teardown(c);
		return rc;
	}
	rc = trace_open(c->param[HE_TRACE].s, &h->trace);
	if (rc)
		hello_teardown(c);
	return rc;
}

/* a blank timeline and a new zero: a back end that ran nobody cannot pass */
static void hello_reset(struct cell *c)
{
	struct hello *h = c->state;

	memset(h->line, 0, (size_t)h->workers * sizeof(*h->line));
	h->finished = 0;
	h->runs++;
	h->t0 = clock_now();
}

/* the same W workers, one after another: W sleeps in a row */
static int hello_reference(struct cell *c)
{
	struct hello *h = c->state;

	for (int k = 0; k < h->workers; k++)
		hello_greet(h, k);
	return 0;
}

/* ---- verify: the timeline alone ---------------------------------------- */

static int hello_check_line(const struct hello *h, int k, char *why, size_t len)
{
	const struct hello_line *l = &h->line[k];
	double need = (double)h->sleeps * h->sleep_s;

	if (l->starts != 1) {
		snprintf(why, len, "worker %d started %u times; expected once",
			 k, (unsigned)l->starts);
		return -1;
	}
	if (l->finished == 0 || l->end_s - l->start_s < need) {
		snprintf(why, len, "worker %d ran %.6fs, %s; expected %.6fs of sleep",
			 k, l->end_s - l->start_s,
			 l->finished ? "too short" : "never finished", need);
		return -1;
	}
	return 0;
}

/* first start, last start, first finish, last finish */
struct hello_bounds {
	double first_start, last_start, first_end, last_end;
};

static struct hello_bounds hello_bounds(const struct hello *h)
{
	const struct hello_line *l = h->line;
	struct hello_bounds b = { l[0].start_s, l[0].start_s, l[0].end_s,
				  l[0].end_s };

	for (int k = 1; k < h->workers; k++) {
		b.first_start = l[k].start_s < b.first_start ? l[k].start_s : b.first_start;
		b.last_start = l[k].start_s > b.last_start ? l[k].start_s : b.last_start;
		b.first_end = l[k].end_s < b.first_end ? l[k].end_s : b.first_end;
		b.last_end = l[k].end_s > b.last_end ? l[k].end_s : b.last_end;
	}
	return b;
}

/* "finish order 2 0 1 3": which worker printed "finishing" first */
static void hello_order(const struct hello *h, char *d, size_t len)
{
	size_t used = (size_t)snprintf(d, len, "; finish order");

	for (uint64_t r = 1; r <= (uint64_t)h->workers && used < len; r++)
		for (int k = 0; k < h->workers && used < len; k++)
			if (h->line[k].finished == r && r <= MAX_ORDER_LISTED)
				used += (size_t)snprintf(d + used, len - used,
							 " %d", k);
	if (h->workers > MAX_ORDER_LISTED && used < len)
		snprintf(d + used, len - used, " ...");
}

static void hello_trace_write(const struct cell *c, const struct hello *h)
{
	for (int k = 0; h->trace && k < h->workers; k++)
		trace_row(h->trace, c, h->runs, (uint64_t)k, k,
			  h->line[k].start_s, h->line[k].end_s, 0);
	if (h->trace)	/* the run stands without its trace: only say so */
		WARN_SYS(fflush(h->trace));
}

static enum verdict hello_verify(struct cell *c, char *detail, size_t len)
{
	struct hello *h = c->state;
	int in_a_row = !c->be || c->be->max_workers == 1;
	double one = (double)h->sleeps * h->sleep_s, span;
	struct hello_bounds b;
	size_t used;

	for (int k = 0; k < h->workers; k++)
		if (hello_check_line(h, k, detail, len))
			return VERDICT_NO;
	hello_trace_write(c, h);
	b = hello_bounds(h);
	span = b.last_end - b.first_start;
	used = (size_t)snprintf(detail, len,
				"%d workers slept %.0fms x %" PRIu64 ": run %.3fs = %.2f sleeps",
				h->workers, h->sleep_s * 1e3, h->sleeps, span,
				one > 0 ? span / one : 0);
	if (!in_a_row && used < len)
		used += (size_t)snprintf(detail + used, len - used,
					 " (in a row: %d sleeps)", h->workers);
	if (used < len)
		hello_order(h, detail + used, len - used);
	if (in_a_row || one == 0 || b.last_start < b.first_end)
		return VERDICT_YES;
	snprintf(detail, len, "workers did not overlap: the last started at %.3fs, after the first finished at %.3fs (%d workers, %.3fs each; run %.3fs)",
		 b.last_start, b.first_end, h->workers, one, span);
	return VERDICT_NO;
}

/* a sleep each worker does is the unit: W of them per run */
static double hello_work(const struct cell *c)
{
	return (double)c->workers * (double)c->size;
}

static void hello_teardown(struct cell *c)
{
	struct hello *h = c->state;

	if (h->trace)
		WARN_SYS(fclose(h->trace));	/* the result is in: only say so */
	shm_free(h->line, (size_t)h->workers * sizeof(*h->line));
	shm_free(h, sizeof(*h));
	c->state = NULL;
}

const struct workload workload_hello = {
	.name = "hello",
	.summary = "the first lesson: W workers each sleep --sleep; together they take one sleep",
	.size_help = "sleeps per worker, in a row",
	.default_size = 1,
	.variants = hello_variants,
	.params = hello_params,
	.unit = "sleeps/s",
	.footprint = hello_footprint,
	.setup = hello_setup,
	.reset = hello_reset,
	.reference = hello_reference,
	.verify = hello_verify,
	.work = hello_work,
	.teardown = hello_teardown,
};
