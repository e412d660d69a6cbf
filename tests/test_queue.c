/*
 * test_queue.c - the threads' bounded queue (threads/queue.c) on its own:
 * FIFO across wrap-around, capacity 1, the full and empty edges, timeouts,
 * close while threads are blocked on either side, task_done/join, and many
 * producers and consumers losing and repeating nothing.
 * No test sleeps to synchronise: a thread blocked in put or get is released
 * by what the test does next (a get, a put or a close), whatever the
 * scheduler did first, so every assertion holds for every interleaving.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"
#include "threads/queue.h"

#define STRESS_ITEMS 20000
#define STRESS_SIDE 3

static void test_tq_create_refuses_zero_sizes(void)
{
	errno = 0;
	CU_ASSERT_PTR_NULL(tq_create(0, 8));
	CU_ASSERT_EQUAL(errno, EINVAL);
	errno = 0;
	CU_ASSERT_PTR_NULL(tq_create(4, 0));
	CU_ASSERT_EQUAL(errno, EINVAL);
	CU_ASSERT_PTR_NULL(tq_create(SIZE_MAX / 2, 16));
}

static void test_tq_keeps_fifo_across_wraparound(void)
{
	struct tq *q = tq_create(3, sizeof(uint64_t));
	uint64_t next_in = 0, next_out = 0, v;

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	for (int round = 0; round < 50; round++) {
		for (int k = 0; k < 1 + round % 3; k++, next_in++)
			CU_ASSERT_EQUAL(tq_put(q, &next_in), 0);
		while (next_out < next_in) {
			CU_ASSERT_EQUAL(tq_get(q, &v), 0);
			CU_ASSERT_EQUAL(v, next_out++);
		}
	}
	tq_destroy(q);
}

struct record {
	uint32_t id;
	char name[20];
};

static void test_tq_copies_whole_items_of_any_size(void)
{
	struct tq *q = tq_create(2, sizeof(struct record));
	struct record in = { 7, "seven" }, out = { 0, "" };

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_EQUAL(tq_put(q, &in), 0);
	memset(&in, 0, sizeof(in));	/* the queue holds a copy */
	CU_ASSERT_EQUAL(tq_get(q, &out), 0);
	CU_ASSERT_EQUAL(out.id, 7);
	CU_ASSERT_STRING_EQUAL(out.name, "seven");
	tq_destroy(q);
}

static void test_tq_get_timeout_on_empty_times_out(void)
{
	struct tq *q = tq_create(1, sizeof(int));
	int v = 5, out = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_EQUAL(tq_get_timeout(q, &out, 0), -ETIMEDOUT);
	CU_ASSERT_EQUAL(tq_get_timeout(q, &out, 0.01), -ETIMEDOUT);
	CU_ASSERT_EQUAL(tq_put(q, &v), 0);
	CU_ASSERT_EQUAL(tq_get_timeout(q, &out, 0), 0);	/* present: no wait */
	CU_ASSERT_EQUAL(out, 5);
	tq_destroy(q);
}

static void test_tq_close_drains_then_refuses(void)
{
	struct tq *q = tq_create(4, sizeof(int));
	int a = 1, b = 2, out = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_EQUAL(tq_put(q, &a), 0);
	CU_ASSERT_EQUAL(tq_put(q, &b), 0);
	tq_close(q);
	CU_ASSERT_EQUAL(tq_put(q, &a), -EPIPE);
	CU_ASSERT_EQUAL(tq_get(q, &out), 0);	/* close loses nothing */
	CU_ASSERT_EQUAL(out, 1);
	CU_ASSERT_EQUAL(tq_get_timeout(q, &out, 60), 0);
	CU_ASSERT_EQUAL(out, 2);
	CU_ASSERT_EQUAL(tq_get(q, &out), -EPIPE);
	/* closed and empty: no waiting even with a long timeout */
	CU_ASSERT_EQUAL(tq_get_timeout(q, &out, 60), -EPIPE);
	tq_destroy(q);
}

struct blocked {
	struct tq *q;
	int value;
	int rc;
};

static void *put_one(void *p)
{
	struct blocked *b = p;

	b->rc = tq_put(b->q, &b->value);
	return NULL;
}

