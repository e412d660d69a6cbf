/*
 * test_cli.c - the value parsers accept their documented forms and refuse
 * everything else with a message naming the argument; bad command lines
 * exit 2 with nothing on stdout.
 */
#include <string.h>

#include "cli/cli.h"
#include "tests/harness.h"

static void test_cli_parses_worker_number_list_and_range(void)
{
	int w[MAX_WORKER_POINTS];
	size_t n;
	char err[ERR_LEN];

	CU_ASSERT_EQUAL(cli_parse_workers("2", w, &n, err), 0);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(w[0], 2);
	CU_ASSERT_EQUAL(cli_parse_workers("1,2,4", w, &n, err), 0);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL(w[2], 4);
	CU_ASSERT_EQUAL(cli_parse_workers("1-8", w, &n, err), 0);
	CU_ASSERT_EQUAL(n, 8);
	CU_ASSERT_EQUAL(w[7], 8);
	CU_ASSERT_EQUAL(cli_parse_workers("1,3-4,1", w, &n, err), 0);
	CU_ASSERT_EQUAL(n, 3);	/* duplicates count once */
}

static void test_cli_rejects_bad_worker_range(void)
{
	static const char *const bad[] = {
		"", "0", "-1", "4-2", "1,,2", ",1", "1,", "x", "1-", "-3",
		"2.5", "1025", "1-2000", " 2", "2 ", "1;2",
	};
	int w[MAX_WORKER_POINTS];
	size_t n;
	char err[ERR_LEN];

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		err[0] = 0;
		CU_ASSERT_EQUAL(cli_parse_workers(bad[i], w, &n, err), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "--workers"));
	}
}

static void test_cli_parses_sizes_with_suffixes(void)
{
	uint64_t v;
	char err[ERR_LEN];

	CU_ASSERT_EQUAL(parse_size("0", "-n", 0, UINT64_MAX, &v, err), 0);
	CU_ASSERT_EQUAL(v, 0);
	CU_ASSERT_EQUAL(parse_size("500K", "-n", 0, UINT64_MAX, &v, err), 0);
	CU_ASSERT_EQUAL(v, 500000);
	CU_ASSERT_EQUAL(parse_size("10M", "-n", 0, UINT64_MAX, &v, err), 0);
	CU_ASSERT_EQUAL(v, 10000000);
	CU_ASSERT_EQUAL(parse_size("3G", "-n", 0, UINT64_MAX, &v, err), 0);
	CU_ASSERT_EQUAL(v, 3000000000ULL);
	CU_ASSERT_EQUAL(parse_size("7k", "-n", 0, UINT64_MAX, &v, err), 0);
	CU_ASSERT_EQUAL(v, 7000);
}

static void test_cli_rejects_bad_sizes(void)
{
	static const char *const bad[] = {
		"", "-5", "1.5M", "10X", "M", "1MM", "0x10", "99999999999999999999",
		"20000000000G", " 1", "1 ",
	};
	uint64_t v;
	char err[ERR_LEN];

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		CU_ASSERT_EQUAL(parse_size(bad[i], "--size", 0, UINT64_MAX, &v,
					       err), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "--size"));
	}
}

static void test_cli_parses_durations_in_ms(void)
{
	double v;
	char err[ERR_LEN];

	CU_ASSERT_EQUAL(parse_ms("50ms", "--latency", 0, 1e6, &v, err), 0);
	CU_ASSERT_DOUBLE_EQUAL(v, 50, 1e-9);
	CU_ASSERT_EQUAL(parse_ms("1.5s", "--latency", 0, 1e6, &v, err), 0);
	CU_ASSERT_DOUBLE_EQUAL(v, 1500, 1e-9);
	CU_ASSERT_EQUAL(parse_ms("250us", "--latency", 0, 1e6, &v, err), 0);
	CU_ASSERT_DOUBLE_EQUAL(v, 0.25, 1e-9);
	CU_ASSERT_EQUAL(parse_ms("20", "--latency", 0, 1e6, &v, err), 0);
	CU_ASSERT_DOUBLE_EQUAL(v, 20, 1e-9);
	CU_ASSERT_EQUAL(parse_ms("5min", "--latency", 0, 1e6, &v, err), -1);
	CU_ASSERT_EQUAL(parse_ms("-1ms", "--latency", 0, 1e6, &v, err), -1);
}

