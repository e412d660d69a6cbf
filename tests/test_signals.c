/*
 * test_signals.c - a run stopped from outside leaves no mess: SIGINT and
 * SIGTERM report the completed cells and exit 130 / 143 within 2 s;
 * SIGKILL of the driver at any moment takes every runner and worker with
 * it; the watchdog kills a hung cell within --timeout + 1 s.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "sys/clock.h"
#include "tests/harness.h"
#include "tvp.h"

#define STOP_WITHIN_S 2.0	/* issue 9: SIGINT mid-run exits within 2 s */
#define KILL_ROUNDS 20
#define MAX_KILL_DELAY_MS 250
#define GONE_WITHIN_S 5.0	/* PR_SET_PDEATHSIG is immediate; be generous */
#define KILL_ROUNDS_FOREIGN 10	/* per back end: python-processes, mpi */

/*
 * A run of many cells long enough to be stopped in the middle. Cells one
 * at a time: interleaved, the cells of a comparison finish together, and
 * an interrupted comparison reports none of them.
 */
static const char *const long_run[] = {
	"run", "squares", "-b", "sequential,threads,processes", "-w", "1,2",
	"-n", "200K", "--cost", "50", "-r", "60", "-f", "csv", "--progress",
	"--no-interleave", NULL
};

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void check_stop(int sig, int status, const char *says)
{
	int shm_before = harness_shm_entries();
	struct tvp_output o = { 0 };
	struct tvp_proc p;
	double sent;

	CU_ASSERT_EQUAL_FATAL(harness_tvp_start(&p, NULL, long_run, 1), 0);
	/* the progress line of the second cell: the first has completed */
	CU_ASSERT_EQUAL_FATAL(harness_tvp_wait_err(&p, &o, "[2/"), 0);
	sent = clock_now();
	CU_ASSERT_EQUAL(kill(p.pid, sig), 0);
	CU_ASSERT_EQUAL_FATAL(harness_tvp_finish(&p, &o), 0);
	CU_ASSERT(clock_now() - sent < STOP_WITHIN_S);
	CU_ASSERT_EQUAL(o.status, status);
	/* the header and at least the first, completed, cell */
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "\nsquares,default,sequential,1,"));
	CU_ASSERT(count_lines(o.out) >= 2);
	CU_ASSERT_PTR_NULL(strstr(o.out, ",no,"));	/* no half-measured row */
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, says));
	/* the CSV says it is partial, in a trailer CSV readers skip */
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "\n# partial: interrupted by "));
	CU_ASSERT_EQUAL(harness_session_left(o.sid, GONE_WITHIN_S), 0);
	CU_ASSERT_EQUAL(harness_shm_entries(), shm_before);
}

static void test_sigint_reports_completed_cells_and_exits_130(void)
{
	check_stop(SIGINT, 130, "run interrupted by SIGINT");
}

static void test_sigterm_reports_completed_cells_and_exits_143(void)
{
	check_stop(SIGTERM, 143, "run interrupted by SIGTERM");
}

/* a fixed-seed generator, so a failing round can be replayed */
static uint64_t next_random(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 33;
}

/*
 * Every other round a worker hangs (TVP_FAULT=stall): its runner then waits
 * for it forever and writes nothing, so only PR_SET_PDEATHSIG can end them;
 * in the other rounds a runner would also die of SIGPIPE at its next report.
 */
