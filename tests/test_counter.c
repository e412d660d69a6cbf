/*
 * test_counter.c - every synchronised counter is exact on every back end,
 * the unsynchronised one counts its lost updates honestly, the back ends'
 * own locks (processes --mutex robust, openmp --lock omp-lock) are exact
 * too, a process that dies holding the robust mutex is reported and leaves
 * the lock usable, and nothing is left in /dev/shm.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counter.h"
#include "result.h"
#include "sys/fault.h"
#include "sys/shm.h"
#include "tests/harness.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define RACY_N 1000000		/* long enough for two workers to overlap */

static const char *const parallel_backends[] = { "threads", "processes", "openmp" };
static const int workers[] = { 1, 2, 4, 8 };	/* 4 and 8: more than cores */
static const uint64_t sizes[] = { 0, 1, 100000 };

/* the mutex variant's other locks: back-end knobs, "name=value" */
static const struct {
	const char *be, *opt, *note;
} knobs[] = {
	{ "processes", "mutex=robust", "robust mutex" },
	{ "threads", "mutex=shared", "process-shared mutex" },
	{ "threads", "mutex=robust", "robust mutex" },
	{ "openmp", "lock=omp-lock", "omp_lock_t" },
};

/* the verdict of one run with `opt` (or NULL), failing with the detail
 * when it is not `want` */
static void expect_opt(const char *be, const char *variant, const char *opt,
		       int w, uint64_t n, int want)
{
	const char *const opts[] = { opt, NULL };
	struct cell c = harness_cell("counter", be, variant, w, n, opts);
	char detail[DETAIL_LEN], msg[DETAIL_LEN + 128];
	int v = harness_run(&c, detail, sizeof(detail));

	snprintf(msg, sizeof(msg), "%s %s %s W=%d n=%" PRIu64 ": %s", be,
		 variant, opt ? opt : "", w, n, detail);
	/* CU_FAIL_FATAL would print its argument's name, not the message */
	CU_assertImplementation(v == want, __LINE__, msg, __FILE__, "", CU_TRUE);
}

static void expect(const char *be, const char *variant, int w, uint64_t n,
		   int want)
{
	expect_opt(be, variant, NULL, w, n, want);
}

static void test_counter_synchronised_variants_exact_on_every_backend(void)
{
	const struct workload *wl = workload_find("counter");

	for (int v = 0; v < CV_COUNT; v++) {
		if (v == CV_UNSYNCHRONISED)
			continue;
		expect("sequential", wl->variants[v], 1, 100000, VERDICT_YES);
		for (size_t b = 0; b < N_OF(parallel_backends); b++) {
			if (!backend_runner(backend_find(parallel_backends[b]), wl, v))
				continue;
			for (size_t w = 0; w < N_OF(workers); w++)
				for (size_t n = 0; n < N_OF(sizes); n++)
					expect(parallel_backends[b], wl->variants[v],
					       workers[w], sizes[n], VERDICT_YES);
		}
	}
}

static void test_counter_back_end_locks_exact_for_every_worker_count(void)
{
	for (size_t k = 0; k < N_OF(knobs); k++)
		for (size_t w = 0; w < N_OF(workers); w++)
			for (size_t n = 0; n < N_OF(sizes); n++)
				expect_opt(knobs[k].be, "mutex", knobs[k].opt,
					   workers[w], sizes[n], VERDICT_YES);
}

/* long enough that the workers surely overlap, even with fork's start-up */
static void test_counter_synchronised_variants_lose_nothing_under_contention(void)
{
	const struct workload *wl = workload_find("counter");

	for (int v = 0; v < CV_COUNT; v++)
		for (size_t b = 0; b < N_OF(parallel_backends); b++)
			if (v != CV_UNSYNCHRONISED &&
			    backend_runner(backend_find(parallel_backends[b]), wl, v))
				expect(parallel_backends[b], wl->variants[v], 2,
				       RACY_N, VERDICT_YES);
	for (size_t k = 0; k < N_OF(knobs); k++)
		expect_opt(knobs[k].be, "mutex", knobs[k].opt, 2, RACY_N,
			   VERDICT_YES);
}

