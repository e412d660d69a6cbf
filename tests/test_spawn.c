/*
 * test_spawn.c - spawn leaves exactly one mark per worker per round on every
 * back end and variant (fork-minimal's marks left by tvp-nop's children),
 * reports a construct cost that is never negative, sets tvp's fork beside
 * a minimal parent's,
 * and verify() catches a missing and a repeated start.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"
#include "spawn_cost.h"
#include "tests/harness.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *be, *variant;
} runs[] = {
	{ "sequential", "start" }, { "threads", "start" },
	{ "processes", "start" }, { "openmp", "start" },
	{ "sequential", "exec" }, { "processes", "exec" },
	{ "sequential", "fork-minimal" }, { "processes", "fork-minimal" },
};
static const int workers[] = { 1, 2, 3 };
static const uint64_t rounds[] = { 0, 1, 7 };

static void check(const char *be, const char *variant, int w, uint64_t n)
{
	struct cell c = harness_cell("spawn", be, variant, w, n, NULL);
	char detail[DETAIL_LEN], msg[DETAIL_LEN + 64];
	int v;

	c.self_timed_s = -1;
	v = harness_run(&c, detail, sizeof(detail));
	snprintf(msg, sizeof(msg), "%s/%s W=%d n=%llu: %s", be, variant, w,
		 (unsigned long long)n, detail);
	if (v != VERDICT_YES)
		CU_FAIL_FATAL(msg);
	CU_ASSERT_EQUAL(v, VERDICT_YES);
	/* the sequential row is the runner's own clock; the others time themselves */
	if (strcmp(be, "sequential") != 0)
		CU_ASSERT(c.self_timed_s >= 0);
}

static void test_spawn_marks_every_worker_once_on_every_backend(void)
{
	for (size_t r = 0; r < sizeof(runs) / sizeof(*runs); r++)
		for (size_t w = 0; w < sizeof(workers) / sizeof(*workers); w++)
			for (size_t n = 0; n < sizeof(rounds) / sizeof(*rounds); n++)
				check(runs[r].be, runs[r].variant, workers[w],
				      rounds[n]);
}

static void test_spawn_exec_and_fork_minimal_are_processes_variants_only(void)
{
	static const char *const only[] = { "exec", "fork-minimal" };
	const struct workload *wl = workload_find("spawn");

	for (size_t i = 0; i < sizeof(only) / sizeof(*only); i++) {
		int v = workload_variant(wl, only[i]);

		CU_ASSERT(v >= 0);
		CU_ASSERT_PTR_NULL(backend_runner(backend_find("threads"), wl, v));
		CU_ASSERT_PTR_NULL(backend_runner(backend_find("openmp"), wl, v));
		CU_ASSERT_PTR_NOT_NULL(backend_runner(backend_find("processes"), wl, v));
	}
}

/* fork-minimal's time comes from the helper: one that fails fails the cell */
static void test_spawn_fork_minimal_fails_when_its_helper_fails(void)
{
	struct cell c = harness_cell("spawn", "processes", "fork-minimal", 2, 5, NULL);
	char detail[DETAIL_LEN];

	CU_ASSERT_EQUAL_FATAL(setenv("TVP_NOP", "/bin/false", 1), 0);
	CU_ASSERT_EQUAL(harness_run(&c, detail, sizeof(detail)), -1);
	CU_ASSERT_EQUAL(unsetenv("TVP_NOP"), 0);
	CU_ASSERT_STRING_EQUAL(detail, "tvp-nop (worker 0) exited with status 1");
	CU_ASSERT_EQUAL(harness_shm_entries(), 0);
}

static void test_spawn_verify_catches_missing_and_repeated_starts(void)
{
	struct cell c = harness_cell("spawn", "sequential", "start", 3, 10, NULL);
	struct spawn *s;
	char detail[DETAIL_LEN];

	CU_ASSERT_EQUAL_FATAL(c.wl->setup(&c), 0);
	c.wl->reset(&c);
	CU_ASSERT_EQUAL(c.wl->reference(&c), 0);
	CU_ASSERT_EQUAL(c.wl->verify(&c, detail, sizeof(detail)), VERDICT_YES);
	CU_ASSERT_STRING_EQUAL(detail, "10 rounds x 3 workers, each marked once");
	s = c.state;
	s->marks[2 * 10 + 4] = 0;	/* worker 2 never started in round 4 */
	s->marks[1 * 10 + 9] = 2;	/* worker 1 ran twice in round 9 */
	CU_ASSERT_EQUAL(c.wl->verify(&c, detail, sizeof(detail)), VERDICT_NO);
	CU_ASSERT_STRING_EQUAL(detail, "1 starts missing, 1 repeated, of 30; first: worker 1 round 9");
	c.wl->reset(&c);
	/* a back end that started nobody must not pass */
	CU_ASSERT_EQUAL(c.wl->verify(&c, detail, sizeof(detail)), VERDICT_NO);
	c.wl->teardown(&c);
}

