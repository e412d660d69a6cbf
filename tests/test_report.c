/*
 * test_report.c - every format carries the same numbers: CSV, JSON and
 * Markdown against golden strings (CSV quoting of commas and quotes in
 * `detail`, empty cells where there is no number), JSON that parses, and
 * the JSON of a real `tvp run` that parses and has every contract key.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "report.h"

#define OUT_LEN 8192

/* ---- a fixed report: two measured cells and one that died -------------- */

static double wall_seq[] = { 2.0, 2.0, 2.0 };
static double wall_thr[] = { 1.0, 1.25, 1.0 };

static void fixture_rows(struct cell_result *row)
{
	const struct workload *wl = workload_find("squares");

	row[0] = (struct cell_result){
		.wl = wl, .be = backend_find("sequential"), .workers = 1,
		.size = 1000, .reps = 3, .wall = wall_seq, .user_s = 2.0,
		.ctxsw_vol = 1, .ctxsw_invol = 2, .maxrss_kb = 1234, .work = 1000,
		.verdict = VERDICT_YES, .speedup = 1, .efficiency = 1,
		.throughput = 500, .karp_flatt = NAN, .detail = "all 1000 checked",
	};
	row[1] = (struct cell_result){
		.wl = wl, .be = backend_find("threads"), .workers = 2, .size = 1000,
		.reps = 3, .wall = wall_thr, .user_s = 2.1, .sys_s = 0.05,
		.ctxsw_vol = 3, .ctxsw_invol = 4.5, .maxrss_kb = 2048, .work = 1000,
		.verdict = VERDICT_YES, .speedup = 2, .efficiency = 1,
		.throughput = 1000, .karp_flatt = 0,
		.detail = "he said \"hi\", twice",
	};
	row[2] = (struct cell_result){
		.wl = wl, .be = backend_find("processes"), .workers = 2,
		.size = 1000, .failed = 1, .verdict = VERDICT_NO,
		.speedup = NAN, .efficiency = NAN, .throughput = NAN,
		.karp_flatt = NAN, .detail = "runner killed by SIGKILL (Killed)",
	};
	CU_ASSERT_EQUAL(stats_compute(wall_seq, 3, &row[0].st), 0);
	CU_ASSERT_EQUAL(stats_compute(wall_thr, 3, &row[1].st), 0);
}

static const struct machine_info fixture_machine = {
	.cpu_model = "Test CPU", .cpus_online = 2, .cpus_allowed = 2,
	.cpus_allowed_list = "0-1", .cores = 2, .sockets = 1,
	.threads_per_core = 1, .numa_nodes = 1, .caches = "L1d 32K, L2 1M",
	.caches_source = "sysfs", .memory_gib = 4, .kernel = "Linux 6.1 x86_64",
	.libc = "glibc 2.36", .compiler = "gcc 12.2.0", .openmp = "4.5 (201511)",
	.clocksource = "tsc", .clock_res_s = 1e-9, .loadavg_1m = 0.5,
};

