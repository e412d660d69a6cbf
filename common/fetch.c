/*
 * fetch.c - an I/O-bound pool: N downloads, each mostly waiting, some of
 * which fail.
 *
 * MODELS  the tutorial's ThreadPoolExecutor lesson: submit N downloads,
 *         take each result as it completes (as_completed), and catch each
 *         task's failure on its own so one bad download does not sink the
 *         rest. A worker spends a task waiting, not computing, so W workers
 *         finish in about ceil(N/W) task times even on 2 cores: the one
 *         place threads win under a GIL.
 * SOURCES --source sim: the wait is a sleep to a CLOCK_MONOTONIC deadline
 *         (no busy waiting), after which the payload is "received".
 *         --source http: a real server on 127.0.0.1, an ephemeral port, in
 *         this process (common/fetch_http.c), serving /bytes/N?delay=MS;
 *         each worker fetches with its own reused libcurl handle.
 * TASKS   task i takes --latency (plus up to --jitter, drawn from --seed
 *         and i), fails with probability --fail-rate (drawn from --seed
 *         and i, so every back end fails the same tasks), and otherwise
 *         delivers --bytes of a pattern drawn from --seed and i.
 * CORRECT verify() recomputes, for every task, whether it must fail and
 *         its payload's checksum, and checks that exactly the chosen tasks
 *         failed, every other delivered its own payload, every task ran
 *         once and was collected once, and the completion ranks are a
 *         permutation. The detail shows measured / ideal time, the failed
 *         tasks, p50/p99 task latency and how far completion order strayed
 *         from submission order.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "fetch.h"
#include "sys/checked.h"
#include "sys/clock.h"
#include "sys/shm.h"
#include "sys/trace.h"

#define MAX_BYTES (64u << 20)
#define MAX_LATENCY_MS 60000
#define MAX_FAILED_LISTED 8
/* salts that make the failure, jitter and payload draws independent */
#define SALT_FAIL 0x6661696cULL
#define SALT_JITTER 0x6a697474ULL
#define SALT_PAYLOAD 0x7061796cULL
/* the golden ratio in 64 bits: successive multiples never repeat */
#define WEYL 0x9e3779b97f4a7c15ULL
#define FNV_OFFSET 14695981039346656037ULL
#define FNV_PRIME 1099511628211ULL

static const char *const fetch_variants[] = { "default", NULL };

static const struct param_def fetch_params[] = {
	[FE_BYTES] = { "bytes", PARAM_UINT, "16K", "payload bytes per task",
		       1, MAX_BYTES, NULL },
	[FE_LATENCY] = { "latency", PARAM_MS, "50ms",
			 "time one download takes", 0, MAX_LATENCY_MS, NULL },
	[FE_JITTER] = { "jitter", PARAM_MS, "0ms",
			"extra latency per task, uniform in [0, jitter), from --seed",
			0, MAX_LATENCY_MS, NULL },
	[FE_FAIL_RATE] = { "fail-rate", PARAM_DOUBLE, "0.1",
			   "probability that a task fails (chosen from --seed)",
			   0, 1, NULL },
	[FE_SOURCE] = { "source", PARAM_CHOICE, "sim",
			"sim: sleep to a deadline; http: real requests to a server on 127.0.0.1",
			0, 0, "sim|http" },
	[FE_TRACE] = { "trace", PARAM_OUTPUT, PARAM_NO_OUTPUT,
		       "append one CSV row per task (worker, start, end, status) to this file",
		       0, 0, NULL },
	{ 0 },
};

/* ---- what each task is: closed forms of (seed, task id) --------------- */

