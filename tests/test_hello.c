/*
 * test_hello.c - the first lesson: W sleeping workers overlap on every
 * parallel back end, the sequential reference runs them in a row, and
 * verify() catches a worker that never started, one that started twice,
 * and workers that queued instead of overlapping. --trace writes fetch's
 * format, one row per worker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hello.h"
#include "sys/trace.h"
#include "tests/harness.h"

static const char *const parallel[] = { "threads", "processes", "openmp" };
/* long enough that starting W workers, even under valgrind, is a fraction */
static const char *const slow[] = { "sleep=300ms", NULL };

static int hello_verdict(const char *be, int w, const char *const *opts,
			 char *detail, size_t len)
{
	struct cell c = harness_cell("hello", be, NULL, w, 1, opts);

	return harness_run(&c, detail, len);
}

static void test_hello_workers_overlap_on_every_parallel_backend(void)
{
	char detail[DETAIL_LEN];

	for (size_t b = 0; b < sizeof(parallel) / sizeof(*parallel); b++)
		for (int w = 1; w <= 4; w += 3) {
			int v = hello_verdict(parallel[b], w, slow, detail,
					      sizeof(detail));

			if (v != VERDICT_YES)
				fprintf(stderr, "%s W=%d: %s\n", parallel[b], w, detail);
			CU_ASSERT_EQUAL(v, VERDICT_YES);
			CU_ASSERT_PTR_NOT_NULL(strstr(detail, "finish order"));
		}
}

/* the reference's W sleeps in a row: at least W sleeps long */
static void test_hello_sequential_reference_sleeps_in_a_row(void)
{
	const char *opts[] = { "sleep=20ms", NULL };
	struct cell c = harness_cell("hello", "sequential", NULL, 3, 2, opts);
	struct hello *h;

	harness_reference(&c);
	h = c.state;
	CU_ASSERT(h->line[2].end_s - h->line[0].start_s >= 3 * 2 * 0.020);
	CU_ASSERT_EQUAL(h->line[0].finished, 1);
	CU_ASSERT_EQUAL(h->line[2].finished, 3);
	c.wl->teardown(&c);
}

/* a parallel cell whose "back end" ran its workers one by one is caught */
static void test_hello_verify_catches_workers_that_did_not_overlap(void)
{
	const char *opts[] = { "sleep=20ms", NULL };
	struct cell c = harness_cell("hello", "threads", NULL, 4, 1, opts);
	char detail[DETAIL_LEN];

	CU_ASSERT_EQUAL_FATAL(c.wl->setup(&c), 0);
	c.wl->reset(&c);
	CU_ASSERT_EQUAL(c.wl->reference(&c), 0);	/* 4 sleeps in a row */
	CU_ASSERT_EQUAL(c.wl->verify(&c, detail, sizeof(detail)), VERDICT_NO);
	CU_ASSERT_PTR_NOT_NULL(strstr(detail, "did not overlap"));
	c.wl->teardown(&c);
}

static void test_hello_verify_catches_a_worker_missing_or_started_twice(void)
{
	const char *opts[] = { "sleep=1ms", NULL };
	struct cell c = harness_cell("hello", "threads", NULL, 3, 1, opts);
	struct hello *h;
	char detail[DETAIL_LEN];

	CU_ASSERT_EQUAL_FATAL(c.wl->setup(&c), 0);
	h = c.state;
	c.wl->reset(&c);
	hello_greet(h, 0);
	hello_greet(h, 2);	/* worker 1 never ran */
	CU_ASSERT_EQUAL(c.wl->verify(&c, detail, sizeof(detail)), VERDICT_NO);
	CU_ASSERT_PTR_NOT_NULL(strstr(detail, "worker 1 started 0 times"));
	c.wl->reset(&c);
	for (int k = 0; k < 3; k++)
		hello_greet(h, k);
	hello_greet(h, 1);	/* and now twice */
	CU_ASSERT_EQUAL(c.wl->verify(&c, detail, sizeof(detail)), VERDICT_NO);
	CU_ASSERT_PTR_NOT_NULL(strstr(detail, "worker 1 started 2 times"));
	c.wl->teardown(&c);
}

/* fetch's header exactly, then one row per worker with status 0 */
static void test_hello_trace_writes_fetch_format_one_row_per_worker(void)
{
	char path[] = "/tmp/tvp-hello-trace-XXXXXX", opt[64], line[256];
	int fd = mkstemp(path), rows = 0, w = 3;
	const char *opts[] = { "sleep=300ms", opt, NULL };
	char detail[DETAIL_LEN];
	FILE *t;

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	snprintf(opt, sizeof(opt), "trace=%s", path);
	CU_ASSERT_EQUAL(hello_verdict("processes", w, opts, detail,
				      sizeof(detail)), VERDICT_YES);
	t = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_PTR_NOT_NULL(fgets(line, sizeof(line), t));
	CU_ASSERT_STRING_EQUAL(line, TRACE_HEADER "\n");
	while (fgets(line, sizeof(line), t)) {
		int workers = -1, worker = -1, status = -1;
		unsigned long long run = 0, task = 0;
		double start = 0, end = 0;

		if (sscanf(line, "processes,%d,%llu,%llu,%d,%lf,%lf,%d", &workers,
			   &run, &task, &worker, &start, &end, &status) != 7) {
			fprintf(stderr, "not a processes row: %s", line);
			CU_FAIL("a trace row that is not processes' own");
		}
		CU_ASSERT_EQUAL(workers, w);
		CU_ASSERT_EQUAL(task, (unsigned long long)rows);
		CU_ASSERT_EQUAL(worker, rows);
		CU_ASSERT(end - start >= 0.300);
		CU_ASSERT_EQUAL(status, 0);
		rows++;
	}
	CU_ASSERT_EQUAL(rows, w);
	fclose(t);
	unlink(path);
}

static void test_hello_cli_runs_every_default_backend_verified(void)
{
	static const char *const args[] = {
		"run", "hello", "-w", "2", "-r", "1", "--warmup", "0",
		"--sleep", "300ms", "-f", "csv", NULL,
	};
	struct tvp_output o;

	CU_ASSERT_EQUAL(harness_tvp(&o, args), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "hello,default,sequential,1,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "hello,default,threads,2,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "hello,default,processes,2,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "hello,default,openmp,2,"));
	CU_ASSERT_PTR_NULL(strstr(o.out, ",no,"));
}

SUITE(hello,
      TEST(test_hello_workers_overlap_on_every_parallel_backend),
      TEST(test_hello_sequential_reference_sleeps_in_a_row),
      TEST(test_hello_verify_catches_workers_that_did_not_overlap),
      TEST(test_hello_verify_catches_a_worker_missing_or_started_twice),
      TEST(test_hello_trace_writes_fetch_format_one_row_per_worker),
      TEST(test_hello_cli_runs_every_default_backend_verified));
