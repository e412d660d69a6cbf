/*
 * test_report.c - every format carries the same numbers: CSV, JSON and
 * Markdown against golden strings (CSV quoting of commas and quotes in
 * `detail`, empty cells where there is no number), JSON that jansson
 * parses, the JSON of a real `tvp run` with every contract key and its
 * samples, --columns in every format, and the terminal table fitted to 80,
 * 100 and 200 columns without a value broken across lines.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "report/report.h"
#include "tests/harness.h"

#define OUT_LEN 65536

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
		.foreign_cpus = 0.02,
	};
	row[1] = (struct cell_result){
		.wl = wl, .be = backend_find("threads"), .workers = 2, .size = 1000,
		.reps = 3, .wall = wall_thr, .user_s = 2.1, .sys_s = 0.05,
		.ctxsw_vol = 3, .ctxsw_invol = 4.5, .maxrss_kb = 2048, .work = 1000,
		.verdict = VERDICT_YES, .speedup = 2, .efficiency = 1,
		.throughput = 1000, .karp_flatt = 0,
		.detail = "he said \"hi\", twice",
		.foreign_cpus = 0.93, .busy_reps = 2, .retried = 3,
	};
	row[2] = (struct cell_result){
		.wl = wl, .be = backend_find("processes"), .workers = 2,
		.size = 1000, .failed = 1, .verdict = VERDICT_NO,
		.speedup = NAN, .efficiency = NAN, .throughput = NAN,
		.karp_flatt = NAN, .detail = "runner killed by SIGKILL (Killed)",
		.foreign_cpus = NAN,
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

/* rows (the fixture, perhaps changed) in `fmt` into out: `width` columns
 * for a table (0 no limit), only `columns` (NULL: all) */
static void render_rows(enum format fmt, int width, const char *columns,
			struct cell_result *rows, int color, char *out)
{
	/* getopt permutes argv: it must be writable */
	char *argv[] = { "run", "squares", "-b", "sequential,threads,processes",
			 "-w", "1,2", "-r", "3", "--columns", (char *)columns, NULL };
	struct config cfg;
	char err[ERR_LEN];
	FILE *f = fmemopen(out, OUT_LEN, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL_FATAL(cli_parse_run(columns ? 10 : 8, argv, &cfg, err), 0);
	report_write(f, fmt, &(struct report){ .rows = rows, .n = 3, .cfg = &cfg,
		.machine = &fixture_machine, .color = color, .width = width });
	CU_ASSERT_EQUAL(fclose(f), 0);
}

static void render_with(enum format fmt, int color, int width,
			const char *columns, char *out)
{
	struct cell_result rows[3];

	fixture_rows(rows);
	render_rows(fmt, width, columns, rows, color, out);
}

static void render(enum format fmt, int color, char *out)
{
	render_with(fmt, color, 0, NULL, out);
}

static void test_report_csv_matches_golden_and_quotes_detail(void)
{
	char out[OUT_LEN];

	render(FORMAT_CSV, 0, out);
	CU_ASSERT_STRING_EQUAL(out,
		"workload,variant,backend,workers,size,reps,median_s,min_s,max_s,stddev_s,speedup,efficiency,throughput,throughput_unit,user_s,sys_s,ctxsw_vol,ctxsw_invol,maxrss_kb,verified,detail,foreign_cpus,busy_reps\n"
		"squares,default,sequential,1,1000,3,2,2,2,0,1,1,500,items/s,2.000000,0.000000,1.0,2.0,1234,yes,all 1000 checked,0.02,0\n"
		"squares,default,threads,2,1000,3,1,1,1.25,0.144337567,2,1,1000,items/s,2.100000,0.050000,3.0,4.5,2048,yes,\"he said \"\"hi\"\", twice\",0.93,2\n"
		"squares,default,processes,2,1000,0,,,,,,,,items/s,0.000000,0.000000,0.0,0.0,0,no,runner killed by SIGKILL (Killed),,0\n");
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
		"- squares: threads 2.00x (busy host) faster than sequential with 2 workers; ideal 2\n"
		"\n"
		"*Test CPU, 2 CPUs (2 cores), Linux 6.1 x86_64, gcc 12.2.0, OpenMP 4.5 (201511), load 0.50; median of 3 runs after 1 warm-up; tvp " TVP_VERSION ".*\n");
}

