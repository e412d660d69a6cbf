/*
 * test_cli_bad.c - hostile and mistaken command lines: each is refused
 * before anything runs with exit status 2, nothing on stdout, and one line
 * on stderr that names the bad argument. Limits too: more workers than the
 * kernel will start, sizes that do not fit in memory.
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "harness.h"

#define MAX_BAD_ARGS 12

struct bad_line {
	const char *args[MAX_BAD_ARGS];	/* after "tvp", NULL-terminated */
	const char *names;		/* stderr must contain this */
};

static const struct bad_line bad_lines[] = {
	/* commands */
	{ { NULL }, "usage" },
	{ { "frobnicate", NULL }, "'frobnicate': unknown command" },
	{ { "", NULL }, "unknown command" },
	{ { "list", "extra", NULL }, "list: takes no arguments" },
	{ { "info", "extra", NULL }, "info: takes no arguments" },
	{ { "run", NULL }, "WORKLOAD: missing" },
	{ { "run", "nosuch", NULL }, "WORKLOAD" },
	{ { "run", "squares,,squares", NULL }, "WORKLOAD" },
	{ { "run", ",squares", NULL }, "WORKLOAD" },
	{ { "run", "squares", "extra", NULL }, "extra: unexpected argument" },
	{ { "run", "squares", "--nosuch", NULL }, "--nosuch: unknown option" },
	{ { "run", "squares", "-x", NULL }, "-x: unknown option" },
	/* worker lists */
	{ { "run", "squares", "-w", "0", NULL }, "--workers" },
	{ { "run", "squares", "-w", "1025", NULL }, "--workers" },
	{ { "run", "squares", "-w", "4-2", NULL }, "--workers" },
	{ { "run", "squares", "-w", "1,,2", NULL }, "--workers" },
	{ { "run", "squares", "-w", ",1", NULL }, "--workers" },
	{ { "run", "squares", "-w", "1-", NULL }, "--workers" },
	{ { "run", "squares", "-w", "-1", NULL }, "--workers" },
	{ { "run", "squares", "-w", "two", NULL }, "--workers" },
	{ { "run", "squares", "-w", "99999999999999999999999", NULL }, "--workers" },
	{ { "run", "squares", "-w", "1-1000000", NULL }, "--workers" },
	{ { "run", "squares", "-w", NULL }, "-w: this option needs a value" },
	/* sizes */
	{ { "run", "squares", "-n", "-1", NULL }, "--size" },
	{ { "run", "squares", "-n", "1.5", NULL }, "--size" },
	{ { "run", "squares", "-n", "10X", NULL }, "--size" },
	{ { "run", "squares", "-n", "", NULL }, "--size" },
	{ { "run", "squares", "-n", "0x10", NULL }, "--size" },
	{ { "run", "squares", "-n", " 5", NULL }, "--size" },
	{ { "run", "squares", "-n", "99999999999999999999", NULL }, "--size" },
	{ { "run", "squares", "-n", "18446744073709551615G", NULL }, "--size" },
	/* does not fit in this machine's memory */
	{ { "run", "squares", "-n", "1000G", NULL }, "--size" },
	{ { "run", "squares", "-n", "4611686018427387903", NULL }, "--size" },
	/* repetitions, format, output, timeout, seed */
	{ { "run", "squares", "-r", "0", NULL }, "--reps" },
	{ { "run", "squares", "-r", "1001", NULL }, "--reps" },
	{ { "run", "squares", "--warmup", "101", NULL }, "--warmup" },
	{ { "run", "squares", "-f", "xml", NULL }, "--format" },
	{ { "run", "squares", "-f", "", NULL }, "--format" },
	{ { "run", "squares", "-o", "", NULL }, "--output" },
	{ { "run", "squares", "-n", "10", "-o", "/nonexistent/dir/out.csv", NULL },
	  "--output" },
	{ { "run", "squares", "--timeout", "0", NULL }, "--timeout" },
	{ { "run", "squares", "--timeout", "-1", NULL }, "--timeout" },
	{ { "run", "squares", "--timeout", "nan", NULL }, "--timeout" },
	{ { "run", "squares", "--timeout", "inf", NULL }, "--timeout" },
	{ { "run", "squares", "--timeout", "1e9", NULL }, "--timeout" },
	{ { "run", "squares", "--timeout", "1s", NULL }, "--timeout" },
	{ { "run", "squares", "--seed", "-1", NULL }, "--seed" },
	{ { "run", "squares", "--seed", "x", NULL }, "--seed" },
	/* back ends, variants, workload options */
	{ { "run", "squares", "-b", "nosuch", NULL }, "--backends" },
	{ { "run", "squares", "-b", "threads,,openmp", NULL }, "--backends" },
	{ { "run", "squares", "-b", "", NULL }, "--backends" },
	{ { "run", "squares", "-V", "nosuch", NULL }, "--variants" },
	{ { "run", "squares", "-V", "", NULL }, "--variants" },
	{ { "run", "squares", "--cost", "-1", NULL }, "--cost" },
	{ { "run", "squares", "--cost", "1000001", NULL }, "--cost" },
	{ { "run", "squares", "--cost", "", NULL }, "--cost" },
	{ { "run", "squares", "--schedule", "auto", NULL }, "--schedule" },
	{ { "run", "squares", "--schedule", "", NULL }, "--schedule" },
	{ { "run", "squares", "--cost", NULL }, "--cost: this option needs a value" },
};

