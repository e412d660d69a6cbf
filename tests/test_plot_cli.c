/*
 * test_plot_cli.c - plots through bin/tvp and gnuplot: `tvp plot --trace`
 * and `tvp run --plot` write real PNG and SVG files, the trace fetch
 * writes is read a row per worker per back end, nothing a file, a name or
 * an option holds runs through gnuplot, and plotting's bad arguments are
 * refused before anything runs.
 *
 * Each hostile case plants a command that would create a file in a fresh
 * directory (a backtick, system(), a newline then gnuplot's shell escape
 * "!", a quote that tries to close the string), has gnuplot really draw
 * the picture, and asserts the picture exists and the planted file does
 * not. Without gnuplot those cases skip (make deps-plot installs it).
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plot/plot.h"
#include "tests/harness.h"

#define PATH_LEN 512
#define ERR 512

struct sandbox {
	char dir[64];		/* a fresh directory under /tmp */
	char path[PATH_LEN];
};

static void sandbox_open(struct sandbox *s)
{
	snprintf(s->dir, sizeof(s->dir), "/tmp/tvp-inject-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(s->dir));
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void sandbox_close(struct sandbox *s)
{
	CU_ASSERT_EQUAL(nftw(s->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* s->path = dir/name (name may hold "%s": the sandbox's directory again) */
static const char *at(struct sandbox *s, const char *name)
{
	char fmt[PATH_LEN];

	snprintf(fmt, sizeof(fmt), "%s/%s", s->dir, name);
	snprintf(s->path, sizeof(s->path), fmt, s->dir, s->dir, s->dir);
	return s->path;
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* the sandbox's "pwned" must not exist: no planted command ran */
static void assert_nothing_ran(struct sandbox *s)
{
	CU_ASSERT_FALSE(exists(at(s, "pwned")));
}

static const char *const plain_trace =
	"worker,start_ms,end_ms,status\n" "0,0,50,ok\n" "1,0,52,failed\n";

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

static int file_contains(const char *path, const char *text)
{
	static char buf[1 << 20];
	FILE *f = fopen(path, "r");
	size_t got;

	if (!f)
		return 0;
	got = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[got] = 0;
	return strstr(buf, text) != NULL;
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
	write_file(in, plain_trace);
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, (const char *const[]){
		"plot", "--trace", in, NULL }), 0);	/* -o defaults to trace.png */
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_STRING_EQUAL(o.out, "");
	CU_ASSERT_TRUE(file_starts_with(out, "\x89PNG", 4));
	CU_ASSERT_EQUAL(unlink(in), 0);
	CU_ASSERT_EQUAL(unlink(out), 0);
	CU_ASSERT_EQUAL(rmdir(dir), 0);
}

/* the panel of (backend, workers) in t, or NULL */
static const struct plot_trace_panel *trace_panel(const struct plot_trace *t,
						  const char *backend, int workers)
{
	for (size_t p = 0; p < t->n_panels; p++)
		if (strcmp(t->panel[p].backend, backend) == 0 &&
		    t->panel[p].workers == workers)
			return &t->panel[p];
	return NULL;
}

/* fetch on two back ends writes the trace; each gets a row per worker */
static void test_trace_of_tvp_fetch_has_a_row_per_worker_per_back_end(void)
{
	static const char *const be[] = { "threads", "processes" };
	static struct tvp_output o;
	char dir[] = "/tmp/tvp-plot-XXXXXX", path[64], err[ERR] = "";
	struct plot_trace t = { 0 };
	FILE *in;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.csv", dir);
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, (const char *const[]){
		"run", "fetch", "-b", "threads,processes", "-w", "4", "-n", "16",
		"-r", "1", "--latency", "20ms", "--no-progress", "--trace", path,
		"--retries", "0", NULL }), 0);	/* exactly warm-up + 1 runs */
	CU_ASSERT_EQUAL(o.status, 0);
	in = fopen(path, "r");
	if (!in) {
		CU_FAIL_FATAL("fetch wrote no trace");
		return;
	}
	CU_ASSERT_EQUAL(plot_read_trace(in, path, &t, err, sizeof(err)), 0);
	fclose(in);
	for (size_t b = 0; b < 2; b++) {
		const struct plot_trace_panel *p = trace_panel(&t, be[b], 4);
		int rows[4] = { 0 }, seen = 0;

		if (!p) {
			CU_FAIL_FATAL("no panel for this back end at W = 4");
			return;
		}
		CU_ASSERT_EQUAL(p->tasks, 16);	/* one run: the last of warm-up + 1 */
		CU_ASSERT_EQUAL(p->run, 2);
		CU_ASSERT(p->rows >= 2 && p->rows <= 4);
		for (size_t i = 0; i < t.n; i++)
			if (t.v[i].panel == (int)(p - t.panel)) {
				CU_ASSERT_FATAL(t.v[i].worker >= 0 && t.v[i].worker < 4);
				seen += !rows[t.v[i].worker]++;
			}
		/* 16 tasks of 20 ms: one worker alone would leave three idle */
		CU_ASSERT(seen >= 2);
	}
	plot_trace_free(&t);
	CU_ASSERT_EQUAL(unlink(path), 0);
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
		"--no-progress", "--plot", out,
		"--busy-threshold", "1024", NULL }), 0);	/* no busy warning */
	CU_ASSERT_EQUAL(o.status, 0);
	/* gnuplot says nothing; a noisy host may still make a speedup look
	 * implausible, and that one warning is all stderr may hold */
	CU_ASSERT(o.err[0] == 0 ||
		  (strncmp(o.err, "tvp: warning: the machine was not tvp's alone", 45) == 0 &&
		   strchr(o.err, '\n') == o.err + strlen(o.err) - 1));
	CU_ASSERT_TRUE(file_starts_with(out, "<?xml", 5));
	/* the caption carries the run's parameters */
	CU_ASSERT_TRUE(file_contains(out, "run: -n 1000 | 1 reps + 1 warm-up | seed 42"));
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

/* ---- hostile fields ------------------------------------------------------- */

/* every way out of a gnuplot string tvp knows of, each creating dir/pwned */
static const char *const hostile[] = {
	"`touch %s/pwned`",
	"a' . system('touch %s/pwned') . '",
	"x\n!touch %s/pwned\n",
	"@m `touch %s/pwned` \" `touch %s/pwned` \"",
	"it''s \\' `touch %s/pwned`",
};
#define N_HOSTILE (sizeof(hostile) / sizeof(hostile[0]))

/* a CSV field: quoted, with quotes doubled */
static void csv_field(char *buf, size_t len, const char *fmt, const char *dir)
{
	char raw[PATH_LEN];
	size_t used;

	snprintf(raw, sizeof(raw), fmt, dir, dir);
	used = (size_t)snprintf(buf, len, "\"");
	for (const char *c = raw; *c && used + 3 < len; c++) {
		if (*c == '"')
			buf[used++] = '"';
		buf[used++] = *c;
	}
	snprintf(buf + used, len - used, "\"");
}

/* results where column `col` (0 workload, 1 variant, 2 backend) is hostile */
static void hostile_results(char *csv, size_t len, int col, const char *field)
{
	const char *v[3] = { "squares", "default", "threads" };

	v[col] = field;
	snprintf(csv, len,
		 "workload,variant,backend,workers,size,reps,median_s,min_s,max_s,speedup,throughput,verified\n"
		 "%s,%s,sequential,1,100,3,2,2,2,1,50,yes\n"
		 "%s,%s,%s,2,100,3,1,1,1.2,2,100,yes\n",
		 v[0], v[1], v[0], v[1], v[2]);
}

static void plot_and_check(struct sandbox *s, const char *const *args)
{
	static struct tvp_output o;

	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	if (o.status != 0)
		fprintf(stderr, "\n  tvp said: %s\n", o.err);
	CU_ASSERT_TRUE(exists(at(s, "out.png")));
	assert_nothing_ran(s);
}

static void test_hostile_results_fields_run_nothing(void)
{
	char field[PATH_LEN * 2], csv[8 * PATH_LEN], in[PATH_LEN], out[PATH_LEN];
	struct sandbox s = { .dir = "" };

	if (!have_gnuplot())
		return;
	sandbox_open(&s);
	snprintf(in, sizeof(in), "%s", at(&s, "r.csv"));
	snprintf(out, sizeof(out), "%s", at(&s, "out.png"));
	for (int col = 0; col < 3; col++)
		for (size_t h = 0; h < N_HOSTILE; h++) {
			csv_field(field, sizeof(field), hostile[h], s.dir);
			hostile_results(csv, sizeof(csv), col, field);
			write_file(in, csv);
			plot_and_check(&s, (const char *const[]){
				"plot", in, "--cpus", "2", "-o", out, NULL });
			CU_ASSERT_EQUAL(unlink(out), 0);
		}
	sandbox_close(&s);
}

static void test_hostile_trace_fields_run_nothing(void)
{
	char field[PATH_LEN * 2], csv[8 * PATH_LEN], in[PATH_LEN], out[PATH_LEN];
	struct sandbox s = { .dir = "" };

	if (!have_gnuplot())
		return;
	sandbox_open(&s);
	snprintf(in, sizeof(in), "%s", at(&s, "t.csv"));
	snprintf(out, sizeof(out), "%s", at(&s, "out.png"));
	for (size_t h = 0; h < N_HOSTILE; h++) {
		csv_field(field, sizeof(field), hostile[h], s.dir);
		/* the backend names a panel, the status is only ever a colour */
		snprintf(csv, sizeof(csv),
			 "backend,workers,run,task,worker,start_s,end_s,status\n"
			 "%s,2,1,0,0,0,0.1,200\n" "threads,2,1,1,1,0,0.1,%s\n",
			 field, field);
		write_file(in, csv);
		plot_and_check(&s, (const char *const[]){
			"plot", "--trace", in, "-o", out, NULL });
		CU_ASSERT_EQUAL(unlink(out), 0);
	}
	sandbox_close(&s);
}

/* ---- hostile file names ---------------------------------------------------- */

/*
 * "DIR/`touch DIR/pwned`.png" is a file in the directory "DIR/`touch DIR":
 * made here, so that the name is a real, writable one.
 */
static void hostile_dirs(struct sandbox *s)
{
	char dir[PATH_LEN];

	snprintf(dir, sizeof(dir), "%s/`touch ", s->dir);
	CU_ASSERT_EQUAL_FATAL(mkdir(dir, 0700), 0);
	for (const char *c = strchr(s->dir + 1, '/'); c; c = strchr(c + 1, '/')) {
		snprintf(dir, sizeof(dir), "%s/`touch %.*s", s->dir,
			 (int)(c - s->dir), s->dir);
		CU_ASSERT_EQUAL_FATAL(mkdir(dir, 0700), 0);
	}
	snprintf(dir, sizeof(dir), "%s/`touch %s", s->dir, s->dir);
	CU_ASSERT_EQUAL_FATAL(mkdir(dir, 0700), 0);
}

static const char *const plain_results =
	"workload,variant,backend,workers,size,reps,median_s,min_s,max_s,speedup,throughput,verified\n"
	"squares,default,sequential,1,100,3,2,2,2,1,50,yes\n"
	"squares,default,threads,2,100,3,1,1,1.2,2,100,yes\n";

static void test_hostile_plot_file_names_run_nothing(void)
{
	static struct tvp_output o;
	char in[PATH_LEN], out[PATH_LEN];
	struct sandbox s = { .dir = "" };

	if (!have_gnuplot())
		return;
	sandbox_open(&s);
	hostile_dirs(&s);
	/* the input's name goes into the title, the output's nowhere */
	snprintf(in, sizeof(in), "%s", at(&s, "`touch %s/pwned`.csv"));
	snprintf(out, sizeof(out), "%s", at(&s, "`touch %s/pwned`.png"));
	write_file(in, plain_results);
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, (const char *const[]){
		"plot", in, "-o", out, NULL }), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_TRUE(exists(out));
	assert_nothing_ran(&s);
	snprintf(out, sizeof(out), "%s", at(&s, "`touch %s/pwned`.svg"));
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, (const char *const[]){
		"run", "squares", "-b", "sequential,threads", "-n", "1000", "-r", "1",
		"-w", "1,2", "--no-progress", "--plot", out, NULL }), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_TRUE(exists(out));
	assert_nothing_ran(&s);
	sandbox_close(&s);
}