static void test_spawn_net_cost_subtracts_the_empty_loop_and_stays_positive(void)
{
	struct cell c = harness_cell("spawn", "threads", "start", 2, 1000, NULL);
	struct spawn *s;

	CU_ASSERT_EQUAL_FATAL(c.wl->setup(&c), 0);
	s = c.state;
	/* no construct at all costs nothing, never less */
	CU_ASSERT_EQUAL(spawn_net_s(s, 0.0), 0.0);
	/* 2000 direct calls take more than no time at all */
	CU_ASSERT(spawn_net_s(s, 1.0) < 1.0);
	c.wl->teardown(&c);
}

static void test_spawn_cli_reports_microseconds_per_worker(void)
{
	struct tvp_output o;
	const char *const args[] = { "run", "spawn", "-w", "2", "-n", "5", "-r", "2",
				     "-f", "csv", "--no-progress", NULL };

	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "spawn,start,threads,2,5,2,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "spawn,exec,processes,2,5,2,"));
	/* tvp's fork next to the same forks from a minimal parent */
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "spawn,fork-minimal,processes,2,5,2,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "x a fork from a minimal parent"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "the forking parent has "));
	/* and the measured reason: the minimal parent's own mappings */
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "forked by tvp-nop, a minimal parent; the forking parent has "));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, ",us/worker,"));
	CU_ASSERT_PTR_NULL(strstr(o.out, ",no,"));
	CU_ASSERT_EQUAL(harness_shm_entries(), 0);
}

/* a measured row of workload `wl`, as the driver hands it to annotate() */
static struct cell_result spawn_row(const char *wl, const char *be, int variant,
				    double us_per_worker)
{
	struct cell_result r = {
		.wl = workload_find(wl), .be = backend_find(be),
		.variant = variant, .workers = 2, .size = 100, .reps = 1,
		.work = 200, .verdict = VERDICT_YES,
		.st = { .n = 1, .median = us_per_worker * 200 / 1e6 },
	};

	snprintf(r.detail, sizeof(r.detail), "marked");
	return r;
}

/* the ratio is to spawn's fork-minimal row, not to another workload's */
static void test_spawn_start_is_set_beside_its_own_fork_minimal_only(void)
{
	struct cell_result r[] = {
		spawn_row("counter", "processes", SPAWN_FORK_MINIMAL, 0.01),
		spawn_row("counter", "threads", SPAWN_FORK_MINIMAL, 0.01),
		spawn_row("spawn", "processes", SPAWN_START, 150),
		spawn_row("spawn", "threads", SPAWN_START, 20),
		spawn_row("spawn", "processes", SPAWN_FORK_MINIMAL, 100),
	};

	for (size_t i = 2; i < N_OF(r); i++)
		r[i].wl->annotate(&r[i], r, N_OF(r));
	CU_ASSERT_STRING_EQUAL(r[2].detail, "marked; 150 us per worker; "
			       "1.50x a fork from a minimal parent (fork-minimal)");
	CU_ASSERT_STRING_EQUAL(r[3].detail, "marked; 20 us per worker");
	CU_ASSERT_STRING_EQUAL(r[4].detail, "marked; 100 us per worker");
}

SUITE(spawn,
      TEST(test_spawn_start_is_set_beside_its_own_fork_minimal_only),
      TEST(test_spawn_marks_every_worker_once_on_every_backend),
      TEST(test_spawn_exec_and_fork_minimal_are_processes_variants_only),
      TEST(test_spawn_fork_minimal_fails_when_its_helper_fails),
      TEST(test_spawn_verify_catches_missing_and_repeated_starts),
      TEST(test_spawn_net_cost_subtracts_the_empty_loop_and_stays_positive),
      TEST(test_spawn_cli_reports_microseconds_per_worker))
