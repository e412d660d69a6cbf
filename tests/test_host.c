/*
 * test_host.c - the host arithmetic on canned kernel counters: busy and
 * steal from /proc/stat, PSI when the kernel has it, tvp's own CPU taken
 * out, no figure at all from counters that went backwards, and no busy
 * verdict on less evidence than the counters' ticks can give.
 */
#include <math.h>
#include <string.h>

#include "sys/host.h"
#include "tests/harness.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

static const char stat_text[] =
	"cpu  1000 50 500 90000 200 30 20 70 0 0\n"
	"cpu0 500 25 250 45000 100 15 10 35 0 0\n"
	"cpu1 500 25 250 45000 100 15 10 35 0 0\n"
	"intr 12345\n";

static void test_host_stat_counts_user_nice_system_and_steal(void)
{
	double busy = 0, steal = 0;

	CU_ASSERT_EQUAL_FATAL(host_parse_stat(stat_text, 100, &busy, &steal), 0);
	/* irq (30) and softirq (20) are left out: mostly tvp's own traffic */
	CU_ASSERT(NEAR(busy, (1000 + 50 + 500 + 70) / 100.0));
	CU_ASSERT(NEAR(steal, 0.70));
}

static void test_host_stat_without_steal_field_reads_zero_steal(void)
{
	double busy = 0, steal = 1;

	CU_ASSERT_EQUAL(host_parse_stat("cpu  100 0 100 5000\n", 100, &busy,
					&steal), 0);
	CU_ASSERT(NEAR(busy, 2.0));
	CU_ASSERT(NEAR(steal, 0.0));
}

static void test_host_stat_refuses_what_is_not_the_cpu_line(void)
{
	double busy, steal;

	CU_ASSERT(host_parse_stat("", 100, &busy, &steal) < 0);
	CU_ASSERT(host_parse_stat("cpu0 1 2 3 4\n", 100, &busy, &steal) < 0);
	CU_ASSERT(host_parse_stat("cpu  1 2\n", 100, &busy, &steal) < 0);
	CU_ASSERT(host_parse_stat(stat_text, 0, &busy, &steal) < 0);
}

static void test_host_psi_total_is_read_in_seconds(void)
{
	double s = 0;

	CU_ASSERT_EQUAL(host_parse_psi("some avg10=1.00 avg60=0.50 avg300=0.10 total=2500000\n"
				       "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
				       &s), 0);
	CU_ASSERT(NEAR(s, 2.5));
}

static void test_host_psi_missing_or_malformed_is_refused(void)
{
	double s = 7;

	CU_ASSERT(host_parse_psi("", &s) < 0);
	CU_ASSERT(host_parse_psi("full avg10=0.00 total=5\n", &s) < 0);
	/* the "full" line's total must not pass for the "some" line's */
	CU_ASSERT(host_parse_psi("some avg10=0.00\nfull total=5\n", &s) < 0);
	CU_ASSERT(NEAR(s, 7));
}

static struct host_sample sample(double t, double busy, double own, double psi)
{
	return (struct host_sample){ .t = t, .busy_s = busy, .own_s = own,
				     .psi_some_s = psi, .ok = 1 };
}

static void test_host_foreign_takes_out_driver_and_runner_cpu(void)
{
	struct host_sample a = sample(10, 100, 1, 5), b = sample(12, 103.5, 1.5, 6);
	struct host_window w;

	host_window_between(&a, &b, &w);
	w.own_s += 1.0;	/* what the runner spent in the cycle */
	/* 3.5 CPU-seconds busy, 1.5 of them ours, over 2 s: 1 CPU foreign */
	CU_ASSERT(NEAR(host_foreign(&w), 1.0));
	CU_ASSERT(NEAR(w.psi_s, 1.0));
}

static void test_host_foreign_is_never_negative(void)
{
	struct host_sample a = sample(0, 10, 0, -1), b = sample(1, 10.5, 0.7, -1);
	struct host_window w;

	host_window_between(&a, &b, &w);
	CU_ASSERT(NEAR(host_foreign(&w), 0.0));
	CU_ASSERT(w.psi_s < 0);	/* no PSI on this kernel */
}

static void test_host_counters_going_backwards_give_no_figure(void)
{
	struct host_sample a = sample(0, 4294967.0, 0, -1), b = sample(1, 3.0, 0, -1);
	struct host_window w;

	host_window_between(&a, &b, &w);
	CU_ASSERT(isnan(host_foreign(&w)));
	a = sample(0, 1, 0, -1);
	b = sample(1, 2, 0, -1);
	b.ok = 0;	/* /proc/stat could not be read */
	host_window_between(&a, &b, &w);
	CU_ASSERT(isnan(host_foreign(&w)));
	b = sample(0, 2, 0, -1);	/* no time passed */
	host_window_between(&a, &b, &w);
	CU_ASSERT(isnan(host_foreign(&w)));
}