/* fetch writes the trace under a hostile name, tvp plot draws it */
static void test_hostile_trace_file_name_runs_nothing(void)
{
	static struct tvp_output o;
	char trace[PATH_LEN], out[PATH_LEN];
	struct sandbox s = { .dir = "" };

	if (!have_gnuplot())
		return;
	sandbox_open(&s);
	hostile_dirs(&s);
	snprintf(trace, sizeof(trace), "%s", at(&s, "`touch %s/pwned`.csv"));
	snprintf(out, sizeof(out), "%s", at(&s, "out.png"));
	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, (const char *const[]){
		"run", "fetch", "-b", "threads", "-w", "2", "-n", "8", "-r", "1",
		"--latency", "1ms", "--no-progress", "--trace", trace, NULL }), 0);
	CU_ASSERT_EQUAL(o.status, 0);
	CU_ASSERT_TRUE_FATAL(exists(trace));
	plot_and_check(&s, (const char *const[]){
		"plot", "--trace", trace, "-o", out, NULL });
	sandbox_close(&s);
}

/* the last line of defence: a script with text outside quotes never runs */
static void test_script_check_refuses_text_outside_single_quotes(void)
{
	static const char *const bad[] = {
		"set title \"x\"\n",
		"plot x title `id`\n",
		"set title 'open\n",
		"plot '< touch x' using 1\n",
		"eval 'print 1'\n",
		"a = system('id')\n",
		"set title 'x'; !id\n",
		"$a << EOD\n1 `id`\nEOD\n",
		"$a << EOD\n1 2\n",
		"set label 1 'a' @m\n",
		"set title 'a''b'\n",	/* tvp never doubles a quote */
	};
	static const char *const good =
		"set terminal pngcairo size 10,10 font 'sans,10' noenhanced\n"
		"set label 100 'it\u2019s `id` @m \"x\" system(' at screen 0.5, screen 0.9\n"
		"$p0s0 << EOD\n1 1.5 1.2 1.7e-3\nEOD\n"
		"plot $p0s0 using 1:2:(sprintf('e=%.2f', $3)) lc rgb '#ffffff' title 'a', \\\n"
		"     x title 'b'\n";

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_NOT_EQUAL(plot_script_check(bad[i]), 0);
	CU_ASSERT_EQUAL(plot_script_check(good), 0);
}

