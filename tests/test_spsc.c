/*
 * test_spsc.c - the lock-free ring (common/sys/spsc.c) on its own: every
 * item in order across many wraps, at capacities that are and are not a
 * multiple of the publication batch, between two threads and across
 * fork(); a producer whose consumer never came fills the ring and then
 * stops; a consumer of a closed ring drains it and ends.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sys/spsc.h"
#include "tests/harness.h"

#define WRAP_ITEMS 100003	/* no batch divides it: close publishes a rest */
#define MAX_WORDS 4

struct ring_case {
	struct spsc *q;
	size_t words;
	uint64_t n;
};

/* item i: word w holds i * MAX_WORDS + w, so a torn or stale slot shows */
static void fill(uint64_t *item, size_t words, uint64_t i)
{
	for (size_t w = 0; w < words; w++)
		item[w] = i * MAX_WORDS + w;
}

static void *produce(void *arg)
{
	struct ring_case *rc = arg;
	struct spsc_side p = spsc_side_of(rc->q);
	uint64_t item[MAX_WORDS];

	for (uint64_t i = 0; i < rc->n; i++) {
		fill(item, rc->words, i);
		if (spsc_put(&p, item))
			return (void *)1;
	}
	spsc_close(p);
	return NULL;
}

/* the items that came in order, until the first that did not, or the end */
static uint64_t consume(struct ring_case *rc)
{
	struct spsc_side c = spsc_side_of(rc->q);
	uint64_t item[MAX_WORDS], want[MAX_WORDS], got = 0;

	while (spsc_get(&c, item) == 0) {
		fill(want, rc->words, got);
		if (memcmp(item, want, rc->words * sizeof(uint64_t)) != 0)
			break;
		got++;
	}
	return got;
}

static void ring_between_threads(size_t capacity, size_t words)
{
	struct ring_case rc = { spsc_create(capacity, words * sizeof(uint64_t)),
				words, WRAP_ITEMS };
	pthread_t t;
	void *res = (void *)2;

	CU_ASSERT_PTR_NOT_NULL_FATAL(rc.q);
	CU_ASSERT_EQUAL_FATAL(pthread_create(&t, NULL, produce, &rc), 0);
	CU_ASSERT_EQUAL(consume(&rc), WRAP_ITEMS);
	spsc_abort(rc.q);	/* if consume stopped early, the producer must not wait */
	CU_ASSERT_EQUAL(pthread_join(t, &res), 0);
	CU_ASSERT_PTR_NULL(res);
	spsc_destroy(rc.q);
}

static void test_spsc_threads_get_every_item_in_order_across_wraps(void)
{
	ring_between_threads(1, 1);	/* batch 1: publish every item */
	ring_between_threads(3, 3);	/* 24-byte items, batch 2, odd capacity */
	ring_between_threads(1001, 1);	/* batch 8, not a divisor */
	ring_between_threads(1024, 4);
}

static void test_spsc_forked_producer_hands_over_every_item_in_order(void)
{
	struct ring_case rc = { spsc_create(7, sizeof(uint64_t)), 1, WRAP_ITEMS };
	int status;
	pid_t p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(rc.q);
	p = fork();
	CU_ASSERT_FATAL(p >= 0);
	if (p == 0)
		_exit(produce(&rc) != NULL);
	CU_ASSERT_EQUAL(consume(&rc), WRAP_ITEMS);
	spsc_abort(rc.q);
	CU_ASSERT_EQUAL(waitpid(p, &status, 0), p);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	spsc_destroy(rc.q);
}

static void test_spsc_producer_without_consumer_fills_the_ring_then_stops(void)
{
	struct spsc *q = spsc_create(5, sizeof(uint64_t));
	struct spsc_side p;
	uint64_t item = 42;

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	p = spsc_side_of(q);
	spsc_abort(q);	/* the consumer could not be started */
	for (int i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(spsc_put(&p, &item), 0);
	CU_ASSERT_EQUAL(spsc_put(&p, &item), -EPIPE);
	spsc_destroy(q);
}

static void test_spsc_consumer_drains_a_closed_ring_then_ends(void)
{
	struct spsc *q = spsc_create(4, sizeof(uint64_t));
	struct spsc_side p, c;
	uint64_t item;

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	p = spsc_side_of(q);
	c = spsc_side_of(q);
	for (item = 0; item < 3; item++)	/* fewer than a batch: unpublished */
		CU_ASSERT_EQUAL(spsc_put(&p, &item), 0);
	spsc_close(p);	/* publishes them */
	for (uint64_t i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(spsc_get(&c, &item), 0);
		CU_ASSERT_EQUAL(item, i);
	}
	CU_ASSERT_EQUAL(spsc_get(&c, &item), -EPIPE);
	spsc_destroy(q);
}

SUITE(spsc,
      TEST(test_spsc_threads_get_every_item_in_order_across_wraps),
      TEST(test_spsc_forked_producer_hands_over_every_item_in_order),
      TEST(test_spsc_producer_without_consumer_fills_the_ring_then_stops),
      TEST(test_spsc_consumer_drains_a_closed_ring_then_ends))
