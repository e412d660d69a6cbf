/*
 * test_plot.c - plots, without gnuplot: CSV read the RFC 4180 way
 * (libcsv), results and traces read back (with file:line complaints), and
 * the gnuplot scripts carry the axes, min-max bars, ideal line, Karp-Flatt
 * marks, busy rings, captions and legends. tests/test_plot_cli.c runs
 * bin/tvp and gnuplot.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plot/plot.h"
#include "tests/harness.h"

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

/* plot_csv_read's rows, joined "a|b|c;" for comparison */
static int csv_collect(struct plot_csv *in, char **field, int n, void *arg)
{
	char *out = arg;

	(void)in;
	for (int i = 0; i < n; i++)
		snprintf(out + strlen(out), ERR - strlen(out), "%s%s", field[i],
			 i + 1 < n ? "|" : ";");
	return 0;
}

static int csv_rows(const char *text, char *rows, char *err)
{
	FILE *in = text_file(text);
	int rc;

	rows[0] = 0;
	rc = plot_csv_read(in, "c.csv", csv_collect, rows, err, ERR);
	fclose(in);
	return rc;
}

static void test_csv_reader_handles_quotes_and_empty_fields(void)
{
	char rows[ERR], err[ERR] = "";

	CU_ASSERT_EQUAL_FATAL(csv_rows("a,\"b,c\",\"d\"\"e\",,\"\"\n", rows, err), 0);
	CU_ASSERT_STRING_EQUAL(rows, "a|b,c|d\"e||;");
	/* a quoted field may hold a newline; a comment between rows is skipped */
	CU_ASSERT_EQUAL_FATAL(csv_rows("# note, \"odd\n1,\"x\n# y\"\n\n2,z\n", rows, err), 0);
	CU_ASSERT_STRING_EQUAL(rows, "1|x\n# y;2|z;");
	CU_ASSERT_EQUAL(csv_rows("1,2\n\"abc", rows, err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "c.csv:2: not a CSV row"));
	CU_ASSERT_EQUAL(csv_rows("\"ab\"x,1\n", rows, err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "c.csv:1: not a CSV row"));
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

/* a script written to memory, checked inert; the caller frees it */
static char *script_text(const struct plot_points *pts,
			 const struct plot_trace *t, const char *out,
			 const struct plot_caption *cap)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	if (pts)
		CU_ASSERT_EQUAL(plot_speedup_script(f, pts, out, cap), 0);
	if (t)
		CU_ASSERT_EQUAL(plot_trace_script(f, t, out, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(fclose(f), 0);
	CU_ASSERT_EQUAL(plot_script_check(text), 0);
	return text;
}

static char *speedup_script(const char *csv)
{
	struct plot_caption cap = { .title = "a \"title\" it's", .cpus = 2 };
	struct plot_points pts = { 0 };
	char err[ERR], *text;

	CU_ASSERT_EQUAL_FATAL(read_results(csv, "r.csv", &pts, err), 0);
	text = script_text(&pts, NULL, "s.png", &cap);
	plot_points_free(&pts);
	return text;
}

static void test_speedup_script_has_axes_ideal_line_and_legend(void)
{
	char *s = speedup_script(results_csv);

	CU_ASSERT_PTR_NOT_NULL(strstr(s, "set terminal pngcairo "));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "set output\n"));	/* tvp's fd, no name */
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "set multiplot layout 1,2 "));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "set label 100 'a \"title\" it\u2019s' at screen"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "set xlabel 'workers (W)'\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "set ylabel 'speedup over sequential'\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "plot $ideal using 1:2 with lines"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "title 'ideal: speedup = W, to 2 CPUs'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "set title 'counter / mutex (n = 100, 3 reps)'\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "title 'threads'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "title 'openmp'"));
	/* the CPU count is marked once the sweep goes past it */
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "'2 CPUs'"));
	free(s);
}