static void test_counter_every_backend_runs_the_five_common_variants(void)
{
	static const char *const common[] = { "unsynchronised", "mutex", "atomic",
					      "sharded", "sharded-unpadded" };
	const struct workload *wl = workload_find("counter");

	for (size_t b = 0; b < N_OF(parallel_backends); b++)
		for (size_t v = 0; v < N_OF(common); v++)
			CU_ASSERT_PTR_NOT_NULL(backend_runner(
				backend_find(parallel_backends[b]), wl,
				workload_variant(wl, common[v])));
}

/* which lock the mutex variant takes is the back end's business, not a variant */
static void test_counter_lock_kinds_are_back_end_knobs_not_variants(void)
{
	const struct workload *wl = workload_find("counter");

	CU_ASSERT_EQUAL(workload_variant(wl, "omp-lock"), -1);
	CU_ASSERT_EQUAL(workload_variant(wl, "mutex-robust"), -1);
	/* omp_lock_t is OpenMP's alone */
	CU_ASSERT(backend_param(backend_find("openmp"), "lock") >= 0);
	CU_ASSERT_EQUAL(backend_param(backend_find("threads"), "lock"), -1);
	CU_ASSERT_EQUAL(backend_param(backend_find("processes"), "lock"), -1);
	/* the pthread mutex's kind: the processes' and, to compare, the threads' */
	CU_ASSERT(backend_param(backend_find("processes"), "mutex") >= 0);
	CU_ASSERT(backend_param(backend_find("threads"), "mutex") >= 0);
	CU_ASSERT_EQUAL(backend_param(backend_find("openmp"), "mutex"), -1);
}

/* the variant column cannot tell the locks apart, so the detail does */
static void test_counter_back_end_lock_is_named_in_the_detail(void)
{
	char detail[DETAIL_LEN];

	for (size_t k = 0; k < N_OF(knobs); k++) {
		const char *const opts[] = { knobs[k].opt, NULL };
		struct cell c = harness_cell("counter", knobs[k].be, "mutex", 2,
					     1000, opts);
		struct cell plain = harness_cell("counter", knobs[k].be, "mutex",
						 2, 1000, NULL);

		CU_ASSERT_EQUAL(harness_run(&c, detail, sizeof(detail)), VERDICT_YES);
		CU_ASSERT_PTR_NOT_NULL(strstr(detail, knobs[k].note));
		CU_ASSERT_EQUAL(harness_run(&plain, detail, sizeof(detail)), VERDICT_YES);
		CU_ASSERT_STRING_EQUAL(detail, "exact: 2000 = 2 x 1000");
	}
}

static void test_counter_unsynchronised_exact_with_one_worker(void)
{
	char detail[DETAIL_LEN];

	expect("sequential", "unsynchronised", 1, 100000, VERDICT_YES);
	for (size_t b = 0; b < N_OF(parallel_backends); b++) {
		struct cell c = harness_cell("counter", parallel_backends[b],
					     "unsynchronised", 1, 100000, NULL);

		CU_ASSERT_EQUAL(harness_run(&c, detail, sizeof(detail)), VERDICT_YES);
		CU_ASSERT_STRING_EQUAL(detail, "exact: 100000 = 1 x 100000");
	}
}

/* run a racy cell by hand, so the final count can be read before teardown */
static void check_lost_count(const char *be)
{
	struct cell c = harness_cell("counter", be, "unsynchronised", 2, RACY_N, NULL);
	uint64_t final, lost, total;
	char detail[DETAIL_LEN];
	int v;

	CU_ASSERT_EQUAL_FATAL(c.wl->setup(&c), 0);
	c.wl->reset(&c);
	CU_ASSERT_EQUAL_FATAL(backend_runner(c.be, c.wl, c.variant)(&c), 0);
	final = ((struct counter *)c.state)->count.plain;
	v = c.wl->verify(&c, detail, sizeof(detail));
	CU_ASSERT_EQUAL(v, VERDICT_RACE);
	CU_ASSERT_EQUAL(sscanf(detail, "lost %" SCNu64 " of %" SCNu64, &lost,
			       &total), 2);
	CU_ASSERT_EQUAL(total, 2 * RACY_N);
	CU_ASSERT_EQUAL(lost, 2 * RACY_N - final);
	c.wl->teardown(&c);
}