static void test_sigkill_of_the_driver_leaves_no_process_or_shm(void)
{
	static const char *const run[] = {
		"run", "squares", "-b", "processes", "-w", "2-4", "-n", "100K",
		"--cost", "20", "-r", "1000", NULL
	};
	/* a short sequential reference first, then the hang */
	static const char *const run_hang[] = {
		"run", "squares", "-b", "processes", "-w", "2-4", "-n", "1000",
		"-r", "2", NULL
	};
	static const char *const hang[] = {
		"TVP_FAULT=stall:worker=1,backend=processes", NULL
	};
	int shm_before = harness_shm_entries();
	uint64_t seed = 42;

	for (int i = 0; i < KILL_ROUNDS; i++) {
		long ms = (long)(next_random(&seed) % MAX_KILL_DELAY_MS);
		struct timespec delay = { ms / 1000, (ms % 1000) * 1000000L };
		struct tvp_proc p;
		int status;

		CU_ASSERT_EQUAL_FATAL(harness_tvp_start(&p, i % 2 ? hang : NULL,
							i % 2 ? run_hang : run, 0), 0);
		/* a random moment: start-up, set-up, between or inside repetitions */
		nanosleep(&delay, NULL);
		CU_ASSERT_EQUAL(kill(p.pid, SIGKILL), 0);
		CU_ASSERT_EQUAL(waitpid(p.pid, &status, 0), p.pid);
		CU_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		if (harness_session_left(p.pid, GONE_WITHIN_S) != 0) {
			fprintf(stderr, "\nround %d (killed after %ld ms): processes survived\n",
				i, ms);
			CU_FAIL("every runner and worker dies with the driver");
		}
		CU_ASSERT_EQUAL(harness_shm_entries(), shm_before);
	}
}

static void test_sigint_json_says_it_is_partial(void)
{
	static const char *const run[] = {
		"run", "squares", "-b", "sequential,threads", "-w", "1,2",
		"-n", "200K", "--cost", "50", "-r", "60", "-f", "json",
		"--progress", "--no-interleave", NULL	/* see long_run */
	};
	struct tvp_output o = { 0 };
	struct tvp_proc p;

	CU_ASSERT_EQUAL_FATAL(harness_tvp_start(&p, NULL, run, 1), 0);
	CU_ASSERT_EQUAL_FATAL(harness_tvp_wait_err(&p, &o, "[2/"), 0);
	CU_ASSERT_EQUAL(kill(p.pid, SIGINT), 0);
	CU_ASSERT_EQUAL_FATAL(harness_tvp_finish(&p, &o), 0);
	CU_ASSERT_EQUAL(o.status, 130);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "\"partial\": true,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "\"partial_reason\": \"interrupted by SIGINT"));
}

/*
 * What tvp starts beyond its own workers: CPython's pool processes (a
 * python-processes cell: driver, runner, interpreter and its W workers)
 * and Open MPI's mpirun and ranks (mpi: driver, runner, guard, mpirun and
 * W ranks). SIGKILL the driver once all of them are up, at a different
 * point of the run each round: nothing of the session and no segment in
 * /dev/shm may outlive it.
 */
struct kill_case {
	const char *backend;
	int up;				/* processes in the session once running */
	const char *const *args;
};

static int kill_case_unavailable(const struct kill_case *k)
{
	const struct backend *be = backend_find(k->backend);
	const char *why = be && be->unavailable ? be->unavailable() : NULL;

	if (why)
		fprintf(stderr, "\n  kill of %s skipped: %s\n", k->backend, why);
	return why != NULL;
}

/* one round; 0 if nothing was left */
static int kill_round(const struct kill_case *k, int round, uint64_t *seed)
{
	long ms = (long)(next_random(seed) % MAX_KILL_DELAY_MS);
	struct timespec poll_gap = { 0, 5 * 1000 * 1000 };
	struct timespec delay = { 0, ms * 1000000L };
	int shm_before = harness_shm_foreign_entries(), status, left, up;
	double deadline = clock_now() + GONE_WITHIN_S * 4;
	struct tvp_proc p;

	CU_ASSERT_EQUAL_FATAL(harness_tvp_start(&p, NULL, k->args, 0), 0);
	/* synchronised on what runs (bounded), then a random moment later */
	while ((up = harness_session_size(p.pid)) < k->up && clock_now() < deadline)
		nanosleep(&poll_gap, NULL);
	if (up < k->up)
		fprintf(stderr, "\n%s round %d: %d processes up, never %d\n",
			k->backend, round, up, k->up);
	CU_ASSERT(up >= k->up);
	nanosleep(&delay, NULL);
	CU_ASSERT_EQUAL(kill(p.pid, SIGKILL), 0);
	CU_ASSERT_EQUAL(waitpid(p.pid, &status, 0), p.pid);
	left = harness_session_left(p.pid, GONE_WITHIN_S);
	deadline = clock_now() + GONE_WITHIN_S;
	while (harness_shm_foreign_entries() > shm_before && clock_now() < deadline)
		nanosleep(&poll_gap, NULL);
	if (left || harness_shm_foreign_entries() > shm_before)
		fprintf(stderr, "\n%s round %d (killed %ld ms after start-up): %d processes, %d /dev/shm entries left\n",
			k->backend, round, ms, left,
			harness_shm_foreign_entries() - shm_before);
	return left || harness_shm_foreign_entries() > shm_before;
}