static void test_speedup_script_draws_min_max_bars_and_ideal_to_cpus(void)
{
	char *s = speedup_script(results_csv);

	/* threads, W = 2: median 1.05 s, min 1, max 1.1: 1.9 * 1.05 / 1.1 .. 1.9 * 1.05 */
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "$p0s1 << EOD\n2 1.9 1.81364 1.995\nEOD\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "with yerrorlines"));
	/* the sweep reaches W = 4 on 2 CPUs: the ideal line stops at 2 */
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "$ideal << EOD\n1 1\n2 2\nEOD\n"));
	free(s);
}

/* a min near zero makes speedup * median / min overflow; the bar is left out */
static void test_speedup_script_leaves_out_a_bar_that_overflows(void)
{
	char *s = speedup_script(
		"workload,variant,backend,workers,size,reps,median_s,min_s,max_s,speedup,throughput,verified\n"
		"squares,default,threads,2,100,3,1e300,1e-300,1e300,1e300,1e300,yes\n");

	CU_ASSERT_PTR_NOT_NULL(strstr(s, "$p0s0 << EOD\n2 1e+300 1e+300 1e+300\nEOD\n"));
	CU_ASSERT_PTR_NULL(strstr(s, "inf"));
	CU_ASSERT_EQUAL(plot_script_check(s), 0);
	free(s);
}

/* squares: the same work at every W; counter: work grows with W */
static const char *const kf_csv =
	"workload,variant,backend,workers,size,reps,median_s,min_s,max_s,speedup,throughput,verified\n"
	"squares,default,sequential,1,100,3,2,2,2,1,50,yes\n"
	"squares,default,threads,2,100,3,1.25,1.25,1.25,1.6,80,yes\n"
	"squares,default,threads,4,100,3,2.5,2.5,2.5,0.8,40,yes\n"
	"counter,mutex,sequential,1,100,3,1,1,1,1,100,yes\n"
	"counter,mutex,threads,2,100,3,1,1,1,2,200,yes\n";

static void test_speedup_script_shows_karp_flatt_only_where_it_means_something(void)
{
	char *s = speedup_script(kf_csv);

	/* squares W = 2, speedup 1.6: e = (1/1.6 - 1/2) / (1 - 1/2) = 0.25 */
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "$p0s1kf << EOD\n2 1.6 0.25\nEOD\n"));
	/* counter: more work at W = 2, so no serial fraction to speak of */
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "$p1s1kf << EOD\nEOD\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "$p0s1kf using 1:2:(sprintf('e=%.2f', $3)) with labels"));
	CU_ASSERT_PTR_NULL(strstr(s, "$p1s1kf using"));
	free(s);
}

static const char *const busy_csv =
	"workload,variant,backend,workers,size,reps,median_s,min_s,max_s,stddev_s,speedup,efficiency,throughput,throughput_unit,user_s,sys_s,ctxsw_vol,ctxsw_invol,maxrss_kb,verified,detail,foreign_cpus,busy_reps\n"
	"squares,default,sequential,1,100,3,2,2,2,0,1,1,50,items/s,2,0,0,0,1,yes,ok,0.1,0\n"
	"squares,default,threads,2,100,3,1,1,1,0,2,1,100,items/s,2,0,0,0,1,yes,ok,0.5,2\n"
	"squares,default,threads,4,100,3,1,1,1,0,2,0.5,100,items/s,2,0,0,0,1,yes,ok,,0\n";

static void test_speedup_script_rings_busy_points_and_says_host_figures(void)
{
	struct plot_caption cap = { .cpus = 2 };
	struct plot_points pts = { 0 };
	char err[ERR], *s;

	CU_ASSERT_EQUAL_FATAL(read_results(busy_csv, "b.csv", &pts, err), 0);
	CU_ASSERT_EQUAL_FATAL(pts.n, 3);
	CU_ASSERT_DOUBLE_EQUAL(pts.v[1].foreign_cpus, 0.5, 1e-12);
	CU_ASSERT_EQUAL(pts.v[1].busy_reps, 2);
	CU_ASSERT_TRUE(isnan(pts.v[2].foreign_cpus));	/* empty: not measured */
	plot_caption_host(&pts, &cap);
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.footer[0], "median 0.30 CPUs"));
	CU_ASSERT_PTR_NOT_NULL(strstr(cap.footer[0], "1 of 3 points ringed"));
	s = script_text(&pts, NULL, "b.svg", &cap);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "$p0busy << EOD\n2 2\nEOD\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "title 'busy host'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "median 0.30 CPUs"));
	free(s);
	plot_points_free(&pts);
}

