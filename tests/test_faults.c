/*
 * test_faults.c - every injected fault (TVP_FAULT, common/sys/fault.h) on every
 * back end where it applies gives a failed cell with a precise reason, the
 * other cells' rows, exit status 1, no process left in tvp's session and no
 * new /dev/shm entry; and the fault API itself, in this process.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "processes/team.h"
#include "sys/fault.h"
#include "sys/shm.h"
#include "tests/harness.h"
#include "threads/team.h"

#define STALL_TIMEOUT "0.3"	/* --timeout for stalls: short, tests wait it out */

struct fault_case {
	const char *fault;	/* TVP_FAULT, less the backend= filter */
	const char *backend;
	const char *reason;	/* in the detail of the W=2 cell */
	int one_worker_ok;	/* the W=1 cell has no worker 1: it still passes */
};

static const struct fault_case cases[] = {
	{ "kill:worker=1", "threads", "runner killed by SIGKILL (Killed)", 1 },
	{ "kill:worker=1", "processes", "worker 1 killed by SIGKILL (Killed)", 1 },
	{ "kill:worker=1", "openmp", "runner killed by SIGKILL (Killed)", 1 },
	{ "abort:worker=1", "threads", "runner killed by SIGABRT (Aborted)", 1 },
	{ "abort:worker=1", "processes", "worker 1 killed by SIGABRT (Aborted)", 1 },
	{ "abort:worker=1", "openmp", "runner killed by SIGABRT (Aborted)", 1 },
	{ "exit:worker=1,status=3", "threads",
	  "runner exited with status 3 before it finished", 1 },
	{ "exit:worker=1,status=3", "processes", "worker 1 exited with status 3", 1 },
	{ "exit:worker=1,status=3", "openmp",
	  "runner exited with status 3 before it finished", 1 },
	{ "stall:worker=1", "threads",
	  "timed out: a repetition ran longer than " STALL_TIMEOUT "s; runner killed", 1 },
	{ "stall:worker=1", "processes",
	  "timed out: a repetition ran longer than " STALL_TIMEOUT "s; runner killed", 1 },
	{ "stall:worker=1", "openmp",
	  "timed out: a repetition ran longer than " STALL_TIMEOUT "s; runner killed", 1 },
	{ "eagain:create,worker=1", "threads",
	  "pthread_create (worker 1 of 2): Resource temporarily unavailable", 1 },
	{ "eagain:create,worker=1", "processes",
	  "fork (worker 1 of 2): Resource temporarily unavailable", 1 },
	{ "enomem:alloc", "threads", "setup: Cannot allocate memory", 0 },
	{ "enomem:alloc", "processes", "setup: Cannot allocate memory", 0 },
	{ "enomem:alloc", "openmp", "setup: Cannot allocate memory", 0 },
	/* the second allocation: setup must undo the first */
	{ "enomem:alloc,nth=2", "processes", "setup: Cannot allocate memory", 0 },
	/* the third is the supervisor's own, in the timed run */
	{ "enomem:alloc,nth=3", "processes", "mmap: Cannot allocate memory", 0 },
};

/* the CSV row of squares on `be` with `w` workers, or "" */
static const char *csv_row(const char *out, const char *be, int w, char *buf,
			   size_t len)
{
	char key[64];
	const char *p, *end;

	snprintf(key, sizeof(key), "\nsquares,default,%s,%d,", be, w);
	buf[0] = 0;
	p = strstr(out, key);
	if (!p)
		return buf;
	end = strchr(p + 1, '\n');
	snprintf(buf, len, "%.*s", (int)(end ? end - p - 1 : (long)strlen(p + 1)),
		 p + 1);
	return buf;
}

static int verified(const char *row, const char *verdict)
{
	char mark[32];

	snprintf(mark, sizeof(mark), ",%s,", verdict);
	return strstr(row, mark) != NULL;
}