/* ---- refused before anything runs ------------------------------------------ */

static void expect_usage(const char *const *args, const char *what)
{
	static struct tvp_output o;

	CU_ASSERT_EQUAL_FATAL(harness_tvp(&o, args), 0);
	CU_ASSERT_EQUAL(o.status, 2);
	CU_ASSERT_STRING_EQUAL(o.out, "");
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, what));
	if (!strstr(o.err, what))
		fprintf(stderr, "\n  wanted '%s' in: %s\n", what, o.err);
}

static void test_tvp_plot_names_an_extra_argument(void)
{
	struct sandbox s = { .dir = "" };

	sandbox_open(&s);
	write_file(at(&s, "ro.csv"), plain_results);
	expect_usage((const char *const[]){ "plot", s.path, "extra", NULL },
		     "'extra': unexpected argument");
	expect_usage((const char *const[]){ "plot", "--trace", s.path, s.path, NULL },
		     "unexpected argument");
	expect_usage((const char *const[]){ "plot", s.path, "-o",
					    "/nonexistent/dir/o.png", NULL },
		     "--output: cannot create '/nonexistent/dir/o.png'");
	sandbox_close(&s);
}

static void test_unwritable_trace_and_plot_are_refused_before_the_run(void)
{
	struct sandbox s = { .dir = "" };

	sandbox_open(&s);
	expect_usage((const char *const[]){ "run", "fetch", "--trace",
					    "/nonexistent/dir/t.csv", NULL },
		     "--trace: cannot create '/nonexistent/dir/t.csv': no directory '/nonexistent/dir'");
	expect_usage((const char *const[]){ "run", "squares", "--plot",
					    "/nonexistent/dir/p.png", NULL },
		     "--plot: cannot create '/nonexistent/dir/p.png'");
	CU_ASSERT_EQUAL_FATAL(mkdir(at(&s, "dir.png"), 0700), 0);
	expect_usage((const char *const[]){ "run", "squares", "--plot", s.path, NULL },
		     "is a directory");
	sandbox_close(&s);
}

