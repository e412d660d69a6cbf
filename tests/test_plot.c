/*
 * test_plot.c - plots: CSV fields split the RFC 4180 way, results and
 * traces read back (with file:line complaints), the gnuplot scripts carry
 * the axes, ideal line and legend, and, when gnuplot is installed, `tvp
 * plot --trace` and `tvp run --plot` write real PNG and SVG files. The
 * trace here is a small hand-made one in fetch's --trace format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "plot.h"

#define ERR 512

static const char *const results_csv =
	"workload,variant,backend,workers,size,reps,median_s,min_s,max_s,stddev_s,speedup,efficiency,throughput,throughput_unit,user_s,sys_s,ctxsw_vol,ctxsw_invol,maxrss_kb,verified,detail\n"
	"squares,default,sequential,1,100,3,2,2,2,0,1,1,50,items/s,2,0,0,0,1,yes,all 100 checked\n"
	"squares,default,threads,2,100,3,1.05,1,1.1,0.05,1.9,0.95,95,items/s,2,0,0,0,1,yes,\"a, \"\"quoted\"\" note\"\n"
	"squares,default,processes,2,100,3,9,9,9,0,0.2,0.1,11,items/s,2,0,0,0,1,no,1 of 100 wrong\n"
	"counter,mutex,threads,2,100,0,,,,,,,,items/s,0,0,0,0,0,no,runner killed\n"
	"counter,mutex,openmp,4,100,3,1,1,1,0,3.5,0.875,100,items/s,4,0,0,0,1,yes,ok\n";

static const char *const trace_csv =
	"worker,start_ms,end_ms,status\n"
	"0,0,50,ok\n"
	"1,0,52,ok\n"
	"# a comment, then a blank line\n"
	"\n"
	"2,1,49,failed\n"
	"0,50,101,ok\n"
	"1,52,90,\"timeout, retried\"\n";

static FILE *text_file(const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	return f;
}

/* read a results or trace CSV held in a string */
static int read_results(const char *text, const char *name,
			struct plot_points *pts, char *err)
{
	FILE *in = text_file(text);
	int rc = plot_read_results(in, name, pts, err, ERR);

	fclose(in);
	return rc;
}

static int read_trace(const char *text, const char *name,
		      struct plot_trace *t, char *err)
{
	FILE *in = text_file(text);
	int rc = plot_read_trace(in, name, t, err, ERR);

	fclose(in);
	return rc;
}

static void test_csv_split_handles_quotes_and_empty_fields(void)
{
	char line[] = "a,\"b,c\",\"d\"\"e\",,\"\"\n", bad1[] = "\"abc", bad2[] = "\"ab\"x,1";
	char *f[8];

	CU_ASSERT_EQUAL_FATAL(plot_csv_split(line, f, 8), 5);
	CU_ASSERT_STRING_EQUAL(f[0], "a");
	CU_ASSERT_STRING_EQUAL(f[1], "b,c");
	CU_ASSERT_STRING_EQUAL(f[2], "d\"e");
	CU_ASSERT_STRING_EQUAL(f[3], "");
	CU_ASSERT_STRING_EQUAL(f[4], "");
	CU_ASSERT_EQUAL(plot_csv_split(bad1, f, 8), -1);
	CU_ASSERT_EQUAL(plot_csv_split(bad2, f, 8), -1);
}

static void test_plot_reads_verified_speedups_from_results(void)
{
	struct plot_points pts = { 0 };
	char err[ERR] = "";

	CU_ASSERT_EQUAL_FATAL(read_results(results_csv, "r.csv", &pts, err), 0);
	/* the wrong row and the one without a speedup are left out */
	CU_ASSERT_EQUAL_FATAL(pts.n, 3);
	CU_ASSERT_STRING_EQUAL(pts.v[1].panel, "squares");
	CU_ASSERT_STRING_EQUAL(pts.v[1].series, "threads");
	CU_ASSERT_EQUAL(pts.v[1].workers, 2);
	CU_ASSERT_DOUBLE_EQUAL(pts.v[1].speedup, 1.9, 1e-12);
	CU_ASSERT_STRING_EQUAL(pts.v[2].panel, "counter / mutex");
	plot_points_free(&pts);
}