static void check_case(const struct fault_case *k, int shm_before)
{
	char env[128], row[1024];
	const char *envs[] = { env, NULL };
	const char *args[] = { "run", "squares", "-b", k->backend, "-w", "1,2",
			       "-n", "1000", "--cost", "1", "-r", "2",
			       "--timeout", STALL_TIMEOUT, "-f", "csv",
			       "--no-progress", NULL };
	struct tvp_output o;

	snprintf(env, sizeof(env), "TVP_FAULT=%s,backend=%s", k->fault, k->backend);
	CU_ASSERT_EQUAL_FATAL(harness_tvp_env(&o, envs, args), 0);
	csv_row(o.out, k->backend, 2, row, sizeof(row));
	if (o.status != 1 || !verified(row, "no") || !strstr(row, k->reason))
		fprintf(stderr, "\n%s on %s: expected '%s'; exit %d, stdout:\n%s\nstderr:\n%s\n",
			k->fault, k->backend, k->reason, o.status, o.out, o.err);
	CU_ASSERT_EQUAL(o.status, 1);
	CU_ASSERT(verified(row, "no") && strstr(row, k->reason) != NULL);
	CU_ASSERT(verified(csv_row(o.out, "sequential", 1, row, sizeof(row)), "yes"));
	CU_ASSERT(verified(csv_row(o.out, k->backend, 1, row, sizeof(row)),
			   k->one_worker_ok ? "yes" : "no"));
	CU_ASSERT_EQUAL(harness_session_left(o.sid, 5.0), 0);
	CU_ASSERT_EQUAL(harness_shm_entries(), shm_before);
}

static void test_faults_fail_their_cell_with_a_reason_and_nothing_else(void)
{
	int shm_before = harness_shm_entries();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&cases[i], shm_before);
}

static void test_fault_spec_is_checked_before_anything_runs(void)
{
	static const char *const bad[] = {
		"TVP_FAULT=explode", "TVP_FAULT=kill:worker=x",
		"TVP_FAULT=kill:create", "TVP_FAULT=eagain:worker",
		"TVP_FAULT=kill:backend=nosuch", "TVP_FAULT=kill:worker=1,,nth=2",
		"TVP_FAULT=exit:status=256", "TVP_FAULT=enomem:nth=0",
		"TVP_FAULT=kill:colour=red", "TVP_FAULT=kill:",
	};
	const char *args[] = { "run", "squares", "-n", "10", NULL };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *env[] = { bad[i], NULL };
		struct tvp_output o;

		CU_ASSERT_EQUAL_FATAL(harness_tvp_env(&o, env, args), 0);
		CU_ASSERT_EQUAL(o.status, 2);
		CU_ASSERT_STRING_EQUAL(o.out, "");
		CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "TVP_FAULT"));
	}
}

