/*
 * test_python.c - the CPython back ends hand back results that the C
 * verify() accepts (squares on every model and on uneven blocks, counter
 * with and without its Lock: CPython threads lose updates without it, as
 * the tutorial's read-pause-write does, and none with it; prodcons through queue.Queue and
 * JoinableQueue, fetch through both pool executors, simulated and over
 * HTTP); they time their
 * own section; a missing interpreter makes them unavailable and skipped
 * with a note; a failing script is reported, never hidden. Every test is
 * skipped, with a message, where python3 is missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "python/bridge.h"
#include "tests/harness.h"

static const char *const cheap[] = { "cost=3", NULL };

/*
 * The interpreter python3 really is: a version manager's shim (pyenv) can
 * take half a second of shell per start, which the tests pay dozens of
 * times. Same interpreter, started directly; tvp itself still looks up
 * python3 on PATH, and the labs test and `tvp list` exercise that.
 */
static void python_direct(void)
{
	char path[512] = "";
	FILE *p;

	if (getenv("TVP_PYTHON") || py_unavailable())
		return;
	p = popen("python3 -I -c 'import sys; print(sys.executable)'", "r");
	if (!p)
		return;
	if (fgets(path, sizeof(path), p))
		path[strcspn(path, "\n")] = 0;
	if (pclose(p) == 0 && path[0] == '/')
		setenv("TVP_PYTHON", path, 1);
}

static int python_missing(const char *test)
{
	const char *why;

	python_direct();
	why = py_unavailable();

	if (why)
		fprintf(stderr, "\n  %s skipped: %s\n", test, why);
	return why != NULL;
}

static int run_python(const char *be, int w, uint64_t n, struct cell *c,
		      char *detail)
{
	*c = harness_cell("squares", be, NULL, w, n, cheap);
	c->self_timed_s = c->self_user_s = c->self_sys_s = -1;
	return harness_run(c, detail, DETAIL_LEN);
}

static void test_python_squares_verified_on_every_model(void)
{
	static const struct {
		const char *be;
		int w;
		uint64_t n;
	} runs[] = {
		{ "python-sequential", 1, 0 }, { "python-sequential", 1, 1001 },
		{ "python-threads", 2, 1001 }, { "python-threads", 3, 2 },
		{ "python-processes", 2, 1001 }, { "python-processes", 3, 2 },
	};
	char detail[DETAIL_LEN], msg[DETAIL_LEN + 64];
	struct cell c;

	if (python_missing(__func__))
		return;
	for (size_t i = 0; i < sizeof(runs) / sizeof(*runs); i++) {
		int v = run_python(runs[i].be, runs[i].w, runs[i].n, &c, detail);

		snprintf(msg, sizeof(msg), "%s W=%d n=%llu: %s", runs[i].be,
			 runs[i].w, (unsigned long long)runs[i].n, detail);
		if (v != VERDICT_YES)
			CU_FAIL_FATAL(msg);
		CU_ASSERT_EQUAL(v, VERDICT_YES);
		/* the script's own clock, not the interpreter's start-up */
		CU_ASSERT(c.self_timed_s >= 0);
		CU_ASSERT(c.self_user_s >= 0 && c.self_sys_s >= 0);
	}
}

static void test_python_counter_with_lock_loses_nothing(void)
{
	static const char *const models[] = {
		"python-sequential", "python-threads", "python-processes",
	};
	char detail[DETAIL_LEN];

	if (python_missing(__func__))
		return;
	for (size_t i = 0; i < sizeof(models) / sizeof(*models); i++) {
		struct cell c = harness_cell("counter", models[i], "mutex", 2,
					     2000, NULL);
		int v = harness_run(&c, detail, sizeof(detail));

		CU_ASSERT_EQUAL(v, VERDICT_YES);
		/* the C verify() read the count that CPython handed back */
		CU_ASSERT_PTR_NOT_NULL(strstr(detail, "exact: "));
	}
}

static void test_python_counter_without_lock_is_a_race_never_a_bug(void)
{
	char detail[DETAIL_LEN];
	struct cell c;
	int v;

	if (python_missing(__func__))
		return;
	/* losing updates is expected here; exceeding W*n would be a bug */
	c = harness_cell("counter", "python-processes", "unsynchronised", 2,
			 20000, NULL);
	v = harness_run(&c, detail, sizeof(detail));
	CU_ASSERT_EQUAL(v, VERDICT_RACE);
	CU_ASSERT_PTR_NOT_NULL(strstr(detail, " of 40000 updates"));
	/* one worker has nobody to race with: exact */
	c = harness_cell("counter", "python-threads", "unsynchronised", 1, 2000,
			 NULL);
	CU_ASSERT_EQUAL(harness_run(&c, detail, sizeof(detail)), VERDICT_YES);
}

