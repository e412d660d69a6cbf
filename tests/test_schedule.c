/*
 * test_schedule.c - the cells of a comparison take turns, and a busy host
 * is seen, retried and reported, never hidden. The host is faked (a test
 * reader behind host_set_reader), so these hold on any machine.
 */
#include <math.h>
#include <string.h>

#include "cli/cli.h"
#include "run/driver.h"
#include "sys/clock.h"
#include "sys/host.h"
#include "tests/harness.h"

/* ---- a fake host: `load` CPUs of others, for the first `busy_reads` ---- */

static double fake_load;
static int fake_busy_reads, fake_reads;
static double fake_busy_s, fake_last_t;

static void fake_reader(struct host_sample *s)
{
	double now = clock_now();

	if (fake_reads++ == 0)
		fake_last_t = now;
	/* what others did since the last read: load CPUs while still busy */
	if (fake_reads <= fake_busy_reads)
		fake_busy_s += fake_load * (now - fake_last_t);
	fake_last_t = now;
	*s = (struct host_sample){ .t = now, .busy_s = fake_busy_s,
				   .own_s = 0, .psi_some_s = -1, .ok = 1 };
}

static void fake_host(double load, int busy_reads)
{
	fake_load = load;
	fake_busy_reads = busy_reads;
	fake_reads = 0;
	fake_busy_s = 0;
	host_set_reader(fake_reader);
}

/* ---- what ran, in order ------------------------------------------------ */

#define MAX_SEEN 64

static struct {
	size_t cell[MAX_SEEN];
	int rep[MAX_SEEN];
	size_t n;
} seen;

static void record(void *arg, size_t cell, int rep)
{
	(void)arg;
	if (seen.n < MAX_SEEN) {
		seen.cell[seen.n] = cell;
		seen.rep[seen.n++] = rep;
	}
}

/* plan `args` (after "run"), run it with the fake host, return the plan */
static void run_args(const char *const *args, struct plan *p,
		     struct config *cfg)
{
	char *argv[32], err[ERR_LEN];
	int argc = 0;
	struct measure_opts o;

	argv[argc++] = "run";
	while (*args && argc < 31)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	CU_ASSERT_EQUAL_FATAL(cli_parse_run(argc, argv, cfg, err), 0);
	cfg->progress = 0;
	CU_ASSERT_EQUAL_FATAL(driver_plan(cfg, p, err), 0);
	o = (struct measure_opts){
		.reps = cfg->reps, .warmup = cfg->warmup,
		.timeout_s = cfg->timeout_s, .interleave = cfg->interleave,
		.busy_threshold = cfg->busy_threshold, .retries = cfg->retries,
		.quiet_wait_s = 0, .on_rep = record,
	};
	memset(&seen, 0, sizeof(seen));
	CU_ASSERT_EQUAL(driver_run(cfg, p, &o), 0);
	driver_derive(p);
	host_set_reader(NULL);
}

static void test_schedule_cells_of_a_comparison_take_turns(void)
{
	struct config cfg;
	struct plan p;
	/* sequential W=1, threads W=1, threads W=2: three cells, one comparison */
	static const size_t want_cell[] = { 0, 1, 2, 0, 1, 2, 0, 1, 2 };
	static const int want_rep[] = { -1, -1, -1, 0, 0, 0, 1, 1, 1 };

	fake_host(0, 0);
	run_args((const char *const[]){ "squares", "-b", "sequential,threads",
		"-w", "1,2", "-n", "1000", "-r", "2", "--warmup", "1", NULL },
		&p, &cfg);
	CU_ASSERT_EQUAL_FATAL(p.n, 3);
	CU_ASSERT_EQUAL_FATAL(seen.n, 9);
	for (size_t i = 0; i < seen.n; i++) {
		CU_ASSERT_EQUAL(seen.cell[i], want_cell[i]);
		CU_ASSERT_EQUAL(seen.rep[i], want_rep[i]);
	}
	for (size_t i = 0; i < p.n; i++) {
		CU_ASSERT_EQUAL(p.res[i].verdict, VERDICT_YES);
		CU_ASSERT_EQUAL(p.res[i].reps, 2);
	}
	CU_ASSERT(isfinite(p.res[2].speedup));
	plan_free(&p);
}

static void test_schedule_no_interleave_runs_each_cell_to_the_end(void)
{
	struct config cfg;
	struct plan p;
	static const size_t want_cell[] = { 0, 0, 0, 1, 1, 1 };
	static const int want_rep[] = { -1, 0, 1, -1, 0, 1 };

	fake_host(0, 0);
	run_args((const char *const[]){ "squares", "-b", "sequential,threads",
		"-w", "2", "-n", "1000", "-r", "2", "--warmup", "1",
		"--no-interleave", NULL }, &p, &cfg);
	CU_ASSERT_EQUAL_FATAL(seen.n, 6);
	for (size_t i = 0; i < seen.n; i++) {
		CU_ASSERT_EQUAL(seen.cell[i], want_cell[i]);
		CU_ASSERT_EQUAL(seen.rep[i], want_rep[i]);
	}
	plan_free(&p);
}

static void test_schedule_quiet_host_flags_nothing(void)
{
	struct config cfg;
	struct plan p;

	fake_host(0, 0);
	run_args((const char *const[]){ "squares", "-b", "sequential", "-n",
		"1000", "-r", "3", "--warmup", "0", NULL }, &p, &cfg);
	CU_ASSERT_EQUAL(p.res[0].reps, 3);
	CU_ASSERT_EQUAL(p.res[0].busy_reps, 0);
	CU_ASSERT_EQUAL(p.res[0].retried, 0);
	CU_ASSERT(p.res[0].foreign_cpus >= 0 && p.res[0].foreign_cpus < 0.25);
	CU_ASSERT_EQUAL(p.host.busy_cells, 0);
	CU_ASSERT_PTR_NULL(strstr(p.res[0].detail, "busy"));
	plan_free(&p);
}