static void test_plot_refuses_a_csv_that_is_not_results(void)
{
	struct plot_points pts = { 0 };
	char err[ERR] = "";

	CU_ASSERT_EQUAL(read_results(trace_csv, "t.csv", &pts, err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "t.csv: not the CSV of 'tvp run -f csv'"));
	CU_ASSERT_EQUAL(pts.n, 0);
}

static void test_plot_reads_a_trace_with_units_from_its_header(void)
{
	struct plot_trace t = { 0 };
	char err[ERR] = "";

	CU_ASSERT_EQUAL_FATAL(read_trace(trace_csv, "t.csv", &t, err), 0);
	CU_ASSERT_EQUAL_FATAL(t.n, 5);
	CU_ASSERT_STRING_EQUAL(t.unit, "ms");
	CU_ASSERT_EQUAL(t.v[2].worker, 2);
	CU_ASSERT_DOUBLE_EQUAL(t.v[2].start, 1, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(t.v[2].end, 49, 1e-12);
	CU_ASSERT_STRING_EQUAL(t.v[2].status, "failed");
	CU_ASSERT_STRING_EQUAL(t.v[4].status, "timeout, retried");
	plot_trace_free(&t);
}

static void test_plot_trace_complaints_name_file_and_line(void)
{
	static const char *const bad[] = {
		"0,0,1,ok\n1,2,x,ok\n",		/* no header: columns in order */
		"0,0,1,ok\n1,2,1,ok\n",		/* ends before it starts */
		"worker,begin,end,status\n0,0,1,ok\n",
	};
	static const char *const want[] = {
		"t.csv:2: expected worker", "t.csv:2: expected worker",
		"t.csv:1: a trace's header needs",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct plot_trace t = { 0 };
		char err[ERR] = "";

		CU_ASSERT_EQUAL(read_trace(bad[i], "t.csv", &t, err), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, want[i]));
		plot_trace_free(&t);
	}
}

/* the script for text, as a string the caller frees */
static char *speedup_script(void)
{
	struct plot_points pts = { 0 };
	char err[ERR], *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_EQUAL_FATAL(read_results(results_csv, "r.csv", &pts, err), 0);
	plot_speedup_script(out, &pts, "s.png", "a \"title\"", 2);
	fclose(out);
	plot_points_free(&pts);
	return text;
}

static void test_speedup_script_has_axes_ideal_line_and_legend(void)
{
	char *s = speedup_script();

	CU_ASSERT_PTR_NOT_NULL(strstr(s, "set terminal pngcairo "));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "set output \"s.png\"\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "set multiplot layout 1,2 title \"a \\\"title\\\"\"\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "set xlabel \"workers (W)\"\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "set ylabel \"speedup over sequential\"\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "plot x with lines"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "title \"ideal (speedup = W)\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "set title \"counter / mutex\"\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "title \"threads\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "title \"openmp\""));
	/* the CPU count is marked once the sweep goes past it */
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"2 CPUs\""));
	/* panel 0, series 1 (threads): W = 2, speedup 1.9 */
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "$p0s1 << EOD\n2 1.9\nEOD\n"));
	free(s);
}

static void test_trace_script_draws_a_bar_per_task(void)
{
	struct plot_trace t = { 0 };
	char err[ERR], *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_EQUAL_FATAL(read_trace(trace_csv, "t.csv", &t, err), 0);
	plot_trace_script(out, &t, "t.svg", NULL);
	fclose(out);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "set terminal svg "));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "set xlabel \"time (ms)\"\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "set ylabel \"worker\"\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "$s0 << EOD\n0 50 0\n0 52 1\n50 101 0\nEOD\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "with boxxyerror lc rgb \"#2ca02c\" title \"ok\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "title \"timeout, retried\""));
	free(text);
	plot_trace_free(&t);
}

/* ---- end to end, through bin/tvp and gnuplot ----------------------------- */

static int have_gnuplot(void)
{
	char path[4096];

	if (plot_find_gnuplot(path, sizeof(path)) == 0)
		return 1;
	fprintf(stderr, "\n  (skipped: gnuplot is not installed; 'make deps-plot' installs it)\n");
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		CU_FAIL_FATAL("fopen");
		return;
	}
	CU_ASSERT_EQUAL(fputs(text, f) >= 0, 1);
	CU_ASSERT_EQUAL(fclose(f), 0);
}