/*
 * The tutorial's read, pause, write: time.sleep(0) hands the GIL over
 * between the read and the write, so two threads lose updates without the
 * Lock. (Each pause is a GIL hand-over, so two threads interleave on every
 * increment: losing none of 4000 would take thousands of missed switches.)
 */
static void test_python_threads_lose_updates_without_the_lock(void)
{
	char detail[DETAIL_LEN];
	struct cell c;

	if (python_missing(__func__))
		return;
	c = harness_cell("counter", "python-threads", "unsynchronised", 2, 2000,
			 NULL);
	CU_ASSERT_EQUAL(harness_run(&c, detail, sizeof(detail)), VERDICT_RACE);
	CU_ASSERT_PTR_NOT_NULL(strstr(detail, " of 4000 updates"));
	c = harness_cell("counter", "python-threads", "mutex", 2, 2000, NULL);
	CU_ASSERT_EQUAL(harness_run(&c, detail, sizeof(detail)), VERDICT_YES);
	CU_ASSERT_PTR_NOT_NULL(strstr(detail, "exact: "));
}

static void test_python_counter_has_only_the_tutorials_variants(void)
{
	const struct workload *wl = workload_find("counter");
	const struct backend *be = backend_find("python-threads");

	CU_ASSERT_PTR_NOT_NULL(backend_runner(be, wl, workload_variant(wl, "mutex")));
	CU_ASSERT_PTR_NULL(backend_runner(be, wl, workload_variant(wl, "atomic")));
	CU_ASSERT_PTR_NULL(backend_runner(be, wl, workload_variant(wl, "sharded")));
}

static void test_python_prodcons_every_item_once_in_order(void)
{
	static const struct {
		const char *be;
		int w;
	} runs[] = {
		{ "python-sequential", 1 }, { "python-threads", 2 },
		{ "python-threads", 4 }, { "python-processes", 4 },
	};
	/* payload words and consumer work, so every check in verify() bites */
	static const char *const opts[] = { "capacity=3", "item-size=24",
					    "work=5", NULL };
	char detail[DETAIL_LEN], msg[DETAIL_LEN + 64];

	if (python_missing(__func__))
		return;
	for (size_t i = 0; i < sizeof(runs) / sizeof(*runs); i++) {
		struct cell c = harness_cell("prodcons", runs[i].be, "locked",
					     runs[i].w, 501, opts);
		int v = harness_run(&c, detail, sizeof(detail));

		snprintf(msg, sizeof(msg), "%s W=%d: %s", runs[i].be, runs[i].w,
			 detail);
		if (v != VERDICT_YES)
			CU_FAIL_FATAL(msg);
		CU_ASSERT_PTR_NOT_NULL(strstr(detail, "501 items once each, in order"));
	}
}

static void check_fetch(const char *be, int w, uint64_t n, const char *source)
{
	const char *const opts[] = { "latency=1ms", "fail-rate=0.3", "bytes=100",
				     source, NULL };
	struct cell c = harness_cell("fetch", be, NULL, w, n, opts);
	char detail[DETAIL_LEN], msg[DETAIL_LEN + 64];
	int v = harness_run(&c, detail, sizeof(detail));

	snprintf(msg, sizeof(msg), "%s W=%d n=%llu %s: %s", be, w,
		 (unsigned long long)n, source, detail);
	if (v != VERDICT_YES)
		CU_FAIL_FATAL(msg);
	CU_ASSERT_EQUAL(v, VERDICT_YES);
}

static void test_python_fetch_every_task_once_failures_reported(void)
{
	static const char *const models[] = {
		"python-sequential", "python-threads", "python-processes",
	};
	static const uint64_t sizes[] = { 0, 1, 10 };

	if (python_missing(__func__))
		return;
	for (size_t m = 0; m < sizeof(models) / sizeof(*models); m++)
		for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++)
			check_fetch(models[m], 3, sizes[i], "source=sim");
}

static void test_python_fetch_over_http_from_the_cells_server(void)
{
	if (python_missing(__func__))
		return;
	/* urllib against the server the cell started on 127.0.0.1 */
	check_fetch("python-threads", 3, 10, "source=http");
}

static void test_python_parallel_models_measured_against_python_sequential(void)
{
	const char *const names[] = { "python-threads", "python-processes" };

	for (size_t i = 0; i < 2; i++) {
		const struct backend *be = backend_find(names[i]);

		CU_ASSERT_PTR_NOT_NULL_FATAL(be);
		CU_ASSERT_STRING_EQUAL(be->reference, "python-sequential");
		CU_ASSERT(be->opt_in);
	}
	CU_ASSERT_EQUAL(backend_find("python-sequential")->max_workers, 1);
}

/* point TVP_PYTHON at `path` (NULL: put back what it was) */
static void python_override(const char *path)
{
	static char saved[512];
	const char *now = getenv("TVP_PYTHON");

	if (path) {
		snprintf(saved, sizeof(saved), "%s", now ? now : "");
		CU_ASSERT_EQUAL_FATAL(setenv("TVP_PYTHON", path, 1), 0);
	} else if (saved[0]) {
		CU_ASSERT_EQUAL(setenv("TVP_PYTHON", saved, 1), 0);
	} else {
		CU_ASSERT_EQUAL(unsetenv("TVP_PYTHON"), 0);
	}
}