/* splitmix64's finaliser: every input bit affects every output bit */
static uint64_t mix(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* a number in [0, 1) drawn from (seed, id, salt) */
static double draw(uint64_t seed, uint64_t id, uint64_t salt)
{
	return (double)(mix(mix(seed ^ salt) + id) >> 11) * 0x1p-53;
}

int fetch_fails(const struct fetch *f, uint64_t id)
{
	return draw(f->seed, id, SALT_FAIL) < f->fail_rate;
}

double fetch_latency(const struct fetch *f, uint64_t id)
{
	return f->latency_s + f->jitter_s * draw(f->seed, id, SALT_JITTER);
}

/*
 * Word k of task id's payload is key + k * WEYL, key drawn from (seed, id):
 * every task's bytes differ and every word differs, yet filling costs one
 * add per word, so a worker's CPU time goes on waiting, not on making
 * up data.
 */
void fetch_fill(uint64_t seed, uint64_t id, char *buf, size_t len)
{
	uint64_t key = mix(mix(seed ^ SALT_PAYLOAD) + id);

	for (size_t i = 0; i < len; i += sizeof(uint64_t)) {
		uint64_t word = key + (i / sizeof(uint64_t)) * WEYL;
		size_t left = len - i;

		memcpy(buf + i, &word, left < sizeof(word) ? left : sizeof(word));
	}
}

/* FNV-1a over 64-bit words, then the tail bytes */
uint64_t fetch_checksum(const char *buf, size_t len)
{
	uint64_t h = FNV_OFFSET;
	size_t i = 0;

	for (; i + sizeof(uint64_t) <= len; i += sizeof(uint64_t)) {
		uint64_t word;

		memcpy(&word, buf + i, sizeof(word));
		h = (h ^ word) * FNV_PRIME;
	}
	for (; i < len; i++)
		h = (h ^ (unsigned char)buf[i]) * FNV_PRIME;
	return h;
}

/* ---- input setup ------------------------------------------------------- */

static uint64_t fetch_footprint(const struct cell *c)
{
	return c->size * (sizeof(struct fetch_task) + sizeof(struct fetch_job)) +
	       (uint64_t)c->workers * c->param[FE_BYTES].u;
}

static void fetch_config(struct fetch *f, const struct cell *c)
{
	f->n = c->size;
	f->seed = c->seed;
	f->bytes = (uint32_t)c->param[FE_BYTES].u;
	f->latency_s = c->param[FE_LATENCY].d / 1e3;
	f->jitter_s = c->param[FE_JITTER].d / 1e3;
	f->fail_rate = c->param[FE_FAIL_RATE].d;
	f->source = c->param[FE_SOURCE].choice;
	f->workers = c->workers;
}

static int fetch_alloc(struct fetch *f)
{
	f->task = shm_alloc(f->n * sizeof(*f->task));
	f->job = shm_alloc(f->n * sizeof(*f->job));
	f->worker = calloc((size_t)f->workers, sizeof(*f->worker));
	if (!f->task || !f->job || !f->worker)
		return -ENOMEM;
	for (uint64_t i = 0; i < f->n; i++)
		f->job[i] = (struct fetch_job){ .f = f, .id = i };
	return 0;
}

static void fetch_teardown(struct cell *c);

static int fetch_setup(struct cell *c)
{
	struct fetch *f = shm_alloc(sizeof(*f));
	int rc;

	if (!f)
		return -errno;
	c->state = f;
	fetch_config(f, c);
	rc = fetch_alloc(f);
	if (!rc)
		rc = trace_open(c->param[FE_TRACE].s, &f->trace);
	/* the server lives as long as the cell: started here, stopped in teardown */
	if (!rc && f->source == FETCH_HTTP)
		rc = fetch_http_start(f);
	if (rc)
		fetch_teardown(c);
	return rc;
}

/* forget the last run, so a back end that did nothing cannot pass */
static void fetch_reset(struct cell *c)
{
	struct fetch *f = c->state;

	memset(f->task, 0, f->n * sizeof(*f->task));
	f->next_rank = 0;
	f->runs++;
	f->pool_start_s = -1;
	f->t0 = clock_now();
}

/* ---- the kernel: one worker, one task ---------------------------------- */

int fetch_worker_init(void *arg, int worker)
{
	struct fetch *f = arg;
	struct fetch_worker *w = &f->worker[worker];

	w->buf = malloc(f->bytes);
	if (!w->buf)
		return -ENOMEM;
	w->cap = f->bytes;
	if (f->source == FETCH_HTTP)
		return fetch_http_worker_init(f, w);
	/*
	 * By default the kernel may wake a sleeping thread up to 50us late,
	 * to batch wake-ups; a simulated download should last its latency.
	 * The setting is this thread's (or process's) own.
	 */
	if (prctl(PR_SET_TIMERSLACK, 1UL) != 0)
		return -errno;
	return 0;
}

void fetch_worker_fini(void *arg, int worker)
{
	struct fetch *f = arg;
	struct fetch_worker *w = &f->worker[worker];

	if (f->source == FETCH_HTTP)
		fetch_http_worker_fini(w);
	free(w->buf);
	w->buf = NULL;
}

/*
 * The simulated download: the payload is ready at once, the answer comes
 * at the deadline. Sleeping to an absolute deadline rather than for a
 * duration means the time spent filling the buffer is not added on top.
 */
static int fetch_sim_get(struct fetch *f, struct fetch_worker *w, uint64_t id)
{
	struct timespec deadline = clock_deadline(fetch_latency(f, id));
	int fails = fetch_fails(f, id);

	w->len = fails ? 0 : f->bytes;
	fetch_fill(f->seed, id, w->buf, w->len);
	clock_sleep_until(&deadline);
	return fails ? FETCH_FAILED : FETCH_OK;
}

typedef int (*fetch_get_fn)(struct fetch *f, struct fetch_worker *w,
			    uint64_t id);

static const fetch_get_fn fetch_sources[] = {
	[FETCH_SIM] = fetch_sim_get,
	[FETCH_HTTP] = fetch_http_get,
};

int fetch_task_run(void *arg, int worker, int64_t *result)
{
	struct fetch_job *j = arg;
	struct fetch *f = j->f;
	struct fetch_task *t = &f->task[j->id];
	struct fetch_worker *w = &f->worker[worker];

	t->start = clock_now();
	t->status = fetch_sources[f->source](f, w, j->id);
	t->end = clock_now();
	t->worker = worker;
	t->bytes = (uint32_t)w->len;
	t->checksum = fetch_checksum(w->buf, w->len);
	atomic_fetch_add(&t->runs, 1);
	*result = (int64_t)w->len;
	return t->status == FETCH_OK ? 0 : -EIO;
}

void fetch_collect(struct fetch *f, uint64_t id, int error, int64_t result)
{
	struct fetch_task *t = &f->task[id];

	t->rank = atomic_fetch_add(&f->next_rank, 1);
	t->error = error;
	t->result = result;
	atomic_fetch_add(&t->collected, 1);
}

void fetch_clock_start(struct cell *c, double pool_start_s)
{
	struct fetch *f = c->state;

	f->pool_start_s = pool_start_s;
	f->t0 = clock_now();
}

void fetch_clock_stop(struct cell *c)
{
	struct fetch *f = c->state;

	c->self_timed_s = clock_now() - f->t0;
}

/* ---- the sequential reference: one download after another -------------- */

static int fetch_reference(struct cell *c)
{
	struct fetch *f = c->state;
	int rc = fetch_worker_init(f, 0);

	if (rc) {
		cell_fail(c, "worker set-up: %s", strerror(-rc));
		fetch_worker_fini(f, 0);
		return -1;
	}
	for (uint64_t i = 0; i < f->n; i++) {
		int64_t result = 0;
		int error = fetch_task_run(&f->job[i], 0, &result);

		fetch_collect(f, i, error, result);
	}
	fetch_worker_fini(f, 0);
	return 0;
}

/* ---- verify: every task against its closed form ------------------------ */

static int fetch_check_outcome(const struct fetch *f, uint64_t id,
			       char *scratch, char *why, size_t len)
{
	const struct fetch_task *t = &f->task[id];
	uint64_t want;

	if (fetch_fails(f, id)) {
		if (t->status == FETCH_FAILED && t->error != 0)
			return 0;
		snprintf(why, len, "task %" PRIu64 " should have failed: status %d, future error %d",
			 id, t->status, t->error);
		return -1;
	}
	if (t->status != FETCH_OK || t->error != 0 || t->bytes != f->bytes ||
	    t->result != (int64_t)f->bytes) {
		snprintf(why, len, "task %" PRIu64 ": status %d, %u bytes, future error %d result %" PRId64 "; expected 200 with %u bytes",
			 id, t->status, t->bytes, t->error, t->result, f->bytes);
		return -1;
	}
	fetch_fill(f->seed, id, scratch, f->bytes);
	want = fetch_checksum(scratch, f->bytes);
	if (t->checksum == want)
		return 0;
	snprintf(why, len, "task %" PRIu64 ": payload checksum %016" PRIx64 ", expected %016" PRIx64,
		 id, t->checksum, want);
	return -1;
}

/* seen[r] marks completion rank r as taken, so ranks must be a permutation */
static int fetch_check_task(const struct fetch *f, uint64_t id, char *seen,
			    char *scratch, char *why, size_t len)
{
	const struct fetch_task *t = &f->task[id];

	if (t->runs != 1 || t->collected != 1) {
		snprintf(why, len, "task %" PRIu64 " ran %u times and was collected %u times; expected once each",
			 id, (unsigned)t->runs, (unsigned)t->collected);
		return -1;
	}
	if (t->rank >= f->n || seen[t->rank]++) {
		snprintf(why, len, "task %" PRIu64 ": completion rank %" PRIu64 " is out of range or taken twice",
			 id, t->rank);
		return -1;
	}
	return fetch_check_outcome(f, id, scratch, why, len);
}

/* ---- the detail line: time against ideal, latencies, order, failures --- */

/*
 * The least time W workers with no overhead could take: no less than the
 * longest task, than an equal share of all the waiting, and than
 * ceil(N/W) of the shortest tasks one after another. With no jitter this
 * is exactly ceil(N/W) x latency.
 */
static double fetch_ideal(const struct fetch *f)
{
	double sum = 0, lo = f->n ? fetch_latency(f, 0) : 0, hi = lo;
	uint64_t w = (uint64_t)f->workers, rounds = (f->n + w - 1) / w;

	for (uint64_t i = 0; i < f->n; i++) {
		double l = fetch_latency(f, i);

		sum += l;
		lo = l < lo ? l : lo;
		hi = l > hi ? l : hi;
	}
	return fmax(fmax(sum / (double)w, hi), lo * (double)rounds);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* nearest-rank percentile p (0..1] of n sorted values */
static double percentile(const double *v, uint64_t n, double p)
{
	uint64_t k = (uint64_t)ceil(p * (double)n);

	return v[k ? k - 1 : 0];
}

static size_t fetch_detail_time(const struct fetch *f, char *d, size_t len)
{
	double *lat = malloc((f->n ? f->n : 1) * sizeof(*lat));
	double last = f->t0, ideal = fetch_ideal(f);
	size_t used;

	if (!lat)
		return (size_t)snprintf(d, len, "%" PRIu64 " tasks", f->n);
	for (uint64_t i = 0; i < f->n; i++) {
		lat[i] = f->task[i].end - f->task[i].start;
		last = f->task[i].end > last ? f->task[i].end : last;
	}
	qsort(lat, f->n, sizeof(*lat), cmp_double);
	used = (size_t)snprintf(d, len, "%" PRIu64 " tasks", f->n);
	if (f->n && ideal > 0)
		used += (size_t)snprintf(d + used, len - used, "; %.3fx ideal %.3fs",
					 (last - f->t0) / ideal, ideal);
	if (f->n)
		used += (size_t)snprintf(d + used, len - used,
					 "; task p50 %.1fms p99 %.1fms",
					 percentile(lat, f->n, 0.5) * 1e3,
					 percentile(lat, f->n, 0.99) * 1e3);
	if (f->pool_start_s >= 0 && used < len)
		used += (size_t)snprintf(d + used, len - used, "; pool start %.1fms",
					 f->pool_start_s * 1e3);
	free(lat);
	return used < len ? used : len - 1;
}

/* tasks that finished ahead of a task submitted before them */
static uint64_t fetch_overtakers(const struct fetch *f)
{
	uint64_t n = 0, max_rank = 0;

	for (uint64_t i = 0; i < f->n; i++) {
		if (i > 0 && f->task[i].rank < max_rank)
			n++;
		if (f->task[i].rank > max_rank)
			max_rank = f->task[i].rank;
	}
	return n;
}

static size_t fetch_detail_failures(const struct fetch *f, char *d, size_t len)
{
	uint64_t failed = 0, listed = 0;
	size_t used;

	for (uint64_t i = 0; i < f->n; i++)
		failed += f->task[i].status != FETCH_OK;
	used = (size_t)snprintf(d, len, "; %" PRIu64 " failed", failed);
	for (uint64_t i = 0; i < f->n && listed < MAX_FAILED_LISTED; i++)
		if (f->task[i].status != FETCH_OK && used < len)
			used += (size_t)snprintf(d + used, len - used, "%s%" PRIu64,
						 listed++ ? " " : ": ", i);
	if (failed > listed && used < len)
		used += (size_t)snprintf(d + used, len - used, " +%" PRIu64,
					 failed - listed);
	return used < len ? used : len - 1;
}

static void fetch_detail(const struct fetch *f, char *d, size_t len)
{
	size_t used = fetch_detail_time(f, d, len);

	used += (size_t)snprintf(d + used, len - used,
				 "; %" PRIu64 " finished before an earlier task",
				 fetch_overtakers(f));
	if (used < len)
		fetch_detail_failures(f, d + used, len - used);
}

static void fetch_trace_write(const struct cell *c, const struct fetch *f)
{
	for (uint64_t i = 0; f->trace && i < f->n; i++) {
		const struct fetch_task *t = &f->task[i];

		trace_row(f->trace, c, f->runs, i, t->worker, t->start - f->t0,
			  t->end - f->t0, t->status);
	}
	if (f->trace)	/* the run stands without its trace: only say so */
		WARN_SYS(fflush(f->trace));
}

static enum verdict fetch_verify(struct cell *c, char *detail, size_t len)
{
	struct fetch *f = c->state;
	char *seen = calloc(f->n ? f->n : 1, 1), *scratch = malloc(f->bytes);
	enum verdict v = seen && scratch ? VERDICT_YES : VERDICT_NO;

	if (!seen || !scratch)
		snprintf(detail, len, "verify: out of memory");
	else
		for (uint64_t i = 0; i < f->n && v == VERDICT_YES; i++)
			if (fetch_check_task(f, i, seen, scratch, detail, len))
				v = VERDICT_NO;
	free(scratch);
	free(seen);
	fetch_trace_write(c, f);
	if (v == VERDICT_YES)
		fetch_detail(f, detail, len);
	return v;
}

static double fetch_work(const struct cell *c)
{
	return (double)c->size;
}

static void fetch_teardown(struct cell *c)
{
	struct fetch *f = c->state;

	if (f->server)
		fetch_http_stop(f);
	if (f->trace)
		WARN_SYS(fclose(f->trace));	/* the result is in: only say so */
	free(f->worker);
	shm_free(f->job, f->n * sizeof(*f->job));
	shm_free(f->task, f->n * sizeof(*f->task));
	shm_free(f, sizeof(*f));
	c->state = NULL;
}

const struct workload workload_fetch = {
	.name = "fetch",
	.summary = "I/O-bound pool: N downloads with latency, some fail, taken as completed",
	.description = "An I/O-bound pool, the tutorial's ThreadPoolExecutor with "
		"as_completed: N downloads that mostly wait (--latency), some of "
		"which fail (--fail-rate). W workers should finish in about "
		"ceil(N/W) task times even on few cores, the one place threads win "
		"under a GIL. Every task must run once, the chosen ones fail, the "
		"rest deliver their own payload.",
	.size_help = "tasks (downloads)",
	.default_size = 32,
	.variants = fetch_variants,
	.params = fetch_params,
	.unit = "tasks/s",
	.footprint = fetch_footprint,
	.setup = fetch_setup,
	.reset = fetch_reset,
	.reference = fetch_reference,
	.verify = fetch_verify,
	.work = fetch_work,
	.teardown = fetch_teardown,
};