static int file_starts_with(const char *path, const char *magic, size_t n)
{
	char buf[16] = "";
	FILE *f = fopen(path, "rb");
	size_t got;

	if (!f)
		return 0;
	got = fread(buf, 1, n, f);
	fclose(f);
	return got == n && memcmp(buf, magic, n) == 0;
}

static void test_tvp_plot_trace_writes_a_png(void)
{
	static struct tvp_output o;
	char dir[] = "/tmp/tvp-plot-XXXXXX", in[64], out[64];

	if (!have_gnuplot())
		return;
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(in, sizeof(in), "%s/trace.csv", dir);
	snprintf(out, sizeof(out), "%s/trace.png", dir);
	write_file(in, trace_csv);
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, (const char *const[]){
		"plot", "--trace", in, NULL }), 0);	/* -o defaults to trace.png */
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_STRING_EQUAL(o.out, "");
	CU_ASSERT_TRUE(file_starts_with(out, "\x89PNG", 4));
	CU_ASSERT_EQUAL(unlink(in), 0);
	CU_ASSERT_EQUAL(unlink(out), 0);
	CU_ASSERT_EQUAL(rmdir(dir), 0);
}

static void test_tvp_run_plot_writes_an_svg(void)
{
	static struct tvp_output o;
	char dir[] = "/tmp/tvp-plot-XXXXXX", out[64];

	if (!have_gnuplot())
		return;
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(out, sizeof(out), "%s/sweep.svg", dir);
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, (const char *const[]){
		"run", "squares", "-n", "1000", "-r", "1", "-w", "1,2",
		"--no-progress", "--plot", out, NULL }), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_STRING_EQUAL(o.err, "");
	CU_ASSERT_TRUE(file_starts_with(out, "<?xml", 5));
	CU_ASSERT_EQUAL(unlink(out), 0);
	CU_ASSERT_EQUAL(rmdir(dir), 0);
}

static void test_missing_gnuplot_is_explained_before_the_run(void)
{
	static struct tvp_output o;
	char *path = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");

	if (!path) {
		CU_FAIL_FATAL("strdup");
		return;
	}
	CU_ASSERT_EQUAL_FATAL(setenv("PATH", "/nonexistent", 1), 0);
	CU_ASSERT_EQUAL(harness_tvp(&o, (const char *const[]){
		"run", "squares", "--plot", "/tmp/never.png", NULL }), 0);
	CU_ASSERT_EQUAL(setenv("PATH", path, 1), 0);
	free(path);
	CU_ASSERT_EQUAL(o.status, 1);
	CU_ASSERT_STRING_EQUAL(o.out, "");	/* refused before measuring */
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "gnuplot-nox"));
}

static void test_tvp_plot_usage_errors_exit_2(void)
{
	static struct tvp_output o;

	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, (const char *const[]){ "plot", NULL }), 0);
	CU_ASSERT_EQUAL(o.status, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "expected one input"));
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, (const char *const[]){
		"plot", "r.csv", "-o", "r.jpg", NULL }), 0);
	CU_ASSERT_EQUAL(o.status, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, ".png or .svg"));
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, (const char *const[]){
		"plot", "/nonexistent/r.csv", NULL }), 0);
	CU_ASSERT_EQUAL(o.status, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "cannot read '/nonexistent/r.csv'"));
}

SUITE(plot,
      TEST(test_csv_split_handles_quotes_and_empty_fields),
      TEST(test_plot_reads_verified_speedups_from_results),
      TEST(test_plot_refuses_a_csv_that_is_not_results),
      TEST(test_plot_reads_a_trace_with_units_from_its_header),
      TEST(test_plot_trace_complaints_name_file_and_line),
      TEST(test_speedup_script_has_axes_ideal_line_and_legend),
      TEST(test_trace_script_draws_a_bar_per_task),
      TEST(test_tvp_plot_trace_writes_a_png),
      TEST(test_tvp_run_plot_writes_an_svg),
      TEST(test_missing_gnuplot_is_explained_before_the_run),
      TEST(test_tvp_plot_usage_errors_exit_2))