static void test_tvp_plot_refuses_more_panels_than_a_picture_holds(void)
{
	char *csv = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&csv, &len);
	struct sandbox s = { .dir = "" };

	if (!f) {
		CU_FAIL_FATAL("open_memstream");
		return;
	}
	fputs("workload,variant,backend,workers,speedup\n", f);
	for (int i = 0; i <= MAX_PLOT_PANELS; i++)
		fprintf(f, "w%d,default,threads,2,1.5\n", i);
	CU_ASSERT_EQUAL_FATAL(fclose(f), 0);
	sandbox_open(&s);
	write_file(at(&s, "many.csv"), csv);
	expect_usage((const char *const[]){ "plot", s.path, NULL },
		     "91 panels (workload/variant pairs), more than the 90");
	free(csv);
	sandbox_close(&s);
}

SUITE(plot_cli,
      TEST(test_trace_of_tvp_fetch_has_a_row_per_worker_per_back_end),
      TEST(test_tvp_plot_trace_writes_a_png),
      TEST(test_tvp_run_plot_writes_an_svg),
      TEST(test_missing_gnuplot_is_explained_before_the_run),
      TEST(test_tvp_plot_usage_errors_exit_2),
      TEST(test_hostile_results_fields_run_nothing),
      TEST(test_hostile_trace_fields_run_nothing),
      TEST(test_hostile_plot_file_names_run_nothing),
      TEST(test_hostile_trace_file_name_runs_nothing),
      TEST(test_script_check_refuses_text_outside_single_quotes),
      TEST(test_tvp_plot_names_an_extra_argument),
      TEST(test_unwritable_trace_and_plot_are_refused_before_the_run),
      TEST(test_tvp_plot_refuses_more_panels_than_a_picture_holds))
