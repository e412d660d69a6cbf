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

#include "clock.h"
#include "harness.h"

#define STOP_WITHIN_S 2.0	/* issue 9: SIGINT mid-run exits within 2 s */
#define KILL_ROUNDS 20
#define MAX_KILL_DELAY_MS 250
#define GONE_WITHIN_S 5.0	/* PR_SET_PDEATHSIG is immediate; be generous */

/* a run of many cells long enough to be stopped in the middle */
static const char *const long_run[] = {
	"run", "squares", "-b", "sequential,threads,processes", "-w", "1,2",
	"-n", "200K", "--cost", "50", "-r", "60", "-f", "csv", "--progress",
	NULL
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

static void test_watchdog_kills_a_hung_cell_within_timeout_plus_1s(void)
{
	static const char *const env[] = {
		"TVP_FAULT=stall:worker=1,backend=processes", NULL
	};
	static const char *const run[] = {
		"run", "squares", "-b", "processes", "-w", "2", "-n", "1000",
		"-r", "1", "--timeout", "1", "-f", "csv", NULL
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
      TEST(test_watchdog_kills_a_hung_cell_within_timeout_plus_1s))