/* 3 short repetitions pool into one busy window: all dropped, all rerun */
static void test_schedule_busy_repetitions_are_run_again(void)
{
	struct config cfg;
	struct plan p;

	/* the first three cycles' reads see 8 CPUs of others: 4 reads, as
	 * each cycle opens with the sample that closed the one before */
	fake_host(8.0, 4);
	run_args((const char *const[]){ "squares", "-b", "sequential", "-n",
		"1000", "-r", "3", "--warmup", "0", "--retries", "3", NULL },
		&p, &cfg);
	CU_ASSERT_EQUAL(p.res[0].reps, 3);
	CU_ASSERT_EQUAL(p.res[0].retried, 3);
	CU_ASSERT_EQUAL(p.res[0].busy_reps, 0);
	CU_ASSERT_EQUAL(seen.n, 6);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.res[0].detail,
				      "3 repetitions run again for a busy host"));
	CU_ASSERT_EQUAL(p.host.busy_cells, 0);
	CU_ASSERT_EQUAL(p.host.retried, 3);
	plan_free(&p);
}

/* one retry allowed: one busy repetition replaced, two stay and are said */
static void test_schedule_busy_repetitions_beyond_retries_stay_marked(void)
{
	struct config cfg;
	struct plan p;

	fake_host(8.0, 4);
	run_args((const char *const[]){ "squares", "-b", "sequential", "-n",
		"1000", "-r", "3", "--warmup", "0", "--retries", "1", NULL },
		&p, &cfg);
	CU_ASSERT_EQUAL(p.res[0].reps, 3);
	CU_ASSERT_EQUAL(p.res[0].retried, 1);
	CU_ASSERT_EQUAL(p.res[0].busy_reps, 2);
	CU_ASSERT(p.res[0].foreign_cpus > 2.0);	/* median of 8, 8 and 0, less the runner's own CPU */
	CU_ASSERT_PTR_NOT_NULL(strstr(p.res[0].detail,
				      "busy: other processes took"));
	CU_ASSERT_PTR_NOT_NULL(strstr(p.res[0].detail, "in 2 of 3 repetitions; 1 retried"));
	CU_ASSERT_EQUAL(p.host.busy_cells, 1);
	plan_free(&p);
}

static void test_schedule_retries_0_keeps_every_busy_repetition(void)
{
	struct config cfg;
	struct plan p;

	fake_host(8.0, 1000);
	run_args((const char *const[]){ "squares", "-b", "sequential", "-n",
		"1000", "-r", "3", "--warmup", "0", "--retries", "0", NULL },
		&p, &cfg);
	CU_ASSERT_EQUAL(p.res[0].reps, 3);
	CU_ASSERT_EQUAL(p.res[0].retried, 0);
	CU_ASSERT_EQUAL(p.res[0].busy_reps, 3);
	CU_ASSERT_EQUAL(seen.n, 3);
	plan_free(&p);
}

/* a busy reference and a quiet cell: the speedup it gives is flagged */
static void test_schedule_busy_reference_marks_the_speedup_suspect(void)
{
	struct config cfg;
	struct plan p;

	/* --no-interleave: the reference runs first, alone in the busy reads
	 * (its two cycles take three) */
	fake_host(8.0, 3);
	run_args((const char *const[]){ "squares", "-b", "sequential,threads",
		"-w", "2", "-n", "1000", "-r", "2", "--warmup", "0",
		"--retries", "0", "--no-interleave", NULL }, &p, &cfg);
	CU_ASSERT_EQUAL_FATAL(p.n, 2);
	CU_ASSERT_EQUAL(p.res[0].busy_reps, 2);
	CU_ASSERT_EQUAL(p.res[1].busy_reps, 0);
	CU_ASSERT_EQUAL(p.res[1].suspect, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.res[1].detail, "ran on a busy host"));
	plan_free(&p);
}

static void test_cli_refuses_bad_busy_host_options(void)
{
	static const char *const bad[][3] = {
		{ "--retries", "-1", "--retries" },
		{ "--retries", "101", "--retries" },
		{ "--busy-threshold", "x", "--busy-threshold" },
		{ "--quiet-wait", "-2", "--quiet-wait" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tvp_output o;

		CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, (const char *const[]){
			"run", "squares", bad[i][0], bad[i][1], NULL }), 0);
		CU_ASSERT_EQUAL(o.status, 2);
		CU_ASSERT_STRING_EQUAL(o.out, "");
		CU_ASSERT_PTR_NOT_NULL(strstr(o.err, bad[i][2]));
	}
}

SUITE(schedule,
      TEST(test_schedule_cells_of_a_comparison_take_turns),
      TEST(test_schedule_no_interleave_runs_each_cell_to_the_end),
      TEST(test_schedule_quiet_host_flags_nothing),
      TEST(test_schedule_busy_repetitions_are_run_again),
      TEST(test_schedule_busy_repetitions_beyond_retries_stay_marked),
      TEST(test_schedule_retries_0_keeps_every_busy_repetition),
      TEST(test_schedule_busy_reference_marks_the_speedup_suspect),
      TEST(test_cli_refuses_bad_busy_host_options))