static void *get_one(void *p)
{
	struct blocked *b = p;

	b->rc = tq_get(b->q, &b->value);
	return NULL;
}

static void *get_one_timed(void *p)
{
	struct blocked *b = p;

	b->rc = tq_get_timeout(b->q, &b->value, 60);
	return NULL;
}

static void test_tq_capacity_one_blocks_put_until_get(void)
{
	struct tq *q = tq_create(1, sizeof(int));
	struct blocked b = { .q = q, .value = 2, .rc = -1 };
	int first = 1, out = 0;
	pthread_t t;

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_EQUAL(tq_put(q, &first), 0);	/* now full */
	CU_ASSERT_EQUAL_FATAL(pthread_create(&t, NULL, put_one, &b), 0);
	CU_ASSERT_EQUAL(tq_get(q, &out), 0);	/* makes room for the blocked put */
	CU_ASSERT_EQUAL(out, 1);
	CU_ASSERT_EQUAL(tq_get(q, &out), 0);	/* waits for it, if need be */
	CU_ASSERT_EQUAL(out, 2);
	CU_ASSERT_EQUAL(pthread_join(t, NULL), 0);
	CU_ASSERT_EQUAL(b.rc, 0);
	tq_destroy(q);
}

static void test_tq_get_waits_for_put(void)
{
	struct tq *q = tq_create(1, sizeof(int));
	struct blocked b = { .q = q, .value = 0, .rc = -1 };
	int v = 42;
	pthread_t t;

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_EQUAL_FATAL(pthread_create(&t, NULL, get_one_timed, &b), 0);
	CU_ASSERT_EQUAL(tq_put(q, &v), 0);
	CU_ASSERT_EQUAL(pthread_join(t, NULL), 0);
	CU_ASSERT_EQUAL(b.rc, 0);
	CU_ASSERT_EQUAL(b.value, 42);
	tq_destroy(q);
}

static void test_tq_close_wakes_blocked_getters_and_putters(void)
{
	struct tq *empty = tq_create(1, sizeof(int)), *full = tq_create(1, sizeof(int));
	struct blocked g[3], p = { .q = full, .value = 9, .rc = 1 };
	pthread_t tg[3], tp;
	int v = 1;

	CU_ASSERT_PTR_NOT_NULL_FATAL(empty);
	CU_ASSERT_PTR_NOT_NULL_FATAL(full);
	CU_ASSERT_EQUAL(tq_put(full, &v), 0);
	for (int k = 0; k < 3; k++) {
		g[k] = (struct blocked){ .q = empty, .rc = 1 };
		CU_ASSERT_EQUAL_FATAL(pthread_create(&tg[k], NULL,
						     k ? get_one : get_one_timed,
						     &g[k]), 0);
	}
	CU_ASSERT_EQUAL_FATAL(pthread_create(&tp, NULL, put_one, &p), 0);
	tq_close(empty);
	tq_close(full);
	for (int k = 0; k < 3; k++) {
		CU_ASSERT_EQUAL(pthread_join(tg[k], NULL), 0);
		CU_ASSERT_EQUAL(g[k].rc, -EPIPE);
	}
	CU_ASSERT_EQUAL(pthread_join(tp, NULL), 0);
	CU_ASSERT_EQUAL(p.rc, -EPIPE);
	tq_destroy(empty);
	tq_destroy(full);
}

static void *consume_and_mark_done(void *p)
{
	struct tq *q = p;
	int v;

	while (tq_get(q, &v) == 0)
		tq_task_done(q);
	return NULL;
}

static void test_tq_join_waits_for_every_task_done(void)
{
	struct tq *q = tq_create(2, sizeof(int));
	pthread_t t[2];

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_EQUAL(tq_join(q), 0);	/* nothing put: returns at once */
	for (int k = 0; k < 2; k++)
		CU_ASSERT_EQUAL_FATAL(pthread_create(&t[k], NULL,
						     consume_and_mark_done, q), 0);
	for (int i = 0; i < 1000; i++)
		CU_ASSERT_EQUAL(tq_put(q, &i), 0);
	CU_ASSERT_EQUAL(tq_join(q), 0);
	CU_ASSERT_EQUAL(q->done, 1000);	/* join returned only when all were done */
	tq_close(q);
	for (int k = 0; k < 2; k++)
		CU_ASSERT_EQUAL(pthread_join(t[k], NULL), 0);
	tq_destroy(q);
}

