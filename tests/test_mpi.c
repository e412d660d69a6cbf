/*
 * test_mpi.c - the MPI back end: every MPI workload verified with 1, 2 and
 * 3 ranks on this machine, a dead rank fails its cell with mpirun's reason
 * instead of hanging, a hostfile reaches mpirun, and where Open MPI is
 * missing the back end says why and runs skip it.
 * Tests that need Open MPI print why they skip when it is not there.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/harness.h"

static const char *const cheap[] = { "cost=3", NULL };

static int mpi_missing(const char *test)
{
	const struct backend *be = backend_find("mpi");
	const char *why;

	CU_ASSERT_PTR_NOT_NULL_FATAL(be);
	why = be->unavailable();
	if (why)
		fprintf(stderr, "\n  %s: skipped: the mpi back end is unavailable: %s\n",
			test, why);
	return why != NULL;
}

/* the verdict of one run, with mpirun's or verify's words on failure */
static int run_mpi(const char *wl, const char *variant, int workers,
		   uint64_t n, const char *const *opts, char *detail, size_t len)
{
	struct cell c = harness_cell(wl, "mpi", variant, workers, n, opts);

	return harness_run(&c, detail, len);
}

static void expect(const char *wl, const char *variant, int workers,
		   uint64_t n, const char *const *opts, int verdict)
{
	char detail[DETAIL_LEN], msg[DETAIL_LEN + 96];
	int v = run_mpi(wl, variant, workers, n, opts, detail, sizeof(detail));

	snprintf(msg, sizeof(msg), "%s/%s, %d workers, n=%llu: %s", wl,
		 variant ? variant : "default", workers, (unsigned long long)n,
		 detail);
	if (v != verdict)
		CU_FAIL_FATAL(msg);
	CU_ASSERT_EQUAL(v, verdict);
}

static void test_mpi_squares_verified_with_1_2_3_ranks(void)
{
	if (mpi_missing(__func__))
		return;
	/* each launch costs mpirun's start-up: few sizes, but both edges */
	for (int w = 1; w <= 3; w++) {
		expect("squares", NULL, w, (uint64_t)w + 1, cheap, VERDICT_YES);
		expect("squares", NULL, w, 100003, cheap, VERDICT_YES);
	}
	expect("squares", NULL, 3, 0, cheap, VERDICT_YES);
	expect("squares", NULL, 3, 2, cheap, VERDICT_YES); /* a rank gets none */
}

static void test_mpi_counter_synchronised_variants_exact_on_1_2_3_ranks(void)
{
	static const char *const exact[] = { "mutex", "atomic", "sharded" };

	if (mpi_missing(__func__))
		return;
	/* small n: three ranks on two cores take turns at every lock */
	for (int w = 1; w <= 3; w++)
		for (size_t v = 0; v < sizeof(exact) / sizeof(*exact); v++)
			expect("counter", exact[v], w, 2000, NULL, VERDICT_YES);
	expect("counter", "atomic", 2, 0, NULL, VERDICT_YES);
}

static void test_mpi_counter_unsynchronised_is_exact_alone_and_a_race_shared(void)
{
	if (mpi_missing(__func__))
		return;
	expect("counter", "unsynchronised", 1, 2000, NULL, VERDICT_YES);
	/* lost or not, never more than W x n and never 0: expected-race */
	expect("counter", "unsynchronised", 2, 20000, NULL, VERDICT_RACE);
	expect("counter", "unsynchronised", 3, 2000, NULL, VERDICT_RACE);
}

static void test_mpi_prodcons_every_item_once_in_order_on_2_and_3_ranks(void)
{
	/* P + C ranks: one producer and one consumer at the least */
	static const char *const shapes[][4] = {
		{ "producers=1", "consumers=1", "capacity=1", NULL },
		{ "producers=1", "consumers=2", "capacity=64", NULL },
		{ "producers=2", "consumers=1", "capacity=1", NULL },
		{ "producers=2", "consumers=1", "capacity=64", NULL },
	};

	if (mpi_missing(__func__))
		return;
	for (size_t i = 0; i < sizeof(shapes) / sizeof(*shapes); i++)
		expect("prodcons", "locked", i ? 3 : 2, 10007, shapes[i], VERDICT_YES);
	expect("prodcons", "locked", 3, 0, shapes[1], VERDICT_YES);
	expect("prodcons", "locked", 3, 1, shapes[2], VERDICT_YES);
}