#define GOLDEN_JSON \
	"{\"schema\":\"tvp-results/1\",\"tvp_version\":\"" TVP_VERSION "\"," \
	"\"partial\":false,\"partial_reason\":\"\"," \
	"\"machine\":{\"cpu_model\":\"Test CPU\",\"cpus_online\":2,\"cpus_allowed\":2,\"cpus_allowed_list\":\"0-1\",\"cores\":2,\"sockets\":1,\"threads_per_core\":1,\"numa_nodes\":1,\"caches\":\"L1d 32K, L2 1M\",\"caches_source\":\"sysfs\",\"memory_gib\":4.0,\"cpufreq_governor\":\"\",\"kernel\":\"Linux 6.1 x86_64\",\"libc\":\"glibc 2.36\",\"compiler\":\"gcc 12.2.0\",\"openmp\":\"4.5 (201511)\",\"openmp_env\":\"\",\"clocksource\":\"tsc\",\"clock_resolution_s\":1e-9,\"loadavg_1m\":0.5}," \
	"\"host\":null," \
	"\"config\":{\"workloads\":[\"squares\"],\"backends\":[\"sequential\",\"threads\",\"processes\"],\"workers\":[1,2],\"reps\":3,\"warmup\":1,\"timeout_s\":60.0,\"seed\":42,\"pin\":\"none\",\"interleave\":true,\"busy_threshold\":0.25,\"retries\":3,\"quiet_wait_s\":3.0,\"options\":{}}," \
	"\"results\":[" \
	"{\"workload\":\"squares\",\"variant\":\"default\",\"backend\":\"sequential\",\"workers\":1,\"size\":1000,\"reps\":3,\"median_s\":2.0,\"min_s\":2.0,\"max_s\":2.0,\"stddev_s\":0.0,\"speedup\":1.0,\"efficiency\":1.0,\"throughput\":500.0,\"throughput_unit\":\"items/s\",\"user_s\":2.0,\"sys_s\":0.0,\"ctxsw_vol\":1.0,\"ctxsw_invol\":2.0,\"maxrss_kb\":1234,\"verified\":\"yes\",\"detail\":\"all 1000 checked\",\"foreign_cpus\":0.02,\"busy_reps\":0,\"mean_s\":2.0,\"mad_s\":0.0,\"outliers\":0,\"noisy\":false,\"cpu_wall\":1.0,\"retried\":0,\"karp_flatt\":null,\"samples_s\":[2.0,2.0,2.0]}," \
	"{\"workload\":\"squares\",\"variant\":\"default\",\"backend\":\"threads\",\"workers\":2,\"size\":1000,\"reps\":3,\"median_s\":1.0,\"min_s\":1.0,\"max_s\":1.25,\"stddev_s\":0.144337567,\"speedup\":2.0,\"efficiency\":1.0,\"throughput\":1000.0,\"throughput_unit\":\"items/s\",\"user_s\":2.1,\"sys_s\":0.05,\"ctxsw_vol\":3.0,\"ctxsw_invol\":4.5,\"maxrss_kb\":2048,\"verified\":\"yes\",\"detail\":\"he said \\\"hi\\\", twice\",\"foreign_cpus\":0.93,\"busy_reps\":2,\"mean_s\":1.08333333,\"mad_s\":0.0,\"outliers\":0,\"noisy\":false,\"cpu_wall\":1.98461538,\"retried\":3,\"karp_flatt\":0.0,\"samples_s\":[1.0,1.25,1.0]}," \
	"{\"workload\":\"squares\",\"variant\":\"default\",\"backend\":\"processes\",\"workers\":2,\"size\":1000,\"reps\":0,\"median_s\":null,\"min_s\":null,\"max_s\":null,\"stddev_s\":null,\"speedup\":null,\"efficiency\":null,\"throughput\":null,\"throughput_unit\":\"items/s\",\"user_s\":0.0,\"sys_s\":0.0,\"ctxsw_vol\":0.0,\"ctxsw_invol\":0.0,\"maxrss_kb\":0,\"verified\":\"no\",\"detail\":\"runner killed by SIGKILL (Killed)\",\"foreign_cpus\":null,\"busy_reps\":0,\"mean_s\":null,\"mad_s\":null,\"outliers\":null,\"noisy\":false,\"cpu_wall\":null,\"retried\":0,\"karp_flatt\":null,\"samples_s\":[]}" \
	"]}"

#define JSON_HEAD "{\n  \"schema\": \"tvp-results/1\",\n  \"tvp_version\""

/*
 * The JSON as jansson reads it back, dumped compactly in key order: the
 * same keys, order and values as the report always had, plus samples_s.
 */