/* the report of the fixture in `fmt`, written into out */
static void render(enum format fmt, int color, char *out)
{
	/* getopt permutes argv: it must be writable */
	char *argv[] = { "run", "squares", "-b", "sequential,threads,processes",
			 "-w", "1,2", "-r", "3", NULL };
	struct cell_result rows[3];
	struct config cfg;
	char err[ERR_LEN];
	FILE *f = fmemopen(out, OUT_LEN, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL_FATAL(cli_parse_run(8, argv, &cfg, err), 0);
	fixture_rows(rows);
	report_write(f, fmt, &(struct report){ .rows = rows, .n = 3, .cfg = &cfg,
		.machine = &fixture_machine, .color = color });
	CU_ASSERT_EQUAL(fclose(f), 0);
}

static void test_report_csv_matches_golden_and_quotes_detail(void)
{
	char out[OUT_LEN];

	render(FORMAT_CSV, 0, out);
	CU_ASSERT_STRING_EQUAL(out,
		"workload,variant,backend,workers,size,reps,median_s,min_s,max_s,stddev_s,speedup,efficiency,throughput,throughput_unit,user_s,sys_s,ctxsw_vol,ctxsw_invol,maxrss_kb,verified,detail\n"
		"squares,default,sequential,1,1000,3,2,2,2,0,1,1,500,items/s,2.000000,0.000000,1.0,2.0,1234,yes,all 1000 checked\n"
		"squares,default,threads,2,1000,3,1,1,1.25,0.144337567,2,1,1000,items/s,2.100000,0.050000,3.0,4.5,2048,yes,\"he said \"\"hi\"\", twice\"\n"
		"squares,default,processes,2,1000,0,,,,,,,,items/s,0.000000,0.000000,0.0,0.0,0,no,runner killed by SIGKILL (Killed)\n");
}

static void test_report_markdown_matches_golden(void)
{
	char out[OUT_LEN];

	render(FORMAT_MARKDOWN, 0, out);
	CU_ASSERT_STRING_EQUAL(out,
		"| workload | variant | backend | W | median | min | max | speedup | eff | cpu | cpu/wall | throughput | verified | detail |\n"
		"|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n"
		"| squares | default | sequential | 1 | 2 s | 2 s | 2 s | 1.00 | 1.00 | 2 s | 1.00 | 500 items/s | yes | all 1000 checked |\n"
		"| squares | default | threads | 2 | 1 s | 1 s | 1.25 s | 2.00 | 1.00 | 2.15 s | 1.98 | 1 k items/s | yes | he said \"hi\", twice |\n"
		"| squares | default | processes | 2 | - | - | - | - | - | - | - | - | no | runner killed by SIGKILL (Killed) |\n"
		"\n"
		"*Test CPU, 2 CPUs (2 cores), Linux 6.1 x86_64, gcc 12.2.0, OpenMP 4.5 (201511), load 0.50; median of 3 runs after 1 warm-up; tvp " TVP_VERSION ".*\n");
}

static void test_report_json_matches_golden(void)
{
	char out[OUT_LEN];

	render(FORMAT_JSON, 0, out);
	CU_ASSERT_STRING_EQUAL(out,
		"{\n"
		"  \"schema\": \"tvp-results/1\",\n"
		"  \"tvp_version\": \"" TVP_VERSION "\",\n"
		"  \"machine\": {\"cpu_model\": \"Test CPU\", \"cpus_online\": 2, \"cpus_allowed\": 2, \"cpus_allowed_list\": \"0-1\", \"cores\": 2, \"sockets\": 1, \"threads_per_core\": 1, \"numa_nodes\": 1, \"caches\": \"L1d 32K, L2 1M\", \"caches_source\": \"sysfs\", \"memory_gib\": 4, \"cpufreq_governor\": \"\", \"kernel\": \"Linux 6.1 x86_64\", \"libc\": \"glibc 2.36\", \"compiler\": \"gcc 12.2.0\", \"openmp\": \"4.5 (201511)\", \"openmp_env\": \"\", \"clocksource\": \"tsc\", \"clock_resolution_s\": 1e-09, \"loadavg_1m\": 0.5},\n"
		"  \"config\": {\"workloads\": [\"squares\"], \"backends\": [\"sequential\", \"threads\", \"processes\"], \"workers\": [1, 2], \"reps\": 3, \"warmup\": 1, \"timeout_s\": 60, \"seed\": 42, \"pin\": \"none\", \"options\": {}},\n"
		"  \"results\": [\n"
		"    {\"workload\": \"squares\", \"variant\": \"default\", \"backend\": \"sequential\", \"workers\": 1, \"size\": 1000, \"reps\": 3, \"median_s\": 2, \"min_s\": 2, \"max_s\": 2, \"stddev_s\": 0, \"speedup\": 1, \"efficiency\": 1, \"throughput\": 500, \"throughput_unit\": \"items/s\", \"user_s\": 2, \"sys_s\": 0, \"ctxsw_vol\": 1, \"ctxsw_invol\": 2, \"maxrss_kb\": 1234, \"verified\": \"yes\", \"detail\": \"all 1000 checked\", \"mean_s\": 2, \"mad_s\": 0, \"outliers\": 0, \"noisy\": false, \"cpu_wall\": 1, \"karp_flatt\": null},\n"
		"    {\"workload\": \"squares\", \"variant\": \"default\", \"backend\": \"threads\", \"workers\": 2, \"size\": 1000, \"reps\": 3, \"median_s\": 1, \"min_s\": 1, \"max_s\": 1.25, \"stddev_s\": 0.144337567, \"speedup\": 2, \"efficiency\": 1, \"throughput\": 1000, \"throughput_unit\": \"items/s\", \"user_s\": 2.1, \"sys_s\": 0.05, \"ctxsw_vol\": 3, \"ctxsw_invol\": 4.5, \"maxrss_kb\": 2048, \"verified\": \"yes\", \"detail\": \"he said \\\"hi\\\", twice\", \"mean_s\": 1.08333333, \"mad_s\": 0, \"outliers\": 0, \"noisy\": false, \"cpu_wall\": 1.98461538, \"karp_flatt\": 0},\n"
		"    {\"workload\": \"squares\", \"variant\": \"default\", \"backend\": \"processes\", \"workers\": 2, \"size\": 1000, \"reps\": 0, \"median_s\": null, \"min_s\": null, \"max_s\": null, \"stddev_s\": null, \"speedup\": null, \"efficiency\": null, \"throughput\": null, \"throughput_unit\": \"items/s\", \"user_s\": 0, \"sys_s\": 0, \"ctxsw_vol\": 0, \"ctxsw_invol\": 0, \"maxrss_kb\": 0, \"verified\": \"no\", \"detail\": \"runner killed by SIGKILL (Killed)\", \"mean_s\": null, \"mad_s\": null, \"outliers\": null, \"noisy\": false, \"cpu_wall\": null, \"karp_flatt\": null}\n"
		"  ]\n"
		"}\n");
}

static void test_report_table_colours_only_when_asked(void)
{
	char plain[OUT_LEN], colour[OUT_LEN];

	render(FORMAT_TABLE, 0, plain);
	render(FORMAT_TABLE, 1, colour);
	CU_ASSERT_PTR_NULL(strchr(plain, '\033'));
	CU_ASSERT_PTR_NOT_NULL(strstr(colour, "\033[32myes"));
	CU_ASSERT_PTR_NOT_NULL(strstr(colour, "\033[1;31mno"));
	CU_ASSERT_PTR_NOT_NULL(strstr(plain, "cpu/wall"));
}

/* ---- a small JSON validator: RFC 8259's grammar, recursive descent ------ */

struct json {
	const char *p;
	int depth;
};

static int json_value(struct json *j);

static void json_ws(struct json *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
}

static int json_lit(struct json *j, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(j->p, word, n))
		return -1;
	j->p += n;
	return 0;
}

