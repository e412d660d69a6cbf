/*
 * test_monitor.c - the monitor workload (the tutorial's
 * TaskMonitor): every variant does the work exactly on the threads back
 * end and the sequential reference; a monitored run took samples, stopped
 * once and saw all the work; verify() catches a wrong result, a missing
 * item, a monitor that never sampled or never stopped; the condvar
 * monitor stops without waiting out its interval; `tvp run` prices each
 * monitor against `none`. That plain-flag is a data race is checked by
 * ThreadSanitizer itself: tests/tsan-monitor.sh, run by `make tsan`.
 */
#include <stdio.h>
#include <string.h>

#include "monitor.h"
#include "tests/harness.h"

/*
 * Under ThreadSanitizer (make tsan) plain-flag's race is reported even
 * though tests/tsan.supp suppresses it, and TSan starts llvm-symbolizer as
 * a child of this process to match the suppression: a later suite that
 * reaps every child it has (mpi/launch.c) would wait for it for ever. So
 * there this binary runs plain-flag only in tvp's own processes (the CLI
 * test), and tests/tsan-monitor.sh checks that TSan reports it.
 */
#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif
#ifndef UNDER_TSAN
#define UNDER_TSAN 0
#endif

/* plain-flag last, so that IN_PROCESS leaves it out under TSan */
static const char *const variants[] = {
	"none", "atomic-flag", "condvar", "plain-flag",
};
#define IN_PROCESS (sizeof(variants) / sizeof(variants[0]) - UNDER_TSAN)
static const char *const quick[] = { "cost=3", "interval=0.05ms", NULL };

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void test_monitor_every_variant_exact_on_threads_and_sequential(void)
{
	static const int workers[] = { 1, 2, 3 };
	char detail[DETAIL_LEN], msg[DETAIL_LEN + 64];

	for (size_t v = 0; v < IN_PROCESS; v++)
		for (size_t w = 0; w < N_OF(workers); w++) {
			const char *be = w == 0 ? "sequential" : "threads";
			struct cell c = harness_cell("monitor", be, variants[v],
						     workers[w], 200003, quick);
			int verdict = harness_run(&c, detail, sizeof(detail));

			snprintf(msg, sizeof(msg), "%s/%s W=%d: %s", be,
				 variants[v], workers[w], detail);
			if (verdict != VERDICT_YES)
				CU_FAIL_FATAL(msg);
			CU_ASSERT_PTR_NOT_NULL(strstr(detail, "200003 items exact"));
		}
}

/* one run on threads, kept set up so a test can look inside */
static struct cell monitored(const char *variant, const char *const *opts)
{
	struct cell c = harness_cell("monitor", "threads", variant, 2, 50000,
				     opts);

	CU_ASSERT_EQUAL_FATAL(c.wl->setup(&c), 0);
	c.wl->reset(&c);
	CU_ASSERT_EQUAL_FATAL(backend_runner(c.be, c.wl, c.variant)(&c), 0);
	return c;
}

static void test_monitor_sampled_stopped_once_and_saw_all_work(void)
{
	for (size_t v = 1; v < IN_PROCESS; v++) {
		struct cell c = monitored(variants[v], quick);
		struct monitor_lesson *m = c.state;
		char detail[DETAIL_LEN];

		CU_ASSERT(m->samples >= 1);
		CU_ASSERT_EQUAL(m->stopped, 1);
		CU_ASSERT_EQUAL(m->last_seen, 50000);
		CU_ASSERT_EQUAL(c.wl->verify(&c, detail, sizeof(detail)), VERDICT_YES);
		CU_ASSERT_PTR_NOT_NULL(strstr(detail, " samples, one per "));
		c.wl->teardown(&c);
	}
}

static void expect_no(const char *variant, void (*spoil)(struct monitor_lesson *),
		      const char *needle)
{
	struct cell c = monitored(variant, quick);
	char detail[DETAIL_LEN];

	spoil(c.state);
	CU_ASSERT_EQUAL(c.wl->verify(&c, detail, sizeof(detail)), VERDICT_NO);
	if (!strstr(detail, needle))
		CU_FAIL(detail);
	c.wl->teardown(&c);
}

static void wrong_result(struct monitor_lesson *m) { m->worker[1].sink ^= 1; }
static void lost_item(struct monitor_lesson *m) { m->worker[0].done--; }
static void no_sample(struct monitor_lesson *m) { m->samples = 0; }
static void never_stopped(struct monitor_lesson *m) { m->stopped = 0; }
static void saw_less(struct monitor_lesson *m) { m->last_seen--; }

static void test_monitor_verify_catches_wrong_work_and_a_lazy_monitor(void)
{
	expect_no("none", wrong_result, "worker 1: 25000 of 25000 items, result wrong");
	expect_no("atomic-flag", lost_item, "worker 0: 24999 of 25000 items");
	expect_no("atomic-flag", no_sample, "monitor: 0 samples");
	expect_no("condvar", never_stopped, "stopped 0 times");
	expect_no("atomic-flag", saw_less, "saw 49999 of 50000 items");
}

/*
 * A 5 s interval: the atomic flag would be seen only after the sleep, the
 * condition variable's signal ends the wait at once. (An upper bound half
 * the interval, so that only a wait that ran its course can fail it.)
 */
static void test_monitor_condvar_stop_cuts_the_wait_short(void)
{
	const char *opts[] = { "cost=3", "interval=5s", NULL };
	struct cell c = monitored("condvar", opts);
	struct monitor_lesson *m = c.state;

	CU_ASSERT_EQUAL(m->stopped, 1);
	CU_ASSERT(m->stopped_at - m->stop_asked < 2.5);
	c.wl->teardown(&c);
}

static void test_monitor_cli_prices_each_monitor_against_none(void)
{
	static const char *const args[] = {
		"run", "monitor", "-b", "sequential,threads", "-w", "2",
		"-n", "100K", "--cost", "3", "-r", "1", "--warmup", "0",
		"-f", "csv", NULL,
	};
	struct tvp_output o;

	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "monitor,none,threads,2,"));
	for (size_t v = 1; v < N_OF(variants); v++) {
		char prefix[64], row[1024];
		const char *at;

		snprintf(prefix, sizeof(prefix), "monitor,%s,threads,2,", variants[v]);
		at = strstr(o.out, prefix);
		CU_ASSERT_PTR_NOT_NULL_FATAL(at);
		snprintf(row, sizeof(row), "%.*s", (int)strcspn(at, "\n"), at);
		CU_ASSERT_PTR_NOT_NULL(strstr(row, ",yes,"));
		CU_ASSERT_PTR_NOT_NULL(strstr(row, "time against none"));
	}
}

SUITE(monitor,
      TEST(test_monitor_every_variant_exact_on_threads_and_sequential),
      TEST(test_monitor_sampled_stopped_once_and_saw_all_work),
      TEST(test_monitor_verify_catches_wrong_work_and_a_lazy_monitor),
      TEST(test_monitor_condvar_stop_cuts_the_wait_short),
      TEST(test_monitor_cli_prices_each_monitor_against_none));
