/*
 * test_prodcons.c - prodcons moves every item exactly once, in order per
 * producer, on every back end and variant, for the (P, C), capacity and
 * size corners of issue 5; verify() catches a lost, a repeated, a
 * reordered and a damaged item; W splits into P + C as documented; a
 * consumer that dies mid-run is reported, with no hang and no leak. The
 * tutorial variant (get with a timeout, task_done, join) also marks every
 * item done once and joins only after the last, and verify() catches an
 * item never marked, marked twice, or a join that returned early.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "prodcons.h"
#include "tests/harness.h"

struct runs_on {
	const char *backend, *variant;
	int spsc;		/* one producer and one consumer only */
};

static const struct runs_on cases[] = {
	{ "sequential", "locked", 0 }, { "threads", "locked", 0 },
	{ "processes", "locked", 0 }, { "openmp", "locked", 0 },
	{ "processes", "pipe", 0 },
	{ "threads", "spsc", 1 }, { "processes", "spsc", 1 },
};
static const int sides[][2] = { { 1, 1 }, { 1, 3 }, { 3, 1 }, { 4, 4 } };
/*
 * Every size at both capacities, except that capacity 1 moves 10000 items
 * rather than 100000: there every item is a full hand-over (a sleep and a
 * wake-up on each side), about ten microseconds apiece on 2 busy cores,
 * and 10000 already wraps the ring 10000 times.
 */