static void test_report_json_matches_golden(void)
{
	char out[OUT_LEN];
	json_error_t jerr;
	json_t *root;
	char *compact;

	render(FORMAT_JSON, 0, out);
	/* indented for people who open the file: one key a line */
	CU_ASSERT_EQUAL(strncmp(out, JSON_HEAD, sizeof(JSON_HEAD) - 1), 0);
	root = json_loads(out, JSON_REJECT_DUPLICATES, &jerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	compact = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(9));
	CU_ASSERT_PTR_NOT_NULL_FATAL(compact);
	CU_ASSERT_STRING_EQUAL(compact, GOLDEN_JSON);
	if (strcmp(compact, GOLDEN_JSON) != 0)
		fprintf(stderr, "\nJSON read back:\n%s\n", compact);
	free(compact);
	json_decref(root);
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

/* 0 when text is exactly one JSON value, as jansson reads it */
static int json_valid(const char *text)
{
	json_error_t jerr;
	json_t *v = json_loads(text, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);

	json_decref(v);
	return v ? 0 : -1;
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

/* every result object of a JSON report has every contract key, and its
 * samples: one positive time per counted repetition */
static void check_contract_keys(const char *out, size_t results)
{
	json_error_t jerr;
	json_t *root = json_loads(out, 0, &jerr), *r, *samples;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(root, "results")), results);
	json_array_foreach(json_object_get(root, "results"), i, r) {
		for (size_t k = 0; k < sizeof(contract_keys) / sizeof(*contract_keys); k++)
			CU_ASSERT_PTR_NOT_NULL(json_object_get(r, contract_keys[k]));
		samples = json_object_get(r, "samples_s");
		CU_ASSERT_EQUAL(json_array_size(samples),
				(size_t)json_integer_value(json_object_get(r, "reps")));
		CU_ASSERT(json_real_value(json_array_get(samples, 0)) > 0);
	}
	json_decref(root);
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

/* ---- the table fitted to a terminal's width ----------------------------- */

/* every line of out within width columns; how many lines */
static int lines_within(const char *out, int width)
{
	int n = 0;

	for (const char *p = out; *p; n++) {
		size_t len = strcspn(p, "\n");

		CU_ASSERT((int)len <= width);
		if ((int)len > width)
			fprintf(stderr, "\nover %d columns: %.*s\n", width, (int)len, p);
		p += len + (p[len] == '\n');
	}
	return n;
}

/* `value` whole on one line of out, and on the line that starts `row` */
static void value_on_row(const char *out, const char *row, const char *value)
{
	const char *line = strstr(out, row), *hit;

	CU_ASSERT_PTR_NOT_NULL_FATAL(line);
	hit = strstr(line, value);
	CU_ASSERT(hit && hit < line + strcspn(line, "\n"));
}

static void check_fitted(int width)
{
	char out[OUT_LEN];

	render_with(FORMAT_TABLE, 0, width, NULL, out);
	CU_ASSERT(lines_within(out, width) > 4);
	/* the columns that are never dropped, each value whole on its row */
	value_on_row(out, "workload", "speedup");
	value_on_row(out, "workload", "verified");
	value_on_row(out, "squares   default  seq", "2 s");
	value_on_row(out, "squares   default  threads", "1.25 s");
	value_on_row(out, "squares   default  threads", "2.00");
	value_on_row(out, "squares   default  procs", "no");
	/* the detail under its row, whole; the footer's figures whole */
	value_on_row(out, "    he said", "he said \"hi\", twice");
	value_on_row(out, "Test CPU", "Test CPU, 2 CPUs (2 cores),");
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "median of 3 runs after 1 warm-up"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "seq = sequential"));
}

static void test_report_table_fits_80_columns(void)
{
	check_fitted(80);
}

static void test_report_table_fits_100_columns(void)
{
	check_fitted(100);
}

static void test_report_table_at_200_columns_keeps_everything_on_its_row(void)
{
	char out[OUT_LEN];

	render_with(FORMAT_TABLE, 0, 200, NULL, out);
	lines_within(out, 200);
	value_on_row(out, "squares   default  sequential", "all 1000 checked");
	value_on_row(out, "squares   default  threads", "2.15 s");
	value_on_row(out, "squares   default  threads", "1 k items/s");
	value_on_row(out, "squares   default  threads", "he said \"hi\", twice");
	CU_ASSERT_PTR_NULL(strstr(out, "not shown for width"));
}

static void test_report_table_wraps_a_long_detail_between_notes(void)
{
	struct cell_result rows[3];
	char out[OUT_LEN];

	fixture_rows(rows);
	snprintf(rows[1].detail, sizeof(rows[1].detail), "%s",
		 "all 1000 checked; noisy: MAD 14%, 2 outliers > 3 MAD; Karp-Flatt e = 0.485; "
		 "lost 193806 of 400000 updates (48.45%); 38.9-50.0% over 4 runs");
	render_rows(FORMAT_TABLE, 60, NULL, rows, 0, out);
	lines_within(out, 60);
	/* 56 columns after the indent: the first two notes fit, the third not */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\n    all 1000 checked; noisy: MAD 14%, 2 outliers > 3 MAD;\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Karp-Flatt e = 0.485;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "38.9-50.0% over 4 runs"));
}

