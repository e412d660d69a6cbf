/*
 * test_squares.c - squares is correct on every back end, for worker counts
 * that divide the work and worker counts that do not, and verify() catches
 * a single wrong element.
 */
#include <stdio.h>

#include "squares.h"
#include "tests/harness.h"

static const char *const backends_all[] = {
	"sequential", "threads", "processes", "openmp",
};
static const int workers[] = { 1, 2, 3, 7 };
static const char *const cheap[] = { "cost=3", NULL };

static void check(const char *be, int w, uint64_t n, const char *const *opts)
{
	struct cell c = harness_cell("squares", be, NULL, w, n, opts);
	char detail[DETAIL_LEN], msg[DETAIL_LEN + 64];
	int v = harness_run(&c, detail, sizeof(detail));

	snprintf(msg, sizeof(msg), "%s W=%d n=%llu: %s", be, w,
		 (unsigned long long)n, detail);
	if (v != VERDICT_YES)
		CU_FAIL_FATAL(msg);
	CU_ASSERT_EQUAL(v, VERDICT_YES);
}

static void test_squares_correct_on_every_backend_and_size(void)
{
	for (size_t b = 0; b < sizeof(backends_all) / sizeof(*backends_all); b++)
		for (size_t i = 0; i < sizeof(workers) / sizeof(*workers); i++) {
			uint64_t w = (uint64_t)workers[i];
			uint64_t sizes[] = { 0, 1, w - 1, w + 1, 100003 };

			for (size_t s = 0; s < sizeof(sizes) / sizeof(*sizes); s++)
				check(backends_all[b], workers[i], sizes[s], cheap);
		}
}

static void test_squares_without_cost_is_plain_squares(void)
{
	CU_ASSERT_EQUAL(squares_item(0, 0), 0);
	CU_ASSERT_EQUAL(squares_item(7, 0), 49);
	CU_ASSERT_EQUAL(squares_item(4000000000ULL, 0), 16000000000000000000ULL);
	check("threads", 2, 1000, (const char *const[]){ "cost=0", NULL });
}

static void test_squares_openmp_schedules_all_verify(void)
{
	static const char *const sched[] = { "schedule=static", "schedule=dynamic",
					     "schedule=guided" };

	for (size_t i = 0; i < 3; i++)
		check("openmp", 3, 10007,
		      (const char *const[]){ "cost=2", sched[i], NULL });
}

/* the schedule is OpenMP's knob: squares has no such parameter, and the
 * row of a schedule other than the default says which it ran */
static void test_squares_schedule_is_openmps_and_named_in_the_detail(void)
{
	static const char *const dynamic[] = { "cost=2", "schedule=dynamic", NULL };
	struct cell c = harness_cell("squares", "openmp", NULL, 2, 1000, dynamic);
	struct cell st = harness_cell("squares", "openmp", NULL, 2, 1000, cheap);
	char detail[DETAIL_LEN];

	CU_ASSERT_EQUAL(workload_param(workload_find("squares"), "schedule"), -1);
	CU_ASSERT(backend_param(backend_find("openmp"), "schedule") >= 0);
	CU_ASSERT_EQUAL(harness_run(&c, detail, sizeof(detail)), VERDICT_YES);
	CU_ASSERT_STRING_EQUAL(detail, "all 1000 checked; dynamic schedule");
	CU_ASSERT_EQUAL(harness_run(&st, detail, sizeof(detail)), VERDICT_YES);
	CU_ASSERT_STRING_EQUAL(detail, "all 1000 checked");
}

static void test_squares_verify_catches_one_corrupted_element(void)
{
	struct cell c = harness_cell("squares", "sequential", NULL, 1, 1000, cheap);
	struct squares *s;
	char detail[DETAIL_LEN];

	CU_ASSERT_EQUAL_FATAL(c.wl->setup(&c), 0);
	c.wl->reset(&c);
	CU_ASSERT_EQUAL(c.wl->reference(&c), 0);
	CU_ASSERT_EQUAL(c.wl->verify(&c, detail, sizeof(detail)), VERDICT_YES);
	s = c.state;
	s->out[617] ^= 1;
	CU_ASSERT_EQUAL(c.wl->verify(&c, detail, sizeof(detail)), VERDICT_NO);
	CU_ASSERT_STRING_EQUAL(detail, "1 of 1000 wrong, first at [617]");
	c.wl->teardown(&c);
}

static void test_squares_reset_poisons_old_results(void)
{
	struct cell c = harness_cell("squares", "sequential", NULL, 1, 64, cheap);
	char detail[DETAIL_LEN];

	CU_ASSERT_EQUAL_FATAL(c.wl->setup(&c), 0);
	CU_ASSERT_EQUAL(c.wl->reference(&c), 0);
	c.wl->reset(&c);
	/* a back end that did nothing must not pass on the last run's output */
	CU_ASSERT_EQUAL(c.wl->verify(&c, detail, sizeof(detail)), VERDICT_NO);
	c.wl->teardown(&c);
}

SUITE(squares,
      TEST(test_squares_correct_on_every_backend_and_size),
      TEST(test_squares_without_cost_is_plain_squares),
      TEST(test_squares_openmp_schedules_all_verify),
      TEST(test_squares_schedule_is_openmps_and_named_in_the_detail),
      TEST(test_squares_verify_catches_one_corrupted_element),
      TEST(test_squares_reset_poisons_old_results))
