/*
 * test_omp_queue.c - OpenMP's polled queue (openmp/queue.c) on its own:
 * the same claims as test_queue.c makes of threads/queue.c where the API
 * is the same (create's checks, FIFO across wrap-around, close drains
 * then refuses), and a region of producers and consumers that loses and
 * repeats nothing. Nothing sleeps: a thread that finds the queue full or
 * empty polls until the test's other threads change it.
 */
#include <errno.h>
#include <omp.h>
#include <stdint.h>

#include "openmp/queue.h"
#include "tests/harness.h"

#define STRESS_ITEMS 20000
#define STRESS_SIDE 2

static void test_oq_create_refuses_zero_sizes(void)
{
	errno = 0;
	CU_ASSERT_PTR_NULL(oq_create(0, 8));
	CU_ASSERT_EQUAL(errno, EINVAL);
	errno = 0;
	CU_ASSERT_PTR_NULL(oq_create(4, 0));
	CU_ASSERT_EQUAL(errno, EINVAL);
	CU_ASSERT_PTR_NULL(oq_create(SIZE_MAX / 2, 16));
}

static void test_oq_keeps_fifo_across_wraparound(void)
{
	struct oq *q = oq_create(3, sizeof(uint64_t));
	uint64_t next_in = 0, next_out = 0, v;

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	for (int round = 0; round < 50; round++) {
		for (int k = 0; k < 1 + round % 3; k++, next_in++)
			CU_ASSERT_EQUAL(oq_put(q, &next_in), 0);
		while (next_out < next_in) {
			CU_ASSERT_EQUAL(oq_get(q, &v), 0);
			CU_ASSERT_EQUAL(v, next_out);
			next_out++;
		}
	}
	oq_destroy(q);
}

static void test_oq_close_drains_then_refuses(void)
{
	struct oq *q = oq_create(4, sizeof(int));
	int a = 1, b = 2, out = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_EQUAL(oq_put(q, &a), 0);
	CU_ASSERT_EQUAL(oq_put(q, &b), 0);
	oq_close(q);
	CU_ASSERT_EQUAL(oq_put(q, &a), -EPIPE);
	CU_ASSERT_EQUAL(oq_get(q, &out), 0);	/* close loses nothing */
	CU_ASSERT_EQUAL(out, 1);
	CU_ASSERT_EQUAL(oq_get(q, &out), 0);
	CU_ASSERT_EQUAL(out, 2);
	CU_ASSERT_EQUAL(oq_get(q, &out), -EPIPE);
	oq_destroy(q);
}

/* item = producer * STRESS_ITEMS + seq: in order per producer, per consumer */
static void test_oq_many_producers_and_consumers_lose_nothing(void)
{
	struct oq *q = oq_create(2, sizeof(uint64_t));
	uint64_t got[STRESS_SIDE] = { 0 }, last[STRESS_SIDE][STRESS_SIDE];
	int out_of_order = 0, put_failed = 0;
	int producers_left = STRESS_SIDE, team = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	omp_set_dynamic(0);
#pragma omp parallel num_threads(2 * STRESS_SIDE) \
	reduction(+ : out_of_order, put_failed)
	{
		int id = omp_get_thread_num(), left;
		int whole = omp_get_num_threads() == 2 * STRESS_SIDE;
		uint64_t v;

#pragma omp atomic write
		team = omp_get_num_threads();
		if (whole && id < STRESS_SIDE) {
			for (uint64_t seq = 0; seq < STRESS_ITEMS; seq++) {
				v = (uint64_t)id * STRESS_ITEMS + seq;
				put_failed += oq_put(q, &v) != 0;
			}
#pragma omp atomic capture
			left = --producers_left;
			if (left == 0)
				oq_close(q);
		} else if (whole) {
			int k = id - STRESS_SIDE;

			for (int p = 0; p < STRESS_SIDE; p++)
				last[k][p] = UINT64_MAX;
			while (oq_get(q, &v) == 0) {
				uint64_t p = v / STRESS_ITEMS;
				uint64_t seq = v % STRESS_ITEMS;

				out_of_order += last[k][p] != UINT64_MAX &&
						seq <= last[k][p];
				last[k][p] = seq;
#pragma omp atomic update
				got[p]++;
			}
		}
	}
	CU_ASSERT_EQUAL_FATAL(team, 2 * STRESS_SIDE);
	CU_ASSERT_EQUAL(put_failed, 0);
	CU_ASSERT_EQUAL(out_of_order, 0);
	for (int p = 0; p < STRESS_SIDE; p++)
		CU_ASSERT_EQUAL(got[p], STRESS_ITEMS);
	oq_destroy(q);
}

SUITE(omp_queue,
      TEST(test_oq_create_refuses_zero_sizes),
      TEST(test_oq_keeps_fifo_across_wraparound),
      TEST(test_oq_close_drains_then_refuses),
      TEST(test_oq_many_producers_and_consumers_lose_nothing))