static void test_plot_reads_results_without_the_host_columns(void)
{
	struct plot_points pts = { 0 };
	char err[ERR] = "";

	/* results_csv predates foreign_cpus and busy_reps */
	CU_ASSERT_EQUAL_FATAL(read_results(results_csv, "r.csv", &pts, err), 0);
	CU_ASSERT_TRUE(isnan(pts.v[0].foreign_cpus));
	CU_ASSERT_EQUAL(pts.v[0].busy_reps, 0);
	CU_ASSERT_EQUAL(pts.v[0].reps, 3);
	CU_ASSERT_EQUAL(pts.v[0].size, 100);
	plot_points_free(&pts);
}

static void test_plot_refuses_more_panels_or_back_ends_than_a_picture_holds(void)
{
	struct plot_points pts = { 0 };
	struct plot_point p = { .workers = 1, .speedup = 1 };
	char err[ERR] = "";

	for (int i = 0; i < MAX_PLOT_PANELS; i++) {
		snprintf(p.panel, sizeof(p.panel), "w%d", i);
		CU_ASSERT_EQUAL_FATAL(plot_points_add(&pts, &p), 0);
	}
	CU_ASSERT_EQUAL(plot_points_check(&pts, err, sizeof(err)), 0);
	snprintf(p.panel, sizeof(p.panel), "one more");
	CU_ASSERT_EQUAL_FATAL(plot_points_add(&pts, &p), 0);
	CU_ASSERT_EQUAL(plot_points_check(&pts, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "more than the 90 one picture holds"));
	pts.n = 0;
	for (int i = 0; i <= MAX_PLOT_SERIES; i++) {
		snprintf(p.series, sizeof(p.series), "b%d", i);
		CU_ASSERT_EQUAL_FATAL(plot_points_add(&pts, &p), 0);
	}
	CU_ASSERT_EQUAL(plot_points_check(&pts, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "21 back ends, more than the 20"));
	plot_points_free(&pts);
}

static void test_trace_script_draws_a_bar_per_task(void)
{
	struct plot_trace t = { 0 };
	char err[ERR], *text;

	CU_ASSERT_EQUAL_FATAL(read_trace(trace_csv, "t.csv", &t, err), 0);
	text = script_text(NULL, &t, "t.svg", NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "set terminal svg "));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "set xlabel 'time since the run started (ms)'\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "set ylabel 'worker'\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "$t0ok << EOD\n0 50 0\n0 52 1\n50 101 0\nEOD\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "$t0failed << EOD\n1 49 2\n52 90 1\nEOD\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "with boxxyerror lc rgb '#2ca02c' title 'ok'"));
	/* the legend is in words, whatever the status column holds */
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "lc rgb '#d62728' title 'failed'"));
	free(text);
	plot_trace_free(&t);
}

/* a title as long as a path may be is cut, so the script passes its check */
static void test_trace_script_cuts_a_long_title_and_stays_checkable(void)
{
	struct plot_trace t = { 0 };
	char err[ERR], title[4096], *text = NULL;
	size_t len = 0;
	FILE *f;

	memset(title, '\'', sizeof(title) - 1);	/* each becomes 3 bytes */
	title[sizeof(title) - 1] = 0;
	CU_ASSERT_EQUAL_FATAL(read_trace(trace_csv, "t.csv", &t, err), 0);
	f = open_memstream(&text, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(plot_trace_script(f, &t, "t.svg", title), 0);
	CU_ASSERT_EQUAL_FATAL(fclose(f), 0);
	CU_ASSERT_EQUAL(plot_script_check(text), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "...' at screen"));
	free(text);
	plot_trace_free(&t);
}

