/*
 * test_cli_bad.c - hostile and mistaken command lines: each is refused
 * before anything runs with exit status 2, nothing on stdout, and one line
 * on stderr that names the bad argument. Limits too: more workers than the
 * kernel will start, sizes that do not fit in memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tests/harness.h"

#define MAX_BAD_ARGS 12

/* gcc says so with macros, clang with __has_feature */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SANITIZED_BUILD 1
#endif
#endif
#ifndef SANITIZED_BUILD
#define SANITIZED_BUILD 0
#endif

struct bad_line {
	const char *args[MAX_BAD_ARGS];	/* after "tvp", NULL-terminated */
	const char *names;		/* stderr must contain this */
};

static const struct bad_line bad_lines[] = {
	/* commands */
	{ { NULL }, "usage" },
	{ { "frobnicate", NULL }, "'frobnicate': unknown command" },
	{ { "", NULL }, "unknown command" },
	{ { "list", "extra", NULL }, "extra: unexpected argument; 'list' takes none" },
	{ { "info", "extra", NULL }, "extra: unexpected argument; 'info' takes none" },
	{ { "--version", "x", NULL }, "x: unexpected argument; '--version' takes none" },
	{ { "-v", "x", NULL }, "x: unexpected argument" },
	{ { "--help", "x", NULL }, "x: unexpected argument; '--help' takes none" },
	{ { "help", "x", NULL }, "x: unexpected argument; 'help' takes none" },
	{ { "run", "--help", "x", NULL }, "x: unexpected argument; 'tvp run --help'" },
	{ { "run", "squares", "--help", NULL }, "squares: unexpected argument" },
	{ { "run", NULL }, "WORKLOAD: missing" },
	{ { "run", "nosuch", NULL }, "WORKLOAD" },
	{ { "run", "squares,,squares", NULL }, "WORKLOAD" },
	{ { "run", ",squares", NULL }, "WORKLOAD" },
	{ { "run", "squares", "extra", NULL }, "extra: unexpected argument" },
	{ { "run", "squares", "--nosuch", NULL }, "--nosuch: unknown option" },
	{ { "run", "squares", "-x", NULL }, "-x: unknown option" },
	{ { "run", "squares", "-zz", NULL }, "-z (in '-zz'): unknown option" },
	{ { "run", "squares", "-r2", "-zz", NULL }, "-z (in '-zz'): unknown option" },
	/* every option once, as -r */
	{ { "run", "squares", "-r", "2", "-r", "3", NULL },
	  "-r/--reps: given more than once (again with '3')" },
	{ { "run", "squares", "--cost", "abc", "--cost", "5", NULL },
	  "--cost: given more than once (again with '5')" },
	{ { "run", "squares", "-w", "1", "--workers", "2", NULL },
	  "-w/--workers: given more than once" },
	{ { "run", "squares", "--timeout", "5", "--timeout", "5", NULL },
	  "--timeout: given more than once" },
	/* prodcons runs P + C workers: -w must agree */
	{ { "run", "prodcons", "-w", "2", "--producers", "5", "--consumers", "5",
	    "-n", "10", NULL },
	  "--producers 5 --consumers 5: prodcons runs P + C = 10 workers, but -w asks for 2; give -w 10" },
	{ { "run", "prodcons", "-w", "2", "--producers", "2", "-n", "10", NULL },
	  "--producers 2: leaves no consumer in -w 2" },
	{ { "run", "prodcons", "-w", "1-3", "--consumers", "2", "-n", "10", NULL },
	  "--consumers 2: leaves no producer in -w 1" },
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
	/* every output name checked, the accepted extensions named */
	{ { "run", "squares", "-o", "report.xyz", NULL },
	  "'report.xyz': unknown extension; expected one of .csv .json .md .txt .html" },
	{ { "run", "squares", "-o", "a.csv", "-o", "b.pdf", NULL }, "'b.pdf'" },
	{ { "run", "squares", "-f", "csv", "-o", "r.html", NULL }, "looks like html" },
	{ { "run", "squares", "--columns", "median,nosuch", NULL },
	  "unknown column 'nosuch'" },
	{ { "run", "squares", "--columns", "", NULL }, "--columns" },
	{ { "run", "squares", "--columns", "W,,median", NULL }, "--columns" },
	/* compare: usage, and what it cannot read */
	{ { "compare", NULL }, "expected two files" },
	{ { "compare", "a.json", "b.json", "--fail-if-slower", "x", NULL },
	  "--fail-if-slower" },
	{ { "compare", "a.json", "b.json", "--threshold", "-1", NULL }, "--threshold" },
	{ { "compare", "/nonexistent.json", "b.json", NULL }, "/nonexistent.json" },
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
	/* back-end options: a bad value, or their back end not in -b */
	{ { "run", "squares", "-b", "openmp", "--schedule", "auto", NULL }, "--schedule" },
	{ { "run", "squares", "-b", "threads", "--schedule", "dynamic", NULL }, "--schedule: an option of back end openmp" },
	{ { "run", "counter", "-b", "processes", "--mutex", "sturdy", NULL }, "--mutex" },
	{ { "run", "counter", "-b", "sequential,openmp", "--mutex", "robust", NULL }, "--mutex: an option of back ends threads, processes" },
	{ { "run", "counter", "-b", "threads", "--mutex", "plain", NULL }, "--mutex: expected one of private|shared|robust, got 'plain' (back end threads)" },
	{ { "run", "counter", "-b", "processes", "--lock", "omp-lock", NULL }, "--lock: an option of back end openmp" },
	{ { "run", "counter", "-b", "openmp", "--lock", "critical", "--lock", "omp-lock", NULL }, "--lock: given more than once" },
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

/* 100 KB of option: the message echoes its start and still says what is wrong */
static void test_cli_huge_unknown_option_is_cut_not_its_explanation(void)
{
	static char huge[100 * 1000];
	const char *args[] = { "run", "squares", huge, NULL };
	struct tvp_output o;

	memset(huge, 'x', sizeof(huge) - 1);
	huge[0] = huge[1] = '-';
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL(o.status, 2);
	CU_ASSERT_STRING_EQUAL(o.out, "");
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "--xxxx"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "...: unknown option (see 'tvp run --help'"));
	CU_ASSERT(strlen(o.err) < 300);
}