static void test_counter_unsynchronised_reports_lost_as_expected_minus_final(void)
{
	for (size_t b = 0; b < N_OF(parallel_backends); b++)
		check_lost_count(parallel_backends[b]);
}

/* verify() on a counter set by hand: W=2, n=1000, so W*n = 2000 */
static int verdict_for(const char *variant, uint64_t final, char *detail)
{
	struct cell c = harness_cell("counter", "threads", variant, 2, 1000, NULL);
	int v;

	CU_ASSERT_EQUAL_FATAL(c.wl->setup(&c), 0);
	c.wl->reset(&c);
	((struct counter *)c.state)->count.plain = final;
	v = c.wl->verify(&c, detail, DETAIL_LEN);
	c.wl->teardown(&c);
	return v;
}

/* the detail's range spans every run of the cell, not only the last */
static void test_counter_lost_range_spans_every_run(void)
{
	struct cell c = harness_cell("counter", "threads", "unsynchronised", 2,
				     1000, NULL);
	struct counter *s;
	char detail[DETAIL_LEN];

	CU_ASSERT_EQUAL_FATAL(c.wl->setup(&c), 0);
	s = c.state;
	for (uint64_t final = 1900; final >= 1500; final -= 200) {
		c.wl->reset(&c);
		s->count.plain = final;
		CU_ASSERT_EQUAL(c.wl->verify(&c, detail, sizeof(detail)), VERDICT_RACE);
	}
	c.wl->reset(&c);
	s->count.plain = 2000;
	CU_ASSERT_EQUAL(c.wl->verify(&c, detail, sizeof(detail)), VERDICT_RACE);
	CU_ASSERT_STRING_EQUAL(detail, "lost 0 of 2000 updates (0.00%); 0.0-25.0% over 4 runs");
	c.wl->teardown(&c);
}

static void test_counter_verify_counts_and_bounds_lost_updates(void)
{
	char detail[DETAIL_LEN];

	CU_ASSERT_EQUAL(verdict_for("unsynchronised", 1500, detail), VERDICT_RACE);
	CU_ASSERT_STRING_EQUAL(detail, "lost 500 of 2000 updates (25.00%); 25.0-25.0% over 1 runs");
	CU_ASSERT_EQUAL(verdict_for("unsynchronised", 2000, detail), VERDICT_RACE);
	CU_ASSERT_STRING_EQUAL(detail, "lost 0 of 2000 updates (0.00%); 0.0-0.0% over 1 runs");
	/* nothing counted, or more than was added: a bug, never "a race" */
	CU_ASSERT_EQUAL(verdict_for("unsynchronised", 0, detail), VERDICT_NO);
	CU_ASSERT_EQUAL(verdict_for("unsynchronised", 2001, detail), VERDICT_NO);
	CU_ASSERT_EQUAL(verdict_for("mutex", 1999, detail), VERDICT_NO);
	CU_ASSERT_STRING_EQUAL(detail, "final 1999, expected 2000 = 2 x 1000");
	CU_ASSERT_EQUAL(verdict_for("atomic", 2000, detail), VERDICT_YES);
}

/*
 * Worker `victim` of `w` kills itself while it holds the processes mutex.
 * The run must fail naming it (not hang); returns the later lock's result,
 * taken from the test process once every worker is gone.
 */