static void test_tq_task_done_beyond_gets_is_ignored(void)
{
	struct tq *q = tq_create(2, sizeof(int));
	int v = 3;

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	tq_task_done(q);
	CU_ASSERT_EQUAL(tq_put(q, &v), 0);
	CU_ASSERT_EQUAL(q->done, 0);	/* the put item is still unfinished */
	CU_ASSERT_EQUAL(tq_get(q, &v), 0);
	tq_task_done(q);
	CU_ASSERT_EQUAL(tq_join(q), 0);
	tq_destroy(q);
}

/* ---- many producers, many consumers, capacity 1 ------------------------ */

struct stress {
	struct tq *q;
	int id;
	uint64_t got[STRESS_SIDE];	/* per producer: items this consumer got */
	uint64_t last[STRESS_SIDE];	/* per producer: last sequence + 1 */
	int out_of_order;
};

static void *stress_producer(void *p)
{
	struct stress *s = p;

	for (uint64_t i = 0; i < STRESS_ITEMS; i++) {
		uint64_t item = (uint64_t)s->id << 32 | i;

		if (tq_put(s->q, &item))
			break;
	}
	return NULL;
}

static void *stress_consumer(void *p)
{
	struct stress *s = p;
	uint64_t item;

	while (tq_get(s->q, &item) == 0) {
		uint32_t prod = (uint32_t)(item >> 32), seq = (uint32_t)item;

		s->out_of_order += seq + 1 <= s->last[prod];
		s->last[prod] = seq + 1;
		s->got[prod]++;
	}
	return NULL;
}

static void test_tq_many_producers_and_consumers_lose_nothing(void)
{
	struct stress prod[STRESS_SIDE], cons[STRESS_SIDE];
	pthread_t tp[STRESS_SIDE], tc[STRESS_SIDE];
	struct tq *q = tq_create(1, sizeof(uint64_t));

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	for (int k = 0; k < STRESS_SIDE; k++) {
		prod[k] = (struct stress){ .q = q, .id = k };
		cons[k] = (struct stress){ .q = q, .id = k };
		CU_ASSERT_EQUAL_FATAL(pthread_create(&tc[k], NULL, stress_consumer,
						     &cons[k]), 0);
		CU_ASSERT_EQUAL_FATAL(pthread_create(&tp[k], NULL, stress_producer,
						     &prod[k]), 0);
	}
	for (int k = 0; k < STRESS_SIDE; k++)
		CU_ASSERT_EQUAL(pthread_join(tp[k], NULL), 0);
	tq_close(q);
	for (int k = 0; k < STRESS_SIDE; k++)
		CU_ASSERT_EQUAL(pthread_join(tc[k], NULL), 0);
	for (int p = 0; p < STRESS_SIDE; p++) {
		uint64_t total = 0;

		for (int k = 0; k < STRESS_SIDE; k++) {
			total += cons[k].got[p];
			CU_ASSERT_EQUAL(cons[k].out_of_order, 0);
		}
		CU_ASSERT_EQUAL(total, STRESS_ITEMS);
	}
	tq_destroy(q);
}

SUITE(queue,
      TEST(test_tq_create_refuses_zero_sizes),
      TEST(test_tq_keeps_fifo_across_wraparound),
      TEST(test_tq_copies_whole_items_of_any_size),
      TEST(test_tq_get_timeout_on_empty_times_out),
      TEST(test_tq_close_drains_then_refuses),
      TEST(test_tq_capacity_one_blocks_put_until_get),
      TEST(test_tq_get_waits_for_put),
      TEST(test_tq_close_wakes_blocked_getters_and_putters),
      TEST(test_tq_join_waits_for_every_task_done),
      TEST(test_tq_task_done_beyond_gets_is_ignored),
      TEST(test_tq_many_producers_and_consumers_lose_nothing))