static void test_mpi_fetch_each_task_once_failures_reported_on_1_2_3_workers(void)
{
	static const char *const opts[][3] = {
		{ "latency=1ms", "fail-rate=0", NULL },
		{ "latency=1ms", "fail-rate=0.3", NULL },
		{ "latency=1ms", "fail-rate=1", NULL },
	};

	if (mpi_missing(__func__))
		return;
	/* W worker ranks and a manager: 2, 3 and 4 ranks */
	for (int w = 1; w <= 3; w++)
		expect("fetch", NULL, w, 3 * (uint64_t)w + 1, opts[w - 1], VERDICT_YES);
	expect("fetch", NULL, 3, 0, opts[1], VERDICT_YES);
	expect("fetch", NULL, 2, 1, opts[1], VERDICT_YES);
}

static void test_mpi_run_reports_the_programs_own_time(void)
{
	struct cell c;
	char detail[DETAIL_LEN];

	if (mpi_missing(__func__))
		return;
	c = harness_cell("squares", "mpi", NULL, 2, 1000, cheap);
	c.self_timed_s = -1;
	CU_ASSERT_EQUAL(harness_run(&c, detail, sizeof(detail)), VERDICT_YES);
	/* set by rank 0's clock, so the runner does not count mpirun start-up */
	CU_ASSERT(c.self_timed_s >= 0);
}

/* Open MPI's shared-memory segments: its ranks' own, not named for tvp */
/*
 * tvp -b mpi with TVP_FAULT set (rank K is worker K), on 2 ranks: with more
 * ranks than cores, Open MPI 4.1's mpirun now and then wedges when a rank
 * is killed, and only the watchdog ends the cell (docs/mpi.md).
 */
static void run_fault(struct tvp_output *o, const char *fault,
		      const char *timeout)
{
	const char *const env[] = { fault, NULL };
	const char *const args[] = { "run", "squares", "-b", "mpi", "-w", "2",
				     "-n", "1000", "-r", "1", "--warmup", "0",
				     "--timeout", timeout, "-f", "csv", NULL };
	CU_ASSERT_EQUAL_FATAL(harness_tvp_env(o, env, args), 0);
	CU_ASSERT_EQUAL(o->status, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(o->out, ",mpi,2,"));
	/*
	 * nothing of the run is left: not mpirun, not one rank, no segment
	 * (Open MPI's are in the cell's /dev/shm/tvp-mpi.* directory)
	 */
	CU_ASSERT_EQUAL(harness_session_left(o->sid, 5.0), 0);
	CU_ASSERT_EQUAL(harness_shm_entries(), 0);
}

static void test_mpi_dead_rank_fails_the_cell_with_mpiruns_reason(void)
{
	struct tvp_output o;

	if (mpi_missing(__func__))
		return;
	run_fault(&o, "TVP_FAULT=kill:worker=1,backend=mpi", "30");
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, ",no,mpirun exited with status"));
	/* mpirun's own words name the rank: no hang, no timeout */
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "process rank 1"));
	CU_ASSERT_PTR_NULL(strstr(o.out, "timed out"));
}

static void test_mpi_rank_that_exits_early_fails_the_cell(void)
{
	struct tvp_output o;

	if (mpi_missing(__func__))
		return;
	run_fault(&o, "TVP_FAULT=exit:worker=1,status=7,backend=mpi", "30");
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "rank 1 exited with status 7"));
	CU_ASSERT_PTR_NULL(strstr(o.out, "timed out"));
}

static void test_mpi_hung_rank_is_killed_at_the_timeout(void)
{
	struct tvp_output o;

	if (mpi_missing(__func__))
		return;
	/* the other ranks wait for it forever; the watchdog ends them all */
	run_fault(&o, "TVP_FAULT=stall:worker=1,backend=mpi", "2");
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "timed out"));
}