static const struct {
	const char *capacity;
	uint64_t n[3];
} capacities[] = {
	{ "capacity=1", { 0, 1, 10000 } }, { "capacity=64", { 0, 1, 100000 } },
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static int run_cell(const char *be, const char *variant, int p, int n_c,
		    uint64_t n, const char *const *extra, char *detail, size_t len)
{
	char ps[32], cs[32];
	const char *opts[8] = { ps, cs };
	struct cell c;

	snprintf(ps, sizeof(ps), "producers=%d", p);
	snprintf(cs, sizeof(cs), "consumers=%d", n_c);
	for (size_t i = 0; extra && extra[i] && i < 5; i++)
		opts[2 + i] = extra[i];
	c = harness_cell("prodcons", be, variant, p + n_c, n, opts);
	return harness_run(&c, detail, len);
}

static void check(const struct runs_on *r, int p, int n_c, const char *cap,
		  uint64_t n)
{
	char detail[DETAIL_LEN], msg[DETAIL_LEN + 96];
	const char *extra[] = { cap, NULL };
	int v = run_cell(r->backend, r->variant, p, n_c, n, extra, detail,
			 sizeof(detail));

	snprintf(msg, sizeof(msg), "%s/%s P=%d C=%d %s n=%llu: %s", r->backend,
		 r->variant, p, n_c, cap, (unsigned long long)n, detail);
	if (v != VERDICT_YES)
		CU_FAIL_FATAL(msg);
	CU_ASSERT_EQUAL(v, VERDICT_YES);
}

static void test_prodcons_every_backend_moves_every_item_once_in_order(void)
{
	for (size_t r = 0; r < N_OF(cases); r++)
		for (size_t s = 0; s < N_OF(sides); s++) {
			if (cases[r].spsc && (sides[s][0] != 1 || sides[s][1] != 1))
				continue;
			for (size_t k = 0; k < N_OF(capacities); k++)
				for (size_t i = 0; i < N_OF(capacities[k].n); i++)
					check(&cases[r], sides[s][0], sides[s][1],
					      capacities[k].capacity,
					      capacities[k].n[i]);
		}
}

static void test_prodcons_big_items_and_work_verify(void)
{
	const char *extra[] = { "item-size=100", "work=7", "capacity=5", NULL };
	char detail[DETAIL_LEN];

	for (size_t r = 0; r < N_OF(cases); r++) {
		int p = cases[r].spsc ? 1 : 2;

		CU_ASSERT_EQUAL(run_cell(cases[r].backend, cases[r].variant, p, p,
					 5000, extra, detail, sizeof(detail)),
				VERDICT_YES);
	}
}

static void test_prodcons_detail_shows_items_per_consumer(void)
{
	char detail[DETAIL_LEN];

	CU_ASSERT_EQUAL(run_cell("sequential", "locked", 2, 3, 10, NULL, detail,
				 sizeof(detail)), VERDICT_YES);
	CU_ASSERT_STRING_EQUAL(detail, "P=2 C=3: 10 items once each, in order; "
			       "per consumer 4 3 3");
}

static void test_prodcons_spsc_refuses_more_than_one_producer(void)
{
	char detail[DETAIL_LEN];

	CU_ASSERT_EQUAL(run_cell("threads", "spsc", 2, 1, 10, NULL, detail,
				 sizeof(detail)), -1);
	CU_ASSERT_STRING_EQUAL(detail, "spsc needs one producer and one consumer, not P=2 C=1");
}

/* ---- verify() catches what a broken queue would do --------------------- */

/* a correct sequential run of 1000 items, P=2 C=2, not yet verified */
static struct cell reference_run(void)
{
	const char *opts[] = { "producers=2", "consumers=2", NULL };
	struct cell c = harness_cell("prodcons", "sequential", "locked", 1, 1000,
				     opts);

	CU_ASSERT_EQUAL_FATAL(c.wl->setup(&c), 0);
	c.wl->reset(&c);
	CU_ASSERT_EQUAL_FATAL(c.wl->reference(&c), 0);
	return c;
}

/* the same, the tutorial's way: every item also marked done, then joined */
static struct cell tutorial_reference_run(void)
{
	const char *opts[] = { "producers=2", "consumers=2", NULL };
	struct cell c = harness_cell("prodcons", "sequential", "tutorial", 1,
				     1000, opts);

	CU_ASSERT_EQUAL_FATAL(c.wl->setup(&c), 0);
	c.wl->reset(&c);
	CU_ASSERT_EQUAL_FATAL(c.wl->reference(&c), 0);
	return c;
}

static void expect_no(struct cell *c, const char *needle)
{
	char detail[DETAIL_LEN];

	CU_ASSERT_EQUAL(c->wl->verify(c, detail, sizeof(detail)), VERDICT_NO);
	if (!strstr(detail, needle))
		CU_FAIL(detail);
	c->wl->teardown(c);
}

static void test_prodcons_verify_accepts_the_reference(void)
{
	struct cell c = reference_run();
	char detail[DETAIL_LEN];

	CU_ASSERT_EQUAL(c.wl->verify(&c, detail, sizeof(detail)), VERDICT_YES);
	c.wl->teardown(&c);
}

static void test_prodcons_verify_catches_a_lost_item(void)
{
	struct cell c = reference_run();
	struct prodcons *s = c.state;

	s->log[1].count--;
	s->log[1].sink = 0;	/* keep the work check out of the way */
	expect_no(&c, "1 missing");
}

static void test_prodcons_verify_catches_an_item_twice(void)
{
	struct cell c = reference_run();
	struct prodcons *s = c.state;

	s->log[0].entry[3] = s->log[1].entry[3];
	expect_no(&c, "1 twice");
}

static void test_prodcons_verify_catches_reordering_at_a_consumer(void)
{
	struct cell c = reference_run();
	struct prodcons *s = c.state;
	uint64_t t = s->log[0].entry[5];

	s->log[0].entry[5] = s->log[0].entry[6];
	s->log[0].entry[6] = t;
	expect_no(&c, "1 out of order");
}

static void test_prodcons_verify_catches_a_damaged_header(void)
{
	struct cell c = reference_run();
	struct prodcons *s = c.state;

	s->log[1].entry[9] ^= 1ULL << 20;	/* a sequence bit: check fails */
	expect_no(&c, "1 damaged");
}

/* a set-up, reset one-consumer cell of n items, for a test to feed */
static struct cell ready_cell(const char *opt, uint64_t n)
{
	const char *opts[] = { opt, NULL };
	struct cell c = harness_cell("prodcons", "sequential", "locked", 1, n,
				     opts);

	CU_ASSERT_EQUAL_FATAL(c.wl->setup(&c), 0);
	c.wl->reset(&c);
	return c;
}

/* ten items through one consumer, word w of item 4 damaged */
static struct cell consume_ten_damaging(const char *item_size, size_t w)
{
	struct cell c = ready_cell(item_size, 10);
	uint64_t item[PC_MAX_ITEM_WORDS];

	for (uint64_t i = 0; i < 10; i++) {
		prodcons_make(c.state, 0, i, item);
		item[w] ^= i == 4;	/* word 0: a check bit of the header */
		prodcons_consume(c.state, 0, item);
	}
	return c;
}

static void test_prodcons_consumer_catches_a_damaged_payload(void)
{
	struct cell c = consume_ten_damaging("item-size=16", 1);

	expect_no(&c, "0 damaged, 1 bad payload");
}

/*
 * A consumer leaves the header to verify(): counted once, as damaged.
 * (8-byte items: with a payload, a damaged header fails it too.)
 */
static void test_prodcons_consumed_damaged_header_counts_once(void)
{
	struct cell c = consume_ten_damaging("item-size=8", 0);

	expect_no(&c, "1 damaged, 0 bad payload");
}

/* tally the first `count` of the cell's n items of producer 0 */
static void tally_items(struct cell *c, uint64_t count, uint64_t *log_mid)
{
	struct pc_tallies t = prodcons_tally_begin(c->state, 0);
	uint64_t item[PC_MAX_ITEM_WORDS];

	for (uint64_t i = 0; i < count; i++) {
		prodcons_make(c->state, 0, i, item);
		prodcons_tally(&t, item);
	}
	*log_mid = ((struct prodcons *)c->state)->log[0].count;
	prodcons_tally_end(t);
}

static void test_prodcons_tallies_reach_the_log_first_and_at_the_end(void)
{
	struct cell c = ready_cell("item-size=24", 1000);
	char detail[DETAIL_LEN];
	uint64_t mid;

	tally_items(&c, 1000, &mid);
	CU_ASSERT_EQUAL(mid, 1);	/* the first, stored for a kill there */
	CU_ASSERT_EQUAL(((struct prodcons *)c.state)->log[0].count, 1000);
	CU_ASSERT_EQUAL(c.wl->verify(&c, detail, sizeof(detail)), VERDICT_YES);
	c.wl->teardown(&c);
}

static void test_prodcons_consumer_that_stops_early_is_caught(void)
{
	struct cell c = ready_cell(NULL, 10);
	uint64_t mid;

	tally_items(&c, 4, &mid);
	expect_no(&c, "6 missing");
}

static void test_prodcons_reset_empties_the_logs(void)
{
	struct cell c = reference_run();

	c.wl->reset(&c);
	expect_no(&c, "1000 missing");
}

/* ---- how W becomes P + C ----------------------------------------------- */

static void expect_plan(int w, const char *p, const char *n_c, int workers)
{
	const char *opts[] = { p, n_c, NULL };
	struct cell c = harness_cell("prodcons", "threads", "locked", w, 10, opts);
	char why[DETAIL_LEN];

	CU_ASSERT_EQUAL(c.wl->plan(&c, why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(c.workers, workers);
}

static void test_prodcons_workers_split_into_producers_and_consumers(void)
{
	expect_plan(2, "producers=0", "consumers=0", 2);	/* P=1 C=1 */
	expect_plan(5, "producers=0", "consumers=0", 5);	/* P=2 C=3 */
	expect_plan(1, "producers=0", "consumers=0", 2);	/* at least 1 + 1 */
	expect_plan(4, "producers=3", "consumers=0", 4);	/* C = W - P */
	expect_plan(2, "producers=3", "consumers=0", 4);	/* C at least 1 */
	expect_plan(2, "producers=0", "consumers=5", 6);	/* P at least 1 */
	expect_plan(2, "producers=2", "consumers=2", 4);	/* both given */
}

static void test_prodcons_plan_leaves_out_spsc_with_several_producers(void)
{
	const char *opts[] = { "producers=2", "consumers=2", NULL };
	struct cell c = harness_cell("prodcons", "processes", "spsc", 4, 10, opts);
	char why[DETAIL_LEN];

	CU_ASSERT_EQUAL(c.wl->plan(&c, why, sizeof(why)), 1);
	CU_ASSERT_STRING_EQUAL(why, "spsc needs one producer and one consumer, not P=2 C=2");
}

/* ---- the command line, as the "done when" tries it -------------- */

static int csv_rows_all_verified(const char *csv)
{
	int rows = 0;

	for (const char *l = strchr(csv, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
		const char *end = strchr(l + 1, '\n');
		char line[1024];

		snprintf(line, sizeof(line), "%.*s",
			 (int)(end ? end - l - 1 : (long)strlen(l + 1)), l + 1);
		if (!strstr(line, ",yes,"))
			return -1;
		rows++;
	}
	return rows;
}

static void test_prodcons_cli_runs_every_variant_verified(void)
{
	static const char *const args[] = { "run", "prodcons", "-n", "20000",
		"-r", "1", "--warmup", "0", "-w", "2", "-f", "csv", NULL };
	struct tvp_output o;

	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	/* locked: 4 back ends, pipe: 2, spsc: 3, tutorial: 3 (with sequential) */
	CU_ASSERT_EQUAL(csv_rows_all_verified(o.out), 12);
	CU_ASSERT_EQUAL(harness_shm_entries(), 0);
}

static void test_prodcons_cli_two_by_two_skips_spsc_and_verifies(void)
{
	static const char *const args[] = { "run", "prodcons", "--producers", "2",
		"--consumers", "2", "-n", "20000", "-r", "1", "--warmup", "0",
		"-w", "4", "-f", "csv", NULL };
	struct tvp_output o;

	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_EQUAL(csv_rows_all_verified(o.out), 9);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "prodcons,locked,threads,4,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "skipping prodcons spsc on threads"));
}

/* ---- tutorial: get with a timeout, task_done, join --------------------- */

static void test_prodcons_tutorial_marks_every_item_done_then_joins(void)
{
	static const char *const be[] = { "threads", "processes" };
	const char *extra[] = { "get-timeout=5ms", NULL };
	char detail[DETAIL_LEN], msg[DETAIL_LEN + 64];

	for (size_t b = 0; b < N_OF(be); b++)
		for (size_t s = 0; s < N_OF(sides); s++) {
			int v = run_cell(be[b], "tutorial", sides[s][0],
					 sides[s][1], 20000, extra, detail,
					 sizeof(detail));

			snprintf(msg, sizeof(msg), "%s P=%d C=%d: %s", be[b],
				 sides[s][0], sides[s][1], detail);
			if (v != VERDICT_YES)
				CU_FAIL_FATAL(msg);
			CU_ASSERT_PTR_NOT_NULL(strstr(detail, "each task_done once"));
		}
}

/* a capacity of one: every put waits for a get, every join for its item */
static void test_prodcons_tutorial_verifies_with_one_slot_and_no_items(void)
{
	const char *one[] = { "capacity=1", "get-timeout=1ms", NULL };
	char detail[DETAIL_LEN];

	CU_ASSERT_EQUAL(run_cell("threads", "tutorial", 2, 2, 2000, one, detail,
				 sizeof(detail)), VERDICT_YES);
	CU_ASSERT_EQUAL(run_cell("processes", "tutorial", 1, 3, 0, one, detail,
				 sizeof(detail)), VERDICT_YES);
}

static void test_prodcons_tutorial_verify_catches_an_item_never_marked(void)
{
	struct cell c = tutorial_reference_run();
	struct prodcons *s = c.state;

	s->done[7] = 0;
	s->done_total--;
	expect_no(&c, "1 items never marked");
}

static void test_prodcons_tutorial_verify_catches_an_item_marked_twice(void)
{
	struct cell c = tutorial_reference_run();
	struct prodcons *s = c.state;

	s->done[7] = 2;	/* a task_done for an item nobody got twice */
	s->done_total++;
	expect_no(&c, "0 items never marked, 1 marked twice, 1001 calls");
}

static void test_prodcons_tutorial_verify_catches_a_join_that_returned_early(void)
{
	struct cell c = tutorial_reference_run();
	struct prodcons *s = c.state;

	s->done_at_join = s->n - 1;
	expect_no(&c, "after 999 were done");
	c = tutorial_reference_run();
	((struct prodcons *)c.state)->joined = 0;
	expect_no(&c, "join returned 0 times");
}

/* ---- a consumer that dies ---------------------------------------------- */

/*
 * Run bin/tvp with TVP_FAULT set, as a child subreaper: a worker that
 * outlived its runner and driver would be handed to us, so finding no
 * child at all afterwards shows that nothing was left behind.
 */
static void run_with_fault(struct tvp_output *o, const char *fault,
			   const char *const *args)
{
	CU_ASSERT_EQUAL_FATAL(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	CU_ASSERT_EQUAL_FATAL(setenv("TVP_FAULT", fault, 1), 0);
	CU_ASSERT_EQUAL_FATAL(harness_tvp(o, args), 0);
	unsetenv("TVP_FAULT");
	CU_ASSERT_EQUAL(waitpid(-1, NULL, WNOHANG), -1);
	CU_ASSERT_EQUAL(errno, ECHILD);
	CU_ASSERT_EQUAL(prctl(PR_SET_CHILD_SUBREAPER, 0), 0);
	CU_ASSERT_EQUAL(harness_shm_entries(), 0);
}

/* the CSV row that starts with `prefix`, or "" */
static void csv_row(const char *csv, const char *prefix, char *row, size_t len)
{
	const char *at = strstr(csv, prefix);

	snprintf(row, len, "%.*s", at ? (int)strcspn(at, "\n") : 0, at ? at : "");
}

/* the timeout is far above the run's length: a hang would say "timed out" */
static void test_prodcons_dead_consumer_is_reported_while_others_block(void)
{
	static const char *const args[] = { "run", "prodcons", "-b", "processes",
		"-V", "locked", "--producers", "1", "--consumers", "2",
		"--capacity", "1", "-n", "100000", "-r", "1", "--warmup", "0",
		"-f", "csv", "--timeout", "30", NULL };
	struct tvp_output o;
	char row[1024];

	/* worker 2 is consumer 1: the producer and consumer 0 go on, then block */
	run_with_fault(&o, "kill:worker=2", args);
	CU_ASSERT_EQUAL(o.status, 1);
	csv_row(o.out, "prodcons,locked,processes,3,", row, sizeof(row));
	CU_ASSERT_PTR_NOT_NULL(strstr(row, ",no,worker 2 killed by SIGKILL"));
}

static void test_prodcons_dead_consumer_fails_the_run_on_every_queue(void)
{
	static const char *const args[] = { "run", "prodcons", "-b", "processes",
		"-n", "100000", "--capacity", "1", "-r", "1", "--warmup", "0",
		"-w", "2", "-f", "csv", "--timeout", "30", NULL };
	static const char *const variants[] = { "locked", "pipe", "spsc",
						"tutorial" };
	struct tvp_output o;

	run_with_fault(&o, "kill:worker=1", args);
	CU_ASSERT_EQUAL(o.status, 1);
	for (size_t v = 0; v < N_OF(variants); v++) {
		char prefix[64], row[1024];

		snprintf(prefix, sizeof(prefix), "prodcons,%s,processes,2,",
			 variants[v]);
		csv_row(o.out, prefix, row, sizeof(row));
		if (!strstr(row, ",no,worker 1 killed by SIGKILL"))
			CU_FAIL(row[0] ? row : prefix);
	}
}

SUITE(prodcons,
      TEST(test_prodcons_every_backend_moves_every_item_once_in_order),
      TEST(test_prodcons_big_items_and_work_verify),
      TEST(test_prodcons_detail_shows_items_per_consumer),
      TEST(test_prodcons_spsc_refuses_more_than_one_producer),
      TEST(test_prodcons_verify_accepts_the_reference),
      TEST(test_prodcons_verify_catches_a_lost_item),
      TEST(test_prodcons_verify_catches_an_item_twice),
      TEST(test_prodcons_verify_catches_reordering_at_a_consumer),
      TEST(test_prodcons_verify_catches_a_damaged_header),
      TEST(test_prodcons_consumer_catches_a_damaged_payload),
      TEST(test_prodcons_consumed_damaged_header_counts_once),
      TEST(test_prodcons_tallies_reach_the_log_first_and_at_the_end),
      TEST(test_prodcons_consumer_that_stops_early_is_caught),
      TEST(test_prodcons_reset_empties_the_logs),
      TEST(test_prodcons_workers_split_into_producers_and_consumers),
      TEST(test_prodcons_plan_leaves_out_spsc_with_several_producers),
      TEST(test_prodcons_cli_runs_every_variant_verified),
      TEST(test_prodcons_cli_two_by_two_skips_spsc_and_verifies),
      TEST(test_prodcons_tutorial_marks_every_item_done_then_joins),
      TEST(test_prodcons_tutorial_verifies_with_one_slot_and_no_items),
      TEST(test_prodcons_tutorial_verify_catches_an_item_never_marked),
      TEST(test_prodcons_tutorial_verify_catches_an_item_marked_twice),
      TEST(test_prodcons_tutorial_verify_catches_a_join_that_returned_early),
      TEST(test_prodcons_dead_consumer_is_reported_while_others_block),
      TEST(test_prodcons_dead_consumer_fails_the_run_on_every_queue))