static void test_sigkill_leaves_no_python_pool_or_mpi_rank(void)
{
	static const char *const py[] = {
		"run", "fetch", "-b", "python-processes", "-w", "2", "-n", "8",
		"--latency", "10ms", "-r", "20", "--warmup", "0", NULL
	};
	static const char *const mpi[] = {
		"run", "squares", "-b", "mpi", "-w", "2", "-n", "100K",
		"--cost", "50", "-r", "100", "--warmup", "0", NULL
	};
	static const struct kill_case cases[] = {
		{ "python-processes", 5, py },
		{ "mpi", 6, mpi },
	};
	uint64_t seed = 42;

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		if (kill_case_unavailable(&cases[c]))
			continue;
		for (int i = 0; i < KILL_ROUNDS_FOREIGN; i++)
			CU_ASSERT_EQUAL(kill_round(&cases[c], i, &seed), 0);
	}
}

/* Open MPI's teardown of 64 ranks outlasts any grace: the timeout still leaves nothing */
static void test_mpi_timeout_of_many_ranks_leaves_nothing(void)
{
	static const char *const env[] = { "TVP_FAULT=stall:worker=1,backend=mpi", NULL };
	static const char *const run[] = {
		"run", "squares", "-b", "mpi", "-w", "64", "-n", "100", "-r", "1",
		"--warmup", "0", "--timeout", "5", "-f", "csv", NULL
	};
	const struct kill_case k = { "mpi", 0, run };
	int shm_before = harness_shm_foreign_entries();
	struct tvp_output o;

	if (kill_case_unavailable(&k))
		return;
	CU_ASSERT_EQUAL_FATAL(harness_tvp_env(&o, env, run), 0);
	CU_ASSERT_EQUAL(o.status, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "timed out"));
	/* the driver waited for the clean-up: nothing is left as it exits */
	CU_ASSERT_EQUAL(harness_session_left(o.sid, 0), 0);
	CU_ASSERT_EQUAL(harness_shm_foreign_entries(), shm_before);
}

static void test_watchdog_kills_a_hung_cell_within_timeout_plus_1s(void)
{
	static const char *const env[] = {
		"TVP_FAULT=stall:worker=1,backend=processes", NULL
	};
	static const char *const run[] = {
		"run", "squares", "-b", "processes", "-w", "2", "-n", "1000",
		"-r", "1", "--timeout", "1", "-f", "csv",
		"--retries", "0", NULL	/* no waiting for a quiet moment */
	};
	struct tvp_output o;
	double t0 = clock_now(), took;

	CU_ASSERT_EQUAL_FATAL(harness_tvp_env(&o, env, run), 0);
	took = clock_now() - t0;
	CU_ASSERT_EQUAL(o.status, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "timed out: a repetition ran longer than 1s"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "\nsquares,default,sequential,1,"));
	/* the whole run, sequential cell included, within S + 1 */
	CU_ASSERT(took >= 1.0 && took < 2.0);
	CU_ASSERT_EQUAL(harness_session_left(o.sid, GONE_WITHIN_S), 0);
}

SUITE(signals,
      TEST(test_sigint_reports_completed_cells_and_exits_130),
      TEST(test_sigterm_reports_completed_cells_and_exits_143),
      TEST(test_sigkill_of_the_driver_leaves_no_process_or_shm),
      TEST(test_sigint_json_says_it_is_partial),
      TEST(test_sigkill_leaves_no_python_pool_or_mpi_rank),
      TEST(test_mpi_timeout_of_many_ranks_leaves_nothing),
      TEST(test_watchdog_kills_a_hung_cell_within_timeout_plus_1s))