static void test_mpi_output_without_results_is_a_failure(void)
{
	char detail[DETAIL_LEN];
	int v;

	if (mpi_missing(__func__))
		return;
	/* an "mpirun" that succeeds and says nothing must not pass */
	CU_ASSERT_EQUAL_FATAL(setenv("TVP_MPIRUN", "/bin/true", 1), 0);
	v = run_mpi("squares", NULL, 2, 1000, cheap, detail, sizeof(detail));
	unsetenv("TVP_MPIRUN");
	CU_ASSERT_EQUAL(v, -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(detail, "rank 0 sent no results"));
}

static int write_hostfile(char *path, size_t len, int slots)
{
	FILE *f;
	int fd;

	snprintf(path, len, "/tmp/tvp-test-hostfile-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -1;
	}
	fprintf(f, "localhost slots=%d\n", slots);
	return fclose(f);
}

static void run_with_hostfile(int slots, int ranks, char *detail, size_t len,
			      int *verdict)
{
	char path[64];

	CU_ASSERT_EQUAL_FATAL(write_hostfile(path, sizeof(path), slots), 0);
	CU_ASSERT_EQUAL_FATAL(setenv("TVP_MPI_HOSTFILE", path, 1), 0);
	*verdict = run_mpi("squares", NULL, ranks, 1000, cheap, detail, len);
	unsetenv("TVP_MPI_HOSTFILE");
	CU_ASSERT_EQUAL(unlink(path), 0);
}

static void test_mpi_hostfile_decides_where_ranks_run(void)
{
	char detail[DETAIL_LEN];
	int v;

	if (mpi_missing(__func__))
		return;
	run_with_hostfile(3, 3, detail, sizeof(detail), &v);
	CU_ASSERT_EQUAL(v, VERDICT_YES);
	/* one slot, two ranks: mpirun refuses, so it did read the file */
	run_with_hostfile(1, 2, detail, sizeof(detail), &v);
	CU_ASSERT_EQUAL(v, -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(detail, "not enough slots"));
}

static void test_mpi_without_mpirun_is_skipped_with_a_note(void)
{
	const struct backend *be = backend_find("mpi");
	const char *const args[] = { "run", "squares", "-b", "sequential,mpi",
				     "-n", "1000", "-r", "1", "-f", "csv", NULL };
	struct tvp_output o;
	const char *why;

	CU_ASSERT_PTR_NOT_NULL_FATAL(be);
	CU_ASSERT_EQUAL_FATAL(setenv("TVP_MPIRUN", "/nonexistent/mpirun", 1), 0);
	why = be->unavailable();
	CU_ASSERT_PTR_NOT_NULL(why);
	CU_ASSERT_PTR_NOT_NULL(why ? strstr(why, "no mpirun") : NULL);
	CU_ASSERT_EQUAL(harness_tvp(&o, args), 0);
	unsetenv("TVP_MPIRUN");
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "skipping back end mpi"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, ",sequential,"));
	CU_ASSERT_PTR_NULL(strstr(o.out, ",mpi,"));
}

static void test_mpi_runs_only_when_named(void)
{
	const char *const args[] = { "run", "squares", "-n", "1000", "-r", "1",
				     "--warmup", "0", "-f", "csv", NULL };
	struct tvp_output o;

	CU_ASSERT_EQUAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, ",openmp,"));
	CU_ASSERT_PTR_NULL(strstr(o.out, ",mpi,"));
}

SUITE(mpi,
      TEST(test_mpi_squares_verified_with_1_2_3_ranks),
      TEST(test_mpi_counter_synchronised_variants_exact_on_1_2_3_ranks),
      TEST(test_mpi_counter_unsynchronised_is_exact_alone_and_a_race_shared),
      TEST(test_mpi_prodcons_every_item_once_in_order_on_2_and_3_ranks),
      TEST(test_mpi_fetch_each_task_once_failures_reported_on_1_2_3_workers),
      TEST(test_mpi_run_reports_the_programs_own_time),
      TEST(test_mpi_dead_rank_fails_the_cell_with_mpiruns_reason),
      TEST(test_mpi_rank_that_exits_early_fails_the_cell),
      TEST(test_mpi_hung_rank_is_killed_at_the_timeout),
      TEST(test_mpi_output_without_results_is_a_failure),
      TEST(test_mpi_hostfile_decides_where_ranks_run),
      TEST(test_mpi_without_mpirun_is_skipped_with_a_note),
      TEST(test_mpi_runs_only_when_named))