/* ---- --columns ---------------------------------------------------------- */

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void test_report_columns_pick_the_same_columns_in_every_format(void)
{
	char out[OUT_LEN];

	render_with(FORMAT_CSV, 0, 0, "workload,W,median", out);
	CU_ASSERT(starts(out, "workload,workers,median_s\nsquares,1,2\n"));
	render_with(FORMAT_MARKDOWN, 0, 0, "workload,W,median_s", out);
	CU_ASSERT(starts(out, "| workload | W | median |\n|---|---:|---:|\n| squares | 1 | 2 s |\n"));
	render_with(FORMAT_TABLE, 0, 0, "backend,speedup", out);
	CU_ASSERT(starts(out, "backend     speedup\nsequential     1.00\n"));
	render_with(FORMAT_JSON, 0, 0, "backend,busy_reps", out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"backend\": \"threads\",\n      \"busy_reps\": 2\n"));
	CU_ASSERT_PTR_NULL(strstr(out, "median_s"));
}

static void test_report_columns_refuse_an_unknown_name(void)
{
	char *argv[] = { "run", "squares", "--columns", "workload,speed", NULL };
	struct config cfg;
	char err[ERR_LEN];

	CU_ASSERT_EQUAL(cli_parse_run(4, argv, &cfg, err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "unknown column 'speed'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "cpu/wall"));	/* the table's names */
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "busy_reps"));	/* and the data's */
}

/* ---- HTML ---------------------------------------------------------------- */

static int count(const char *s, const char *what)
{
	int n = 0;

	for (; (s = strstr(s, what)) != NULL; s += strlen(what))
		n++;
	return n;
}

static void test_report_html_has_rows_a_chart_and_no_outside_reference(void)
{
	char out[OUT_LEN];

	render(FORMAT_HTML, 0, out);
	CU_ASSERT_EQUAL(strncmp(out, "<!DOCTYPE html>", 15), 0);
	CU_ASSERT_EQUAL(count(out, "<tr class=\"row"), 3);
	CU_ASSERT_EQUAL(count(out, "<figure class=\"chart\" data-workload=\"squares\">"), 1);
	/* two cells with a speedup: two points, two min-max bars, one ideal */
	CU_ASSERT_EQUAL(count(out, "<circle class=\"point\""), 2);
	CU_ASSERT_EQUAL(count(out, "<line class=\"errbar\""), 2);
	CU_ASSERT_EQUAL(count(out, "<line class=\"ideal\""), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "-n 1000 (items), --cost 100 (default)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "median of 3 repetitions"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "@media print"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "@media (max-width:600px)"));
	/* the threads row ran 2 busy repetitions; the footer has the host */
	CU_ASSERT_EQUAL(count(out, "<span class=\"busy\""), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "up to 0.93 CPUs"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "he said &quot;hi&quot;, twice"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "each worker computes i*i for its block of indexes"));
	/* self-contained: nothing to fetch, nothing to run */
	CU_ASSERT_PTR_NULL(strstr(out, "src="));
	CU_ASSERT_PTR_NULL(strstr(out, "href="));
	CU_ASSERT_PTR_NULL(strstr(out, "<script"));
	CU_ASSERT_PTR_NULL(strstr(out, "url("));
}

static void test_report_html_escapes_what_comes_from_outside(void)
{
	struct cell_result rows[3];
	char out[OUT_LEN];

	fixture_rows(rows);
	snprintf(rows[2].detail, sizeof(rows[2].detail), "<script>alert('x')</script> & more");
	render_rows(FORMAT_HTML, 0, NULL, rows, 0, out);
	CU_ASSERT_PTR_NULL(strstr(out, "<script"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more"));
}

SUITE(report,
      TEST(test_report_csv_matches_golden_and_quotes_detail),
      TEST(test_report_markdown_matches_golden),
      TEST(test_report_json_matches_golden),
      TEST(test_report_table_colours_only_when_asked),
      TEST(test_report_json_parses),
      TEST(test_report_json_of_a_real_run_parses_with_contract_keys),
      TEST(test_report_table_fits_80_columns),
      TEST(test_report_table_fits_100_columns),
      TEST(test_report_table_at_200_columns_keeps_everything_on_its_row),
      TEST(test_report_table_wraps_a_long_detail_between_notes),
      TEST(test_report_columns_pick_the_same_columns_in_every_format),
      TEST(test_report_columns_refuse_an_unknown_name),
      TEST(test_report_html_has_rows_a_chart_and_no_outside_reference),
      TEST(test_report_html_escapes_what_comes_from_outside))