/* " 'run' 'squares' '-w' '0'", for a failure message */
static const char *joined(const char *const *args, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	for (; *args && used < len; args++)
		used += (size_t)snprintf(buf + used, len - used, " '%s'", *args);
	return buf;
}

static void test_cli_bad_lines_exit_2_with_nothing_on_stdout(void)
{
	size_t n = sizeof(bad_lines) / sizeof(bad_lines[0]);

	CU_ASSERT(n >= 40);
	for (size_t i = 0; i < n; i++) {
		const struct bad_line *b = &bad_lines[i];
		struct tvp_output o;
		char line[512];

		CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, b->args), 0);
		if (o.status != 2 || o.out[0] || !strstr(o.err, b->names))
			fprintf(stderr, "\ntvp%s: exit %d\nstdout: %.200s\nstderr: %s\n",
				joined(b->args, line, sizeof(line)), o.status,
				o.out, o.err);
		CU_ASSERT_EQUAL(o.status, 2);
		CU_ASSERT_STRING_EQUAL(o.out, "");
		CU_ASSERT_PTR_NOT_NULL(strstr(o.err, b->names));
		CU_ASSERT_EQUAL(harness_session_left(o.sid, 2.0), 0);
	}
}

/* RLIMIT_NPROC is inherited: lower it here for the child, then restore it */
static void test_cli_refuses_more_workers_than_rlimit_nproc(void)
{
	static const char *const args[] = { "run", "squares", "-b", "threads",
					    "-w", "8", "-n", "10", NULL };
	struct rlimit saved, low;
	struct tvp_output o;

	CU_ASSERT_EQUAL_FATAL(getrlimit(RLIMIT_NPROC, &saved), 0);
	low = saved;
	low.rlim_cur = 6;
	if (saved.rlim_max != RLIM_INFINITY && saved.rlim_max < low.rlim_cur)
		low.rlim_cur = saved.rlim_max;
	CU_ASSERT_EQUAL_FATAL(setrlimit(RLIMIT_NPROC, &low), 0);
	CU_ASSERT_EQUAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL_FATAL(setrlimit(RLIMIT_NPROC, &saved), 0);
	CU_ASSERT_EQUAL(o.status, 2);
	CU_ASSERT_STRING_EQUAL(o.out, "");
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "--workers: 8 workers need 10"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "RLIMIT_NPROC"));
}

static void test_cli_refuses_a_size_beyond_memory_naming_it(void)
{
	static const char *const args[] = { "run", "squares", "-n", "1000G", NULL };
	struct tvp_output o;

	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL(o.status, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "--size: squares with -n 1000000000000 needs"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "choose a smaller -n"));
}

SUITE(cli_bad,
      TEST(test_cli_bad_lines_exit_2_with_nothing_on_stdout),
      TEST(test_cli_refuses_more_workers_than_rlimit_nproc),
      TEST(test_cli_refuses_a_size_beyond_memory_naming_it))