static void test_host_windows_pool_into_one_figure(void)
{
	struct host_window sum = { 0 }, w1, w2;
	struct host_sample a = sample(0, 0, 0, 0), b = sample(0.1, 0.2, 0, 0.05);
	struct host_sample c = sample(1, 5, 0, 1), d = sample(1.2, 5.0, 0, -1);

	host_window_between(&a, &b, &w1);	/* 2 CPUs busy for 0.1 s */
	host_window_between(&c, &d, &w2);	/* idle for 0.2 s, no PSI */
	host_window_add(&sum, &w1);
	host_window_add(&sum, &w2);
	CU_ASSERT_EQUAL(sum.parts, 2);
	CU_ASSERT(NEAR(sum.wall_s, 0.3));
	CU_ASSERT(NEAR(host_foreign(&sum), 0.2 / 0.3));
	CU_ASSERT(sum.psi_s < 0);	/* one part lacked PSI: the sum has none */
}

/* counters that move in 10 ms ticks: a tick over 20 ms is no evidence */
static void test_host_a_short_window_one_tick_over_is_not_busy(void)
{
	struct host_sample a = sample(0, 0, 0, -1), b = sample(0.02, 0.01, 0, -1);
	struct host_window w;

	a.step_s = b.step_s = 0.01;
	host_window_between(&a, &b, &w);
	CU_ASSERT(NEAR(host_foreign(&w), 0.5));	/* the figure as read */
	CU_ASSERT_FALSE(host_window_busy(&w, 0.25, 2));
	b = sample(0.02, 0.03, 0, -1);	/* three ticks: beyond the error */
	b.step_s = 0.01;
	host_window_between(&a, &b, &w);
	CU_ASSERT_TRUE(host_window_busy(&w, 0.25, 2));
	b = sample(0.3, 0.3, 0, -1);	/* one CPU for 0.3 s */
	b.step_s = 0.01;
	host_window_between(&a, &b, &w);
	CU_ASSERT_TRUE(host_window_busy(&w, 0.25, 2));
}

/* end-to-end parts share their joints' error; parts with a gap add theirs */
static void test_host_windows_end_to_end_carry_one_tick_of_error(void)
{
	struct host_sample x[4];
	struct host_window chained = { 0 }, apart = { 0 }, w;

	for (int i = 0; i < 4; i++) {
		x[i] = sample(0.1 * i, 0, 0, -1);
		x[i].step_s = 0.01;
	}
	for (int i = 0; i < 3; i++) {
		host_window_between(&x[i], &x[i + 1], &w);
		host_window_add(&chained, &w);
	}
	CU_ASSERT(NEAR(chained.error_s, 0.01));
	CU_ASSERT(NEAR(chained.wall_s, 0.3));
	host_window_between(&x[0], &x[1], &w);
	host_window_add(&apart, &w);
	host_window_between(&x[2], &x[3], &w);
	host_window_add(&apart, &w);
	CU_ASSERT(NEAR(apart.error_s, 0.02));
	CU_ASSERT(NEAR(apart.wall_s, 0.2));
}

static void test_host_busy_note_says_what_happened(void)
{
	char buf[160];

	host_busy_note(0.93, 2, 4, 5, 3, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "busy: other processes took 0.9 of 2 CPUs in 4 of 5 repetitions; 3 retried");
	host_busy_note(0.01, 2, 0, 5, 2, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "2 repetitions run again for a busy host");
	host_busy_note(0.01, 2, 0, 5, 0, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "");
}

static void test_host_reads_this_kernel(void)
{
	struct host_sample a, b;

	host_read_kernel(&a);
	host_read_kernel(&b);
	CU_ASSERT_EQUAL(a.ok, 1);
	CU_ASSERT(b.t >= a.t && b.busy_s >= a.busy_s && a.busy_s > 0);
}

SUITE(host,
      TEST(test_host_stat_counts_user_nice_system_and_steal),
      TEST(test_host_stat_without_steal_field_reads_zero_steal),
      TEST(test_host_stat_refuses_what_is_not_the_cpu_line),
      TEST(test_host_psi_total_is_read_in_seconds),
      TEST(test_host_psi_missing_or_malformed_is_refused),
      TEST(test_host_foreign_takes_out_driver_and_runner_cpu),
      TEST(test_host_foreign_is_never_negative),
      TEST(test_host_counters_going_backwards_give_no_figure),
      TEST(test_host_windows_pool_into_one_figure),
      TEST(test_host_a_short_window_one_tick_over_is_not_busy),
      TEST(test_host_windows_end_to_end_carry_one_tick_of_error),
      TEST(test_host_busy_note_says_what_happened),
      TEST(test_host_reads_this_kernel))
