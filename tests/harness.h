/*
 * harness.h - one CUnit runner for every tests/test_*.c.
 *
 * Each test file ends with SUITE(name, TEST(fn), ...): a constructor adds
 * the suite to the registry, so adding a test file edits nothing else.
 * Run one suite with `bin/tvp-tests NAME`.
 */
#ifndef TVP_HARNESS_H
#define TVP_HARNESS_H

#include <CUnit/CUnit.h>
#include <stdint.h>
#include <sys/types.h>

#include "tvp.h"

struct suite_def {
	const char *name;
	CU_TestInfo *tests;
};

void harness_add(const struct suite_def *s);

#define TEST(fn) { #fn, fn }
#define SUITE(sname, ...)                                                   \
	static CU_TestInfo sname##_tests[] = { __VA_ARGS__, CU_TEST_INFO_NULL }; \
	__attribute__((constructor)) static void sname##_register(void)     \
	{                                                                    \
		static const struct suite_def def = { #sname, sname##_tests }; \
		harness_add(&def);                                           \
	}

/*
 * A cell of workload `wl` on back end `be`, parameters (the workload's and
 * the back end's) at their defaults except `opts`, "name=value" strings
 * ending in NULL. Asserts it is valid.
 */
struct cell harness_cell(const char *wl, const char *be, const char *variant,
			 int workers, uint64_t size, const char *const *opts);
/* setup, the sequential reference, verify (asserted YES), in this process;
 * the state stays for the test to look at, then teardown is the test's */
void harness_reference(struct cell *c);
/* setup, one run, verify, teardown, in this process: the verdict, or -1 */
int harness_run(struct cell *c, char *detail, size_t len);

/*
 * Run bin/tvp (TVP_BIN) with args, in a session of its own so that every
 * process it starts can be found afterwards; capture both streams; exit
 * status. A sanitizer report on its stderr fails the calling test.
 */
struct tvp_output {
	int status;		/* exit code, or 128+signal */
	pid_t sid;		/* its session: tvp's pid */
	char out[65536];
	char err[8192];
};
int harness_tvp(struct tvp_output *o, const char *const *args);
/* the same with "NAME=VALUE" strings added to its environment */
int harness_tvp_env(struct tvp_output *o, const char *const *env,
		    const char *const *args);

/* a tvp still running, for tests that signal it */
struct tvp_proc {
	pid_t pid;		/* also its session and process group */
	int out, err;		/* its stdout and stderr, or -1 (to /dev/null) */
};
int harness_tvp_start(struct tvp_proc *p, const char *const *env,
		      const char *const *args, int capture);
/* read until stderr contains `text` (it stays in o->err); 0, or -1 at EOF */
int harness_tvp_wait_err(struct tvp_proc *p, struct tvp_output *o,
			 const char *text);
/* read both streams to the end, reap tvp; 0 or -1 */
int harness_tvp_finish(struct tvp_proc *p, struct tvp_output *o);
/*
 * Processes of session sid still alive after waiting up to wait_s for them
 * to go; any that are left are then killed, so one failure stays one.
 */
int harness_session_left(pid_t sid, double wait_s);

/* entries in /dev/shm whose name contains "tvp" */
int harness_shm_entries(void);
/* and those of what tvp starts: CPython's semaphores, Open MPI's directory */
int harness_shm_foreign_entries(void);

/* live processes in session sid now */
int harness_session_size(pid_t sid);

/* harness_tvp() with tvp's stdout on the file at path (/dev/full) */
int harness_tvp_to(struct tvp_output *o, const char *path,
		   const char *const *args);

#endif