static void test_cli_run_fills_config(void)
{
	char *argv[] = { "run", "squares", "-b", "threads,openmp", "-w", "1-3",
			 "-n", "2K", "-r", "7", "--warmup", "0", "-f", "json",
			 "--cost", "9", "--timeout", "2.5", NULL };
	struct config cfg;
	char err[ERR_LEN] = "";

	CU_ASSERT_EQUAL_FATAL(cli_parse_run(18, argv, &cfg, err), 0);
	CU_ASSERT_EQUAL(cfg.n_wl, 1);
	CU_ASSERT_STRING_EQUAL(cfg.wl[0]->name, "squares");
	CU_ASSERT_EQUAL(cfg.n_be, 2);
	CU_ASSERT_STRING_EQUAL(cfg.be[1]->name, "openmp");
	CU_ASSERT_EQUAL(cfg.n_workers, 3);
	CU_ASSERT_EQUAL(cfg.size, 2000);
	CU_ASSERT_EQUAL(cfg.reps, 7);
	CU_ASSERT_EQUAL(cfg.warmup, 0);
	CU_ASSERT_EQUAL(cfg.format, FORMAT_JSON);
	CU_ASSERT_DOUBLE_EQUAL(cfg.timeout_s, 2.5, 1e-12);
	CU_ASSERT_EQUAL(cfg.n_opt, 1);
	CU_ASSERT_STRING_EQUAL(cfg.opt[0].value, "9");
}

static void expect_usage_error(const char *const *args, const char *needle)
{
	struct tvp_output o;

	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL(o.status, 2);
	CU_ASSERT_STRING_EQUAL(o.out, "");
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, needle));
}

static void test_cli_bad_input_exits_2_with_empty_stdout(void)
{
	expect_usage_error((const char *const[]){ "run", "squares", "-w", "0", NULL }, "--workers");
	expect_usage_error((const char *const[]){ "run", "squares", "-n", "1.5", NULL }, "--size");
	expect_usage_error((const char *const[]){ "run", "nosuch", NULL }, "WORKLOAD");
	expect_usage_error((const char *const[]){ "run", "squares", "-b", "gpu", NULL }, "--backends");
	expect_usage_error((const char *const[]){ "run", "squares", "-f", "xml", NULL }, "--format");
	expect_usage_error((const char *const[]){ "run", "squares", "-r", "0", NULL }, "--reps");
	expect_usage_error((const char *const[]){ "run", "squares", "--cost", "-3", NULL }, "--cost");
	expect_usage_error((const char *const[]){ "run", "squares", "--schedule", "auto", NULL }, "--schedule");
	expect_usage_error((const char *const[]){ "run", "squares", "-b", "threads", "--schedule", "dynamic", NULL }, "--schedule");
	expect_usage_error((const char *const[]){ "run", "squares", "--bogus", NULL }, "--bogus");
	expect_usage_error((const char *const[]){ "run", "squares", "-w", NULL }, "-w");
	expect_usage_error((const char *const[]){ "run", NULL }, "WORKLOAD");
	expect_usage_error((const char *const[]){ "run", "squares", "-V", "nope", NULL }, "--variants");
	expect_usage_error((const char *const[]){ "frobnicate", NULL }, "unknown command");
	expect_usage_error((const char *const[]){ NULL }, "usage");
	/* 10^18 items of 8 bytes cannot fit: refused before anything runs */
	expect_usage_error((const char *const[]){ "run", "squares", "-n", "1000000000G", NULL }, "--size");
}

static void test_cli_help_and_version_exit_0(void)
{
	struct tvp_output o;

	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, (const char *const[]){ "--help", NULL }), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "usage: tvp"));
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, (const char *const[]){ "run", "--help", NULL }), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "--workers"));
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, (const char *const[]){ "--version", NULL }), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "tvp " TVP_VERSION));
}

static void test_cli_list_names_every_workload_and_backend(void)
{
	struct tvp_output o;

	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, (const char *const[]){ "list", NULL }), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	for (size_t i = 0; i < n_workloads; i++)
		CU_ASSERT_PTR_NOT_NULL(strstr(o.out, workloads[i]->name));
	for (size_t i = 0; i < n_backends; i++)
		CU_ASSERT_PTR_NOT_NULL(strstr(o.out, backends[i]->name));
}

SUITE(cli,
      TEST(test_cli_parses_worker_number_list_and_range),
      TEST(test_cli_rejects_bad_worker_range),
      TEST(test_cli_parses_sizes_with_suffixes),
      TEST(test_cli_rejects_bad_sizes),
      TEST(test_cli_parses_durations_in_ms),
      TEST(test_cli_run_fills_config),
      TEST(test_cli_bad_input_exits_2_with_empty_stdout),
      TEST(test_cli_help_and_version_exit_0),
      TEST(test_cli_list_names_every_workload_and_backend))