static int run_with_dead_lock_holder(int w, int victim)
{
	static const char *const robust[] = { "mutex=robust", NULL };
	struct cell c = harness_cell("counter", "processes", "mutex", w, 100000, robust);
	struct counter *s;
	char fault[64], want[64], err[128];
	int locked;

	snprintf(fault, sizeof(fault), "kill:locked,worker=%d", victim);
	snprintf(want, sizeof(want), "worker %d killed by SIGKILL", victim);
	CU_ASSERT_EQUAL_FATAL(fault_set(fault, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(c.wl->setup(&c), 0);
	c.wl->reset(&c);
	CU_ASSERT_EQUAL(backend_runner(c.be, c.wl, c.variant)(&c), -1);
	CU_ASSERT_EQUAL(fault_set(NULL, err, sizeof(err)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(c.error, want));
	s = c.state;
	locked = shm_mutex_lock(&s->lock);
	/* recovered: it unlocks, and the next lock is an ordinary one */
	CU_ASSERT_EQUAL(shm_mutex_unlock(&s->lock), 0);
	CU_ASSERT_EQUAL(shm_mutex_lock(&s->lock), 0);
	CU_ASSERT_EQUAL(shm_mutex_unlock(&s->lock), 0);
	c.wl->teardown(&c);
	return locked;
}

static void test_counter_lock_holder_killed_leaves_lock_recoverable(void)
{
	/* alone, the dead worker is the last owner: the next lock sees it */
	CU_ASSERT_EQUAL(run_with_dead_lock_holder(1, 0), 1);
	/* with a sibling, who may have repaired the lock first: never stuck */
	CU_ASSERT(run_with_dead_lock_holder(2, 1) >= 0);
	CU_ASSERT(run_with_dead_lock_holder(4, 2) >= 0);
	CU_ASSERT_EQUAL(harness_shm_entries(), 0);
}

/*
 * The default processes mutex is not robust: a worker killed holding it
 * leaves it locked. The siblings block on it, and the supervisor, seeing
 * the death, kills them and fails the run naming the dead worker.
 */
static void test_counter_shared_mutex_dead_holder_fails_the_run_without_hanging(void)
{
	struct cell c = harness_cell("counter", "processes", "mutex", 2, 100000, NULL);
	char err[128];

	CU_ASSERT_EQUAL_FATAL(fault_set("kill:locked,worker=1", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(c.wl->setup(&c), 0);
	c.wl->reset(&c);
	CU_ASSERT_EQUAL(backend_runner(c.be, c.wl, c.variant)(&c), -1);
	CU_ASSERT_EQUAL(fault_set(NULL, err, sizeof(err)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(c.error, "worker 1 killed by SIGKILL"));
	c.wl->teardown(&c);	/* unmapped, never locked again */
	CU_ASSERT_EQUAL(harness_shm_entries(), 0);
}

/* one --mutex word names the same kind for both models, in one run */
static void test_counter_cli_mutex_shared_runs_threads_and_processes_alike(void)
{
	static const char *const args[] = {
		"run", "counter", "-b", "threads,processes", "-V", "mutex",
		"--mutex", "shared", "-w", "2", "-n", "20000", "-r", "1", "-f", "csv",
		NULL,
	};
	static const char *const private_for_processes[] = {
		"run", "counter", "-b", "threads,processes", "--mutex", "private", NULL,
	};
	struct tvp_output o;

	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "mutex,threads,2,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "mutex,processes,2,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "process-shared mutex"));
	/* a private mutex cannot work between processes: refused, named */
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, private_for_processes), 0);
	CU_ASSERT_EQUAL(o.status, 2);
	CU_ASSERT_STRING_EQUAL(o.out, "");
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "--mutex: expected one of shared|robust, got 'private' (back end processes)"));
}