static void test_trace_status_is_ok_for_ok_zero_and_2xx_only(void)
{
	static const char *const status[] = { "ok", "0", "200", "204", "500",
					      "-7", "failed", "2000" };
	static const int ok[] = { 1, 1, 1, 1, 0, 0, 0, 0 };
	char csv[512] = "worker,start,end,status\n", err[ERR];
	struct plot_trace t = { 0 };

	for (size_t i = 0; i < sizeof(status) / sizeof(status[0]); i++)
		snprintf(csv + strlen(csv), sizeof(csv) - strlen(csv), "0,%zu,%zu,%s\n",
			 i, i + 1, status[i]);
	CU_ASSERT_EQUAL_FATAL(read_trace(csv, "t.csv", &t, err), 0);
	CU_ASSERT_EQUAL_FATAL(t.n, sizeof(ok) / sizeof(ok[0]));
	for (size_t i = 0; i < t.n; i++)
		CU_ASSERT_EQUAL(t.v[i].ok, ok[i]);
	plot_trace_free(&t);
}

/* fetch's header, two cells, two runs each, then the file appended to */
static const char *const tvp_trace_csv =
	"backend,workers,run,task,worker,start_s,end_s,status\n"
	"threads,2,1,0,0,0,0.1,200\n" "threads,2,1,1,1,0,0.1,200\n"
	"threads,2,2,0,1,0,0.1,200\n" "threads,2,2,1,0,0,0.2,500\n"
	"processes,2,1,0,0,0,0.1,200\n" "processes,2,1,1,1,0,0.1,200\n"
	"threads,2,1,0,0,0,0.3,200\n" "threads,2,1,1,0,0.3,0.6,200\n";

static void test_trace_reader_matches_worker_not_workers(void)
{
	struct plot_trace t = { 0 };
	char err[ERR] = "";

	CU_ASSERT_EQUAL_FATAL(read_trace(tvp_trace_csv, "t.csv", &t, err), 0);
	CU_ASSERT_EQUAL_FATAL(t.n, 8);
	CU_ASSERT_EQUAL(t.v[1].worker, 1);	/* the worker column, not workers */
	CU_ASSERT_EQUAL(t.v[1].workers, 2);
	CU_ASSERT_STRING_EQUAL(t.v[1].backend, "threads");
	CU_ASSERT_EQUAL(t.v[3].ok, 0);
	/* one panel per back end and worker count, each its last run */
	CU_ASSERT_EQUAL_FATAL(t.n_panels, 2);
	CU_ASSERT_STRING_EQUAL(t.panel[0].backend, "threads");
	CU_ASSERT_STRING_EQUAL(t.panel[1].backend, "processes");
	CU_ASSERT_EQUAL(t.panel[0].tasks, 2);	/* the appended run */
	CU_ASSERT_EQUAL(t.panel[0].rows, 1);
	CU_ASSERT_EQUAL(t.panel[1].tasks, 2);
	CU_ASSERT_EQUAL(t.panel[1].rows, 2);
	for (size_t i = 0; i < 6; i++)
		CU_ASSERT_EQUAL(t.v[i].panel, i < 4 ? -1 : 1);
	CU_ASSERT_EQUAL(t.v[6].panel, 0);
	plot_trace_free(&t);
}

SUITE(plot,
      TEST(test_csv_reader_handles_quotes_and_empty_fields),
      TEST(test_plot_reads_verified_speedups_from_results),
      TEST(test_plot_refuses_a_csv_that_is_not_results),
      TEST(test_plot_reads_a_trace_with_units_from_its_header),
      TEST(test_plot_trace_complaints_name_file_and_line),
      TEST(test_speedup_script_has_axes_ideal_line_and_legend),
      TEST(test_speedup_script_draws_min_max_bars_and_ideal_to_cpus),
      TEST(test_speedup_script_leaves_out_a_bar_that_overflows),
      TEST(test_speedup_script_shows_karp_flatt_only_where_it_means_something),
      TEST(test_speedup_script_rings_busy_points_and_says_host_figures),
      TEST(test_plot_reads_results_without_the_host_columns),
      TEST(test_plot_refuses_more_panels_or_back_ends_than_a_picture_holds),
      TEST(test_trace_script_draws_a_bar_per_task),
      TEST(test_trace_script_cuts_a_long_title_and_stays_checkable),
      TEST(test_trace_status_is_ok_for_ok_zero_and_2xx_only),
      TEST(test_trace_reader_matches_worker_not_workers))