static int json_string(struct json *j)
{
	if (*j->p++ != '"')
		return -1;
	for (; *j->p != '"'; j->p++) {
		if ((unsigned char)*j->p < 0x20)
			return -1;	/* control characters must be escaped */
		if (*j->p != '\\')
			continue;
		j->p++;
		if (*j->p == 'u') {
			for (int i = 1; i <= 4; i++)
				if (!strchr("0123456789abcdefABCDEF", j->p[i]) || !j->p[i])
					return -1;
			j->p += 4;
		} else if (!*j->p || !strchr("\"\\/bfnrt", *j->p)) {
			return -1;
		}
	}
	j->p++;
	return 0;
}

static int json_digits(struct json *j)
{
	const char *s = j->p;

	while (*j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s ? 0 : -1;
}

static int json_number(struct json *j)
{
	if (*j->p == '-')
		j->p++;
	if (*j->p == '0')
		j->p++;
	else if (json_digits(j))
		return -1;
	if (*j->p == '.' && (j->p++, json_digits(j)))
		return -1;
	if (*j->p == 'e' || *j->p == 'E') {
		j->p++;
		if (*j->p == '+' || *j->p == '-')
			j->p++;
		return json_digits(j);
	}
	return 0;
}

/* "[v, v]" or "{"k": v, ...}" */
static int json_container(struct json *j, char close, int keyed)
{
	j->p++;
	json_ws(j);
	if (*j->p == close) {
		j->p++;
		return 0;
	}
	for (;;) {
		json_ws(j);
		if (keyed && (json_string(j) || (json_ws(j), *j->p++ != ':')))
			return -1;
		if (json_value(j))
			return -1;
		json_ws(j);
		if (*j->p == close) {
			j->p++;
			return 0;
		}
		if (*j->p++ != ',')
			return -1;
	}
}

static int json_value(struct json *j)
{
	int rc;

	json_ws(j);
	if (++j->depth > 64)
		return -1;
	switch (*j->p) {
	case '{': rc = json_container(j, '}', 1); break;
	case '[': rc = json_container(j, ']', 0); break;
	case '"': rc = json_string(j); break;
	case 't': rc = json_lit(j, "true"); break;
	case 'f': rc = json_lit(j, "false"); break;
	case 'n': rc = json_lit(j, "null"); break;
	default: rc = json_number(j); break;
	}
	j->depth--;
	return rc;
}

/* 0 when text is exactly one JSON value */
static int json_valid(const char *text)
{
	struct json j = { .p = text };

	if (json_value(&j))
		return -1;
	json_ws(&j);
	return *j.p ? -1 : 0;
}

static void test_json_validator_accepts_json_and_refuses_the_rest(void)
{
	CU_ASSERT_EQUAL(json_valid("{\"a\": [1, -2.5e3, true, null, \"x\\n\\u00e9\"]}"), 0);
	CU_ASSERT_EQUAL(json_valid("[]"), 0);
	CU_ASSERT_NOT_EQUAL(json_valid("{\"a\": nan}"), 0);
	CU_ASSERT_NOT_EQUAL(json_valid("{\"a\": 1,}"), 0);
	CU_ASSERT_NOT_EQUAL(json_valid("[1] 2"), 0);
	CU_ASSERT_NOT_EQUAL(json_valid("\"tab\there\""), 0);
	CU_ASSERT_NOT_EQUAL(json_valid("{\"a\" 1}"), 0);
}

static void test_report_json_parses(void)
{
	char out[OUT_LEN];

	render(FORMAT_JSON, 0, out);
	CU_ASSERT_EQUAL(json_valid(out), 0);
}

static const char *const contract_keys[] = {
	"workload", "variant", "backend", "workers", "size", "reps", "median_s",
	"min_s", "max_s", "stddev_s", "speedup", "efficiency", "throughput",
	"throughput_unit", "user_s", "sys_s", "ctxsw_vol", "ctxsw_invol",
	"maxrss_kb", "verified", "detail",
};

/* every result object of a JSON report has every contract key */
static void check_contract_keys(const char *out, int results)
{
	const char *r = strstr(out, "\"results\"");
	int seen = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	while ((r = strstr(r, "{\"workload\"")) != NULL) {
		const char *end = strchr(r, '}');
		char key[64];

		for (size_t k = 0; k < sizeof(contract_keys) / sizeof(*contract_keys); k++) {
			const char *hit;

			snprintf(key, sizeof(key), "\"%s\": ", contract_keys[k]);
			hit = strstr(r, key);
			CU_ASSERT(hit && hit < end);
		}
		seen++;
		r = end;
	}
	CU_ASSERT_EQUAL(seen, results);
}

static void test_report_json_of_a_real_run_parses_with_contract_keys(void)
{
	static struct tvp_output o;
	const char *const args[] = { "run", "squares", "-n", "2000", "-w", "1,2",
		"-r", "2", "-b", "sequential,threads,processes,openmp", "-f", "json",
		"--no-progress", NULL };

	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_EQUAL(json_valid(o.out), 0);
	/* sequential once, three back ends at W = 1 and 2 */
	check_contract_keys(o.out, 7);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "\"schema\": \"tvp-results/1\""));
}

SUITE(report,
      TEST(test_report_csv_matches_golden_and_quotes_detail),
      TEST(test_report_markdown_matches_golden),
      TEST(test_report_json_matches_golden),
      TEST(test_report_table_colours_only_when_asked),
      TEST(test_json_validator_accepts_json_and_refuses_the_rest),
      TEST(test_report_json_parses),
      TEST(test_report_json_of_a_real_run_parses_with_contract_keys))