/* RLIMIT_AS is inherited: lower it for the child, as for RLIMIT_NPROC */
static void test_cli_refuses_a_size_beyond_rlimit_as(void)
{
	/* 300M squares need 2.2 GiB; the limit leaves tvp 1 GiB */
	static const char *const args[] = { "run", "squares", "-n", "300M", NULL };
	struct rlimit saved, low;
	struct tvp_output o;

#if SANITIZED_BUILD
	/* a sanitized tvp reserves terabytes of shadow: no ulimit -v for it */
	fprintf(stderr, "\n  skipped: a sanitizer build cannot run under ulimit -v\n");
	return;
#endif
	CU_ASSERT_EQUAL_FATAL(getrlimit(RLIMIT_AS, &saved), 0);
	low = saved;
	low.rlim_cur = (rlim_t)1 << 30;
	CU_ASSERT_EQUAL_FATAL(setrlimit(RLIMIT_AS, &low), 0);
	CU_ASSERT_EQUAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL_FATAL(setrlimit(RLIMIT_AS, &saved), 0);
	CU_ASSERT_EQUAL(o.status, 2);
	CU_ASSERT_STRING_EQUAL(o.out, "");
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "--size: squares with -n 300000000 needs"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "RLIMIT_AS"));
}

/* what cannot be written is exit 1 with a message, never a silent 0 */
static void test_cli_full_stdout_or_output_file_exits_1_naming_it(void)
{
	static const char *const list[] = { "list", NULL };
	static const char *const info[] = { "info", NULL };
	static const char *const version[] = { "--version", NULL };
	static const char *const run[] = { "run", "squares", "-b", "threads",
		"-w", "1", "-n", "100", "-r", "1", "--warmup", "0", NULL };
	static const char *const run_o[] = { "run", "squares", "-b", "threads",
		"-w", "1", "-n", "100", "-r", "1", "--warmup", "0",
		"-o", "/dev/full", NULL };
	const char *const *full[] = { list, info, version, run };
	struct tvp_output o;

	for (size_t i = 0; i < sizeof(full) / sizeof(full[0]); i++) {
		CU_ASSERT_EQUAL_FATAL(harness_tvp_to(&o, "/dev/full", full[i]), 0);
		CU_ASSERT_EQUAL(o.status, 1);
		CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "to standard output: No space left on device"));
	}
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, run_o), 0);
	CU_ASSERT_EQUAL(o.status, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "writing the report to '/dev/full': No space left on device"));
}

/* "-o -" is stdout, so one run can fill a table on screen and a file */
static void test_cli_output_dash_is_stdout_beside_a_file(void)
{
	char path[] = "/tmp/tvp-dash-XXXXXX", file[64];
	static const char *args[] = { "run", "squares", "-b", "sequential",
		"-n", "100", "-r", "1", "--warmup", "0", "-o", "-", "-o", NULL,
		NULL };
	struct tvp_output o;
	FILE *f;
	char line[4096] = "";

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(path));
	snprintf(file, sizeof(file), "%s/rows.csv", path);
	args[13] = file;
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "squares,default,sequential,1,100,1,"));
	f = fopen(file, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL(fgets(line, sizeof(line), f));
	CU_ASSERT_PTR_NOT_NULL(fgets(line, sizeof(line), f));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "squares,default,sequential,1,100,1,"));
	fclose(f);
	CU_ASSERT_EQUAL(access("-", F_OK), -1);	/* no file named "-" */
	CU_ASSERT_EQUAL(unlink(file), 0);
	CU_ASSERT_EQUAL(rmdir(path), 0);
}

SUITE(cli_bad,
      TEST(test_cli_bad_lines_exit_2_with_nothing_on_stdout),
      TEST(test_cli_refuses_more_workers_than_rlimit_nproc),
      TEST(test_cli_refuses_a_size_beyond_memory_naming_it),
      TEST(test_cli_huge_unknown_option_is_cut_not_its_explanation),
      TEST(test_cli_refuses_a_size_beyond_rlimit_as),
      TEST(test_cli_full_stdout_or_output_file_exits_1_naming_it),
      TEST(test_cli_output_dash_is_stdout_beside_a_file))