static void test_fault_points_are_inert_without_a_spec(void)
{
	struct cell c = harness_cell("squares", "threads", NULL, 2, 10, NULL);
	char err[256];

	CU_ASSERT_EQUAL(fault_set(NULL, err, sizeof(err)), 0);
	fault_enter(&c);
	for (int w = -1; w < 3; w++) {
		CU_ASSERT_EQUAL(fault_point(&c, FAULT_WORKER, w), 0);
		CU_ASSERT_EQUAL(fault_point(&c, FAULT_CREATE, w), 0);
		CU_ASSERT_EQUAL(fault_point(NULL, FAULT_ALLOC, w), 0);
	}
	CU_ASSERT_EQUAL(fault_set("", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(fault_point(&c, FAULT_CREATE, 0), 0);
}

static void test_fault_filters_pick_only_their_cell(void)
{
	struct cell t = harness_cell("squares", "threads", NULL, 2, 10, NULL);
	struct cell p = harness_cell("squares", "processes", NULL, 2, 10, NULL);
	char err[256];

	CU_ASSERT_EQUAL_FATAL(fault_set("eagain:worker=1,backend=processes,workload=squares,variant=default",
					err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(fault_point(&t, FAULT_CREATE, 1), 0);
	CU_ASSERT_EQUAL(fault_point(&p, FAULT_CREATE, 0), 0);
	CU_ASSERT_EQUAL(fault_point(&p, FAULT_CREATE, 1), EAGAIN);
	CU_ASSERT_EQUAL(fault_point(&p, FAULT_ALLOC, 1), 0);
	fault_set(NULL, err, sizeof(err));
}

/* run one cell in this process under `spec`: it fails, saying `want` */
static void expect_in_process(const char *be, const char *spec, const char *want)
{
	struct cell c = harness_cell("squares", be, NULL, 3, 1000, NULL);
	char err[256], detail[DETAIL_LEN];

	CU_ASSERT_EQUAL_FATAL(fault_set(spec, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(harness_run(&c, detail, sizeof(detail)), -1);
	CU_ASSERT_STRING_EQUAL(detail, want);
	fault_set(NULL, err, sizeof(err));
}

static void test_fault_eagain_fails_pthread_create_and_joins_the_rest(void)
{
	expect_in_process("threads", "eagain:create,worker=2",
			  "pthread_create (worker 2 of 3): Resource temporarily unavailable");
}

static void test_fault_exit_of_a_child_is_reported_with_its_status(void)
{
	expect_in_process("processes", "exit:worker=2,status=9",
			  "worker 2 exited with status 9 before it finished");
	expect_in_process("processes", "kill:worker=0",
			  "worker 0 killed by SIGKILL (Killed)");
	expect_in_process("processes", "eagain:create,worker=1",
			  "fork (worker 1 of 3): Resource temporarily unavailable");
}

static void test_fault_nth_allocation_fails_once_with_enomem(void)
{
	struct cell c = harness_cell("squares", "sequential", NULL, 1, 1000, NULL);
	char err[256];

	CU_ASSERT_EQUAL_FATAL(fault_set("enomem:alloc,nth=2", err, sizeof(err)), 0);
	fault_enter(&c);
	CU_ASSERT_EQUAL(c.wl->setup(&c), -ENOMEM);	/* its second mapping */
	CU_ASSERT_EQUAL(c.wl->setup(&c), 0);		/* once only */
	c.wl->teardown(&c);
	fault_set(NULL, err, sizeof(err));
}

/* a child takes the robust lock and is killed holding it */
static void test_fault_dead_lock_holder_does_not_wedge_the_lock(void)
{
	struct cell c = harness_cell("squares", "processes", NULL, 1, 10, NULL);
	pthread_mutex_t *m = shm_alloc(sizeof(*m));
	char err[256];
	int status;
	pid_t pid;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL_FATAL(shm_mutex_init(m), 0);
	CU_ASSERT_EQUAL_FATAL(fault_set("kill:locked,worker=0", err, sizeof(err)), 0);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		if (shm_mutex_lock(m) == 0)
			fault_point(&c, FAULT_LOCKED, 0);
		_exit(1);	/* not killed: the test fails below */
	}
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	CU_ASSERT_EQUAL(shm_mutex_lock(m), 1);	/* owner died: recovered */
	CU_ASSERT_EQUAL(shm_mutex_unlock(m), 0);
	CU_ASSERT_EQUAL(shm_mutex_lock(m), 0);	/* and an ordinary lock again */
	CU_ASSERT_EQUAL(shm_mutex_unlock(m), 0);
	pthread_mutex_destroy(m);
	shm_free(m, sizeof(*m));
	fault_set(NULL, err, sizeof(err));
}

/*
 * Every (fault, site, back end) tests/README.md lists as firing, with the
 * reason it reads: run under TVP_FAULT_STRICT, so a fault that fired
 * nowhere fails the run on its own; the row must carry the reason, and
 * nothing of the run may be left.
 */
struct site_case {
	const char *spec;	/* less backend= */
	const char *backend, *workload, *variant, *workers, *size;
	const char *reason;
};

static const struct site_case site_cases[] = {
	/* worker: every back end, every workload's team, pool or region */
	{ "kill:worker=0", "sequential", "squares", "default", "1", "1000",
	  "runner killed by SIGKILL (Killed)" },
	{ "kill:worker=1", "openmp", "counter", "atomic", "2", "1000",
	  "runner killed by SIGKILL (Killed)" },
	{ "kill:worker=1", "openmp", "prodcons", "locked", "2", "1000",
	  "runner killed by SIGKILL (Killed)" },
	{ "kill:worker=1", "openmp", "spawn", "start", "2", "10",
	  "runner killed by SIGKILL (Killed)" },
	{ "kill:worker=1", "threads", "fetch", "default", "2", "8",
	  "runner killed by SIGKILL (Killed)" },
	{ "kill:worker=1", "processes", "fetch", "default", "2", "8",
	  "proc_pool_create: No child processes" },
	{ "kill:worker=1", "openmp", "fetch", "default", "2", "8",
	  "runner killed by SIGKILL (Killed)" },
	{ "exit:worker=1,status=0", "processes", "prodcons", "locked", "2", "1000",
	  "worker 1 exited with status 0 before it finished" },
	{ "kill:worker=1", "mpi", "squares", "default", "2", "1000",
	  "mpirun noticed that process rank 1" },
	{ "kill:worker=0", "python-sequential", "squares", "default", "1", "1000",
	  "python3 killed by SIGKILL (Killed)" },
	{ "kill:worker=1", "python-threads", "counter", "mutex", "2", "1000",
	  "python3 killed by SIGKILL (Killed)" },
	{ "kill:worker=1", "python-processes", "prodcons", "locked", "2", "1000",
	  "worker process exited with -9" },
	{ "exit:worker=3,status=4", "python-processes", "fetch", "default", "2", "8",
	  "BrokenProcessPool" },
	/* locked: the counter's locks */
	{ "kill:locked,worker=1", "threads", "counter", "mutex", "2", "1000",
	  "runner killed by SIGKILL (Killed)" },
	{ "kill:locked,worker=1", "processes", "counter", "mutex", "2", "1000",
	  "worker 1 killed by SIGKILL (Killed)" },
	{ "kill:locked,worker=1", "openmp", "counter", "mutex", "2", "1000",
	  "runner killed by SIGKILL (Killed)" },
	{ "kill:locked,worker=1", "mpi", "counter", "mutex", "2", "1000",
	  "mpirun noticed that process rank 1" },
	/* create: teams, pools, spawned programs, mpirun's ranks */
	{ "eagain:create,worker=1", "threads", "prodcons", "locked", "2", "20K",
	  "pthread_create (worker 1 of 2): Resource temporarily unavailable" },
	{ "enomem:create,worker=1", "threads", "prodcons", "spsc", "2", "20K",
	  "pthread_create (worker 1 of 2): Cannot allocate memory" },
	{ "eagain:create,worker=1", "processes", "prodcons", "locked", "2", "20K",
	  "fork (worker 1 of 2): Resource temporarily unavailable" },
	{ "eagain:create,worker=1", "threads", "fetch", "default", "2", "8",
	  "pool_create: Resource temporarily unavailable" },
	{ "eagain:create,worker=1", "processes", "fetch", "default", "2", "8",
	  "proc_pool_create: Resource temporarily unavailable" },
	{ "eagain:create,worker=1", "processes", "spawn", "exec", "2", "10",
	  "posix_spawn" },
	{ "eagain:create,worker=1", "mpi", "squares", "default", "2", "1000",
	  "fork (rank 1 of 2): Resource temporarily unavailable" },
	/* alloc: every back end's setup */
	{ "enomem:alloc", "sequential", "counter", "mutex", "1", "1000",
	  "setup: Cannot allocate memory" },
	{ "enomem:alloc", "mpi", "squares", "default", "2", "1000",
	  "setup: Cannot allocate memory" },
	{ "enomem:alloc", "python-threads", "squares", "default", "2", "1000",
	  "setup: Cannot allocate memory" },
};

/* the same, with a back-end option ("--name=value") choosing the site */
static const struct {
	struct site_case k;
	const char *opt;
} knob_site_cases[] = {
	/* locked: OpenMP's omp_lock_t, its --lock */
	{ { "abort:locked,worker=1", "openmp", "counter", "mutex", "2", "1000",
	    "runner killed by SIGABRT (Aborted)" }, "--lock=omp-lock" },
};

static int site_case_unavailable(const struct site_case *k)
{
	const struct backend *be = backend_find(k->backend);

	return !be || (be->unavailable && be->unavailable());
}

static void check_site_case(const struct site_case *k, const char *opt)
{
	char env[160], row[DETAIL_LEN * 2];
	const char *const envs[] = { env, "TVP_FAULT_STRICT=1", NULL };
	const char *const args[] = { "run", k->workload, "-b", k->backend,
		"-V", k->variant, "-w", k->workers, "-n", k->size, "-r", "1",
		"--warmup", "0", "--timeout", "5", "-f", "csv", opt, NULL };
	int shm_before = harness_shm_foreign_entries();
	struct tvp_output o;
	const char *p;

	snprintf(env, sizeof(env), "TVP_FAULT=%s,backend=%s", k->spec, k->backend);
	CU_ASSERT_EQUAL_FATAL(harness_tvp_env(&o, envs, args), 0);
	snprintf(row, sizeof(row), ",%s,%s,%s,", k->variant, k->backend,
		 k->workers);
	p = strstr(o.out, row);
	if (o.status != 1 || !p || !strstr(p, k->reason) ||
	    strstr(o.err, "matched no fault site"))
		fprintf(stderr, "\n%s on %s %s: exit %d\n%s%s\n", env, k->workload,
			k->variant, o.status, o.out, o.err);
	CU_ASSERT_EQUAL(o.status, 1);
	CU_ASSERT_PTR_NOT_NULL(p);
	CU_ASSERT_PTR_NOT_NULL(p ? strstr(p, k->reason) : NULL);
	CU_ASSERT_PTR_NULL(strstr(o.err, "matched no fault site"));
	CU_ASSERT_EQUAL(harness_session_left(o.sid, 5.0), 0);
	CU_ASSERT_EQUAL(harness_shm_foreign_entries(), shm_before);
}

static void test_every_listed_fault_site_fires_on_its_back_end(void)
{
	for (size_t i = 0; i < sizeof(site_cases) / sizeof(site_cases[0]); i++)
		if (site_case_unavailable(&site_cases[i]))
			fprintf(stderr, "\n  %s skipped: back end unavailable\n",
				site_cases[i].backend);
		else
			check_site_case(&site_cases[i], NULL);
	for (size_t i = 0; i < sizeof(knob_site_cases) / sizeof(knob_site_cases[0]); i++)
		check_site_case(&knob_site_cases[i].k, knob_site_cases[i].opt);
}

/* a spec that matches no site says so; in the tests' mode the run fails */
static void test_fault_that_fires_nowhere_is_reported(void)
{
	static const char *const env[] = {
		"TVP_FAULT=kill:worker=1,backend=processes", NULL };
	static const char *const strict[] = {
		"TVP_FAULT=kill:worker=1,backend=processes", "TVP_FAULT_STRICT=1",
		NULL };
	/* W = 1: there is no worker 1 */
	static const char *const args[] = { "run", "squares", "-b", "processes",
		"-w", "1", "-n", "100", "-r", "1", "--warmup", "0", NULL };
	struct tvp_output o;

	CU_ASSERT_EQUAL_FATAL(harness_tvp_env(&o, env, args), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "TVP_FAULT=kill:worker=1,backend=processes matched no fault site in this run"));
	CU_ASSERT_EQUAL_FATAL(harness_tvp_env(&o, strict, args), 0);
	CU_ASSERT_EQUAL(o.status, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "matched no fault site"));
}

SUITE(faults,
      TEST(test_faults_fail_their_cell_with_a_reason_and_nothing_else),
      TEST(test_fault_spec_is_checked_before_anything_runs),
      TEST(test_fault_points_are_inert_without_a_spec),
      TEST(test_fault_filters_pick_only_their_cell),
      TEST(test_fault_eagain_fails_pthread_create_and_joins_the_rest),
      TEST(test_fault_exit_of_a_child_is_reported_with_its_status),
      TEST(test_fault_nth_allocation_fails_once_with_enomem),
      TEST(test_fault_dead_lock_holder_does_not_wedge_the_lock),
      TEST(test_every_listed_fault_site_fires_on_its_back_end),
      TEST(test_fault_that_fires_nowhere_is_reported))
