/*
 * test_progress.c - the progress monitor: its line (cell, repetition,
 * elapsed, time left), its log lines and clean stop, and that tvp writes
 * progress to stderr only: nothing at all with --no-progress, and with
 * --progress an untouched report on stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/monitor.h"
#include "tests/harness.h"

static void test_monitor_duration_reads_naturally(void)
{
	char b[32];

	monitor_duration(4.25, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "4.2s");
	monitor_duration(37.2, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "37s");
	monitor_duration(125, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "2m05s");
}

static void test_monitor_line_estimates_time_left_from_reps_done(void)
{
	/* 4 cells of 1 warm-up + 3 reps = 16 runs; 5 done in 10 s: 11 left, 22 s */
	struct monitor m = { .cells = 4, .cell = 1, .warmup = 1, .reps = 3,
			     .rep = 0, .units_done = 5, .t0 = 100,
			     .label = "squares/default threads W=2" };
	char line[256];

	monitor_line(&m, 110, line, sizeof(line));
	CU_ASSERT_STRING_EQUAL(line,
		"[2/4] squares/default threads W=2: rep 1/3, 10s elapsed, ~22s left");
	m.rep = -1;
	m.units_done = 0;
	monitor_line(&m, 100.5, line, sizeof(line));
	CU_ASSERT_STRING_EQUAL(line,
		"[2/4] squares/default threads W=2: warm-up 1/1, 0.5s elapsed, estimating");
}

static void test_monitor_logs_to_a_file_and_stops_cleanly(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct monitor m;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL_FATAL(monitor_start(&m, f, 0, 2, 1, 2), 0);
	monitor_cell(&m, 0, "a");
	for (int rep = -1; rep < 2; rep++)
		monitor_rep(&m, rep);
	monitor_cell(&m, 1, "b");
	for (int rep = -1; rep < 2; rep++)
		monitor_rep(&m, rep);
	monitor_stop(&m);	/* joins: nothing is written after this */
	CU_ASSERT_EQUAL(fclose(f), 0);
	/* cell lines may merge if the thread is slow; the last line may not */
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "tvp: done: 2 cells in "));
	CU_ASSERT_EQUAL(strncmp(text, "tvp: ", 5), 0);
	CU_ASSERT_PTR_NULL(strchr(text, '\r'));	/* no redrawing in a log */
	CU_ASSERT_EQUAL(text[len - 1], '\n');
	free(text);
}

static void test_run_with_no_progress_writes_nothing_to_stderr(void)
{
	static struct tvp_output o;
	/*
	 * a busy test machine must not add its warning: no cell can be busy,
	 * and with the reference alone no speedup can look implausible
	 */
	const char *const args[] = { "run", "squares", "-b", "sequential",
				     "-n", "1000", "--no-progress", "-r", "1",
				     "--busy-threshold", "1024", NULL };

	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_STRING_EQUAL(o.err, "");
	CU_ASSERT_EQUAL(strncmp(o.out, "workload,variant,backend,", 25), 0);
}

static void test_forced_progress_goes_to_stderr_not_stdout(void)
{
	static struct tvp_output o;
	const char *const args[] = { "run", "squares", "-n", "1000", "--progress",
				     "-r", "1", "-w", "1,2", "-f", "csv", NULL };

	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	/* stderr is a pipe: a line per cell (a fast one may be passed over), then a summary */
	CU_ASSERT_EQUAL(strncmp(o.err, "tvp: [", 6), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "/7] squares/default "));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "tvp: done: 7 cells in "));
	CU_ASSERT_EQUAL(strncmp(o.out, "workload,variant,backend,", 25), 0);
	CU_ASSERT_PTR_NULL(strstr(o.out, "tvp:"));
}

SUITE(progress,
      TEST(test_monitor_duration_reads_naturally),
      TEST(test_monitor_line_estimates_time_left_from_reps_done),
      TEST(test_monitor_logs_to_a_file_and_stops_cleanly),
      TEST(test_run_with_no_progress_writes_nothing_to_stderr),
      TEST(test_forced_progress_goes_to_stderr_not_stdout))