static void test_python_missing_interpreter_is_unavailable_with_reason(void)
{
	const char *why;

	python_override("/nonexistent/python3");
	why = py_unavailable();
	CU_ASSERT_PTR_NOT_NULL(why);
	CU_ASSERT_PTR_NOT_NULL(why ? strstr(why, "/nonexistent/python3 is not an executable file") : NULL);
	python_override(NULL);
}

static void test_python_missing_interpreter_skips_with_a_note(void)
{
	struct tvp_output o;
	const char *const args[] = { "run", "squares", "-b", "threads,python-threads",
				     "-w", "2", "-n", "1000", "--cost", "1", "-r", "1",
				     "-f", "csv", "--no-progress", NULL };

	python_override("/nonexistent/python3");
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, args), 0);
	python_override(NULL);
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "skipping back end python-threads"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "squares,default,threads,2,"));
	CU_ASSERT_PTR_NULL(strstr(o.out, "python"));
}

/* a stand-in script: `body` is Python run with the real arguments */
static void fake_script(char *path, size_t len, const char *body)
{
	FILE *f;

	snprintf(path, len, "/tmp/tvp-test-script-%d.py", (int)getpid());
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	if (!f)		/* not reached: the assertion above ends the test */
		return;
	fprintf(f, "import os, struct, sys\n%s\n", body);
	CU_ASSERT_EQUAL(fclose(f), 0);
	CU_ASSERT_EQUAL(setenv("TVP_PYTHON_SCRIPT", path, 1), 0);
}

static void check_failure(const char *body, const char *expect)
{
	char path[64], detail[DETAIL_LEN];
	struct cell c;

	fake_script(path, sizeof(path), body);
	CU_ASSERT_EQUAL(run_python("python-threads", 2, 10, &c, detail), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(detail, expect));
	if (!strstr(detail, expect))
		fprintf(stderr, "\n  got: %s\n", detail);
	CU_ASSERT_EQUAL(unsetenv("TVP_PYTHON_SCRIPT"), 0);
	CU_ASSERT_EQUAL(unlink(path), 0);
}

static void test_python_failing_script_is_reported(void)
{
	if (python_missing(__func__))
		return;
	check_failure("sys.exit(3)", "python3 exited with status 3");
	check_failure("fd = int([a for a in sys.argv if a.startswith('--out-fd=')][0][9:])\n"
		      "os.write(fd, b'TVPE' + struct.pack('=Q', 4) + b'boom')\nsys.exit(1)",
		      "python: boom");
	check_failure("fd = int([a for a in sys.argv if a.startswith('--out-fd=')][0][9:])\n"
		      "os.write(fd, b'TVP1' + struct.pack('=dddQ', 0, 0, 0, 8) + bytes(8))",
		      "python sent 8 bytes for 10 squares");
	check_failure("pass", "python3 exited without sending results");
}

static void test_python_cli_rows_verified_with_speedup(void)
{
	struct tvp_output o;
	const char *const args[] = { "run", "squares", "-b", "python-threads",
				     "-w", "2", "-n", "3000", "--cost", "5", "-r", "1",
				     "--warmup", "0", "-f", "csv", "--no-progress", NULL };
	const char *row;

	if (python_missing(__func__))
		return;
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	/* the reference is planned even though -b left it out */
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "squares,default,python-sequential,1,3000,1,"));
	row = strstr(o.out, "squares,default,python-threads,2,3000,1,");
	CU_ASSERT_PTR_NOT_NULL_FATAL(row);
	/* speedup (the 11th column) is there: it has a reference */
	for (int comma = 0; comma < 10; comma++)
		row = strchr(row, ',') + 1;
	CU_ASSERT_NOT_EQUAL(*row, ',');
	CU_ASSERT_PTR_NULL(strstr(o.out, ",no,"));
}

SUITE(python,
      TEST(test_python_squares_verified_on_every_model),
      TEST(test_python_counter_with_lock_loses_nothing),
      TEST(test_python_counter_without_lock_is_a_race_never_a_bug),
      TEST(test_python_threads_lose_updates_without_the_lock),
      TEST(test_python_counter_has_only_the_tutorials_variants),
      TEST(test_python_prodcons_every_item_once_in_order),
      TEST(test_python_fetch_every_task_once_failures_reported),
      TEST(test_python_fetch_over_http_from_the_cells_server),
      TEST(test_python_parallel_models_measured_against_python_sequential),
      TEST(test_python_missing_interpreter_is_unavailable_with_reason),
      TEST(test_python_missing_interpreter_skips_with_a_note),
      TEST(test_python_failing_script_is_reported),
      TEST(test_python_cli_rows_verified_with_speedup))
