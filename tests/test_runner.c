/*
 * test_runner.c - the runner isolates each cell: a crash, a hang, a failed
 * run or a wrong result becomes that cell's reported failure, the cells
 * after it still run, and nothing is left behind.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/driver.h"
#include "run/runner.h"
#include "sys/shm.h"
#include "tests/harness.h"

/* a toy workload: one shared word the run sets to 42 */
static int toy_setup(struct cell *c)
{
	c->state = shm_alloc(sizeof(uint64_t));
	return c->state ? 0 : -1;
}

static void toy_reset(struct cell *c)
{
	*(uint64_t *)c->state = 0;
}

static int toy_reference(struct cell *c)
{
	*(uint64_t *)c->state = 42;
	return 0;
}

static enum verdict toy_verify(struct cell *c, char *detail, size_t len)
{
	uint64_t v = *(uint64_t *)c->state;

	snprintf(detail, len, "value %llu", (unsigned long long)v);
	return v == 42 ? VERDICT_YES : VERDICT_NO;
}

static void toy_teardown(struct cell *c)
{
	shm_free(c->state, sizeof(uint64_t));
}

static const char *const toy_variants[] = { "default", NULL };

static const struct workload toy = {
	.name = "toy", .summary = "test", .variants = toy_variants,
	.unit = "runs/s", .setup = toy_setup, .reset = toy_reset,
	.reference = toy_reference, .verify = toy_verify,
	.teardown = toy_teardown,
};

/* abort(), not a SIGSEGV: sanitizers catch SEGV themselves, not SIGABRT */
static int run_crash(struct cell *c)
{
	(void)c;
	abort();
}

static int run_hang(struct cell *c)
{
	(void)c;
	for (;;)
		pause();
	return 0;
}

static int run_wrong(struct cell *c)
{
	*(uint64_t *)c->state = 41;
	return 0;
}

static int run_fail(struct cell *c)
{
	cell_fail(c, "pthread_create: Resource temporarily unavailable");
	return -1;
}

#define TOY_BACKEND(fn)                                                     \
	static const struct backend_entry fn##_entries[] = { { &toy, fn, NULL }, { 0 } }; \
	static const struct backend be_##fn = { .name = #fn, .max_workers = 8, \
						.entries = fn##_entries }

TOY_BACKEND(run_crash);
TOY_BACKEND(run_hang);
TOY_BACKEND(run_wrong);
TOY_BACKEND(run_fail);
TOY_BACKEND(toy_reference);

static struct cell_result measure(const struct backend *be, double timeout)
{
	struct cell c = { .wl = &toy, .be = be, .workers = 1, .size = 1 };
	struct measure_opts o = { .reps = 3, .warmup = 1, .timeout_s = timeout };
	struct cell_result r = { 0 };

	CU_ASSERT_EQUAL(runner_measure(&c, &o, &r), 0);
	return r;
}

static void test_runner_measures_a_good_cell(void)
{
	struct cell_result r = measure(&be_toy_reference, 10);

	CU_ASSERT_EQUAL(r.failed, 0);
	CU_ASSERT_EQUAL(r.verdict, VERDICT_YES);
	CU_ASSERT_EQUAL(r.reps, 3);
	CU_ASSERT_STRING_EQUAL(r.detail, "value 42");
	CU_ASSERT(r.st.median >= 0 && r.st.min <= r.st.max);
	result_free(&r);
}

static void test_runner_reports_crash_with_signal_name(void)
{
	struct cell_result r = measure(&be_run_crash, 10);

	CU_ASSERT_EQUAL(r.failed, 1);
	CU_ASSERT_EQUAL(r.verdict, VERDICT_NO);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.detail, "SIGABRT"));
	result_free(&r);
}

static void test_runner_kills_a_hung_cell_at_the_timeout(void)
{
	struct cell_result r = measure(&be_run_hang, 0.2);

	CU_ASSERT_EQUAL(r.failed, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.detail, "timed out"));
	result_free(&r);
}

static void test_runner_reports_wrong_result_as_not_verified(void)
{
	struct cell_result r = measure(&be_run_wrong, 10);

	CU_ASSERT_EQUAL(r.failed, 0);
	CU_ASSERT_EQUAL(r.verdict, VERDICT_NO);
	CU_ASSERT_STRING_EQUAL(r.detail, "value 41");
	CU_ASSERT_EQUAL(r.reps, 0);	/* a wrong run is never counted */
	result_free(&r);
}

static void test_runner_reports_failed_run_reason(void)
{
	struct cell_result r = measure(&be_run_fail, 10);

	CU_ASSERT_EQUAL(r.failed, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.detail, "pthread_create"));
	result_free(&r);
}

static void test_driver_goes_on_after_a_crashed_cell(void)
{
	struct cell cells[3] = {
		{ .wl = &toy, .be = &be_run_crash, .workers = 1, .size = 1 },
		{ .wl = &toy, .be = &be_run_hang, .workers = 1, .size = 1 },
		{ .wl = &toy, .be = &be_toy_reference, .workers = 1, .size = 1 },
	};
	struct cell_result res[3];
	struct plan p = { .cells = cells, .res = res, .n = 3 };
	struct measure_opts o = { .reps = 2, .warmup = 0, .timeout_s = 0.2 };
	struct config quiet = { .progress = 0 };
	int shm_before = harness_shm_entries();

	CU_ASSERT_EQUAL(driver_run(&quiet, &p, &o), 2);
	CU_ASSERT_EQUAL(res[0].failed, 1);
	CU_ASSERT_EQUAL(res[1].failed, 1);
	CU_ASSERT_EQUAL(res[2].failed, 0);
	CU_ASSERT_EQUAL(res[2].verdict, VERDICT_YES);
	CU_ASSERT_EQUAL(res[2].reps, 2);
	CU_ASSERT_EQUAL(harness_shm_entries(), shm_before);
	for (int i = 0; i < 3; i++)
		result_free(&res[i]);
}

static void test_failed_cell_makes_tvp_exit_1_with_full_table(void)
{
	struct tvp_output o;

	/* a 1 ms watchdog cannot be met: every cell times out, tvp says so */
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, (const char *const[]){
		"run", "squares", "-n", "20M", "--cost", "50", "-w", "2", "-r", "1",
		"--warmup", "0", "--timeout", "0.001", "-f", "csv", NULL }), 0);
	CU_ASSERT_EQUAL(o.status, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "squares,default,sequential"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "squares,default,openmp"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "timed out"));
}

SUITE(runner,
      TEST(test_runner_measures_a_good_cell),
      TEST(test_runner_reports_crash_with_signal_name),
      TEST(test_runner_kills_a_hung_cell_at_the_timeout),
      TEST(test_runner_reports_wrong_result_as_not_verified),
      TEST(test_runner_reports_failed_run_reason),
      TEST(test_driver_goes_on_after_a_crashed_cell),
      TEST(test_failed_cell_makes_tvp_exit_1_with_full_table))