static void test_counter_cli_reports_dead_lock_holder_and_exits_1(void)
{
	static const char *const args[] = {
		"run", "counter", "-b", "processes", "-V", "mutex", "--mutex", "robust",
		"-w", "2", "-n", "100000", "-r", "1", "--timeout", "30", "-f", "csv",
		NULL,
	};
	struct tvp_output o;

	CU_ASSERT_EQUAL_FATAL(setenv("TVP_FAULT", "kill:locked,worker=1", 1), 0);
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL(unsetenv("TVP_FAULT"), 0);
	CU_ASSERT_EQUAL(o.status, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "mutex,processes,2,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "worker 1 killed by SIGKILL"));
	CU_ASSERT_PTR_NULL(strstr(o.out, "timed out"));
	CU_ASSERT_EQUAL(harness_shm_entries(), 0);
}

static int count_rows(const char *csv, const char *prefix)
{
	int n = 0;

	for (const char *p = csv; (p = strstr(p, prefix)); p++)
		n += p == csv || p[-1] == '\n';
	return n;
}

static void test_counter_cli_run_exits_0_with_every_variant(void)
{
	static const char *const args[] = {
		"run", "counter", "-w", "2", "-n", "100000", "-r", "1", "-f", "csv",
		NULL,
	};
	struct tvp_output o;

	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL(o.status, 0);	/* an expected race is no failure */
	CU_ASSERT_EQUAL(count_rows(o.out, "counter,unsynchronised,"), 4);
	CU_ASSERT_EQUAL(count_rows(o.out, "counter,mutex,"), 4);
	/* the back ends' other locks only when asked for */
	CU_ASSERT_PTR_NULL(strstr(o.out, "robust mutex"));
	CU_ASSERT_PTR_NULL(strstr(o.out, "omp_lock_t"));
	CU_ASSERT_EQUAL(count_rows(o.out, "counter,atomic,"), 4);
	CU_ASSERT_EQUAL(count_rows(o.out, "counter,sharded,"), 4);
	CU_ASSERT_EQUAL(count_rows(o.out, "counter,sharded-unpadded,"), 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "than sharded"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, ",incr/s,"));
	CU_ASSERT_EQUAL(harness_shm_entries(), 0);
}

/* a measured row, as the driver hands it to annotate() */
static struct cell_result row(const char *be, int variant, int w, double median)
{
	struct cell_result r = {
		.wl = workload_find("counter"), .be = backend_find(be),
		.variant = variant, .workers = w, .size = 1000000, .reps = 1,
		.work = (double)w * 1000000, .verdict = VERDICT_YES,
		.st = { .n = 1, .median = median },
	};

	snprintf(r.detail, sizeof(r.detail), "exact");
	return r;
}

static void test_counter_annotate_names_false_sharing_slowdown(void)
{
	struct cell_result r[] = {
		row("threads", CV_SHARDED, 2, 0.002),
		row("threads", CV_SHARDED_UNPADDED, 2, 0.005),
		row("processes", CV_SHARDED_UNPADDED, 2, 0.005),	/* no twin */
		row("threads", CV_SHARDED_UNPADDED, 1, 0.001),	/* one worker */
		row("threads", CV_UNSYNCHRONISED, 2, 0.002),
	};

	for (size_t i = 0; i < N_OF(r); i++)
		r[i].wl->annotate(&r[i], r, N_OF(r));
	CU_ASSERT_STRING_EQUAL(r[0].detail, "exact; 1.00 ns/incr");
	CU_ASSERT_STRING_EQUAL(r[1].detail,
			       "exact; 2.50 ns/incr; 2.5x slower than sharded");
	CU_ASSERT_STRING_EQUAL(r[2].detail, "exact; 2.50 ns/incr");
	CU_ASSERT_STRING_EQUAL(r[3].detail, "exact; 1.00 ns/incr");
	CU_ASSERT_STRING_EQUAL(r[4].detail, "exact");
}

SUITE(counter,
      TEST(test_counter_synchronised_variants_exact_on_every_backend),
      TEST(test_counter_synchronised_variants_lose_nothing_under_contention),
      TEST(test_counter_back_end_locks_exact_for_every_worker_count),
      TEST(test_counter_every_backend_runs_the_five_common_variants),
      TEST(test_counter_lock_kinds_are_back_end_knobs_not_variants),
      TEST(test_counter_back_end_lock_is_named_in_the_detail),
      TEST(test_counter_unsynchronised_exact_with_one_worker),
      TEST(test_counter_unsynchronised_reports_lost_as_expected_minus_final),
      TEST(test_counter_verify_counts_and_bounds_lost_updates),
      TEST(test_counter_lost_range_spans_every_run),
      TEST(test_counter_lock_holder_killed_leaves_lock_recoverable),
      TEST(test_counter_shared_mutex_dead_holder_fails_the_run_without_hanging),
      TEST(test_counter_cli_mutex_shared_runs_threads_and_processes_alike),
      TEST(test_counter_cli_reports_dead_lock_holder_and_exits_1),
      TEST(test_counter_cli_run_exits_0_with_every_variant),
      TEST(test_counter_annotate_names_false_sharing_slowdown))
